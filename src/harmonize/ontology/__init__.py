"""Ontologies: load OBO/OWL/Turtle/OBO-Graphs/cellxgene files into a cached index.

>>> from harmonize.ontology import load_index
>>> hp = load_index("HP")            # a manifest name (offline package file) or a path
>>> hp.get("HP:0001250").label
'Seizure'
"""

from harmonize.ontology.cache import load_index
from harmonize.ontology.index import OntologyIndex, merge_indexes
from harmonize.ontology.manifest import read_manifest, resolve_source
from harmonize.ontology.model import OntologyMeta, Synonym, Term
from harmonize.ontology.readers import read_ontology

__all__ = [
    "OntologyIndex",
    "OntologyMeta",
    "Synonym",
    "Term",
    "load_index",
    "merge_indexes",
    "read_manifest",
    "read_ontology",
    "resolve_source",
]
