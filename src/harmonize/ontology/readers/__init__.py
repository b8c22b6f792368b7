"""Readers turn an ontology file into an :class:`~harmonize.ontology.index.OntologyIndex`.

``read_ontology`` sniffs the (decompressed) content and picks the reader; no reader
trusts the file extension alone.
"""

from harmonize.ontology.readers.dispatch import read_ontology, sniff_ontology_format

__all__ = ["read_ontology", "sniff_ontology_format"]
