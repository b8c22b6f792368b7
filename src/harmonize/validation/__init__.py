"""SHACL (pyshacl) and ontology-aware validation with steward-readable reports.

The job is :func:`harmonize.validate`; the work is in :mod:`harmonize.validation.run`.
"""
