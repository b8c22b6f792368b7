"""Partner table + reviewed mappings -> RDF records with PROV-O provenance.

The job is :func:`harmonize.convert`; the work is in :mod:`harmonize.conversion.run`.
"""
