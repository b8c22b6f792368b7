"""IRIs harmonize uses when it publishes: graph names, the catalog, access levels.

Every published file becomes one named graph. Graph bookkeeping (kind, access level,
size, time) lives in a catalog graph that queries never see; staging graphs used while a
graph is replaced are invisible too, because every query runs on an explicit graph set.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "ACCESS_LEVEL",
    "ACCESS_PREDICATE_NAMES",
    "BFO_PART_OF",
    "CATALOG_GRAPH",
    "GRAPH_BASE",
    "HZ",
    "KIND_DATASET",
    "KIND_MAPPINGS",
    "KIND_ONTOLOGY",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_RESTRICTED_GRAPH",
    "RESTRICTED_VALUES",
    "STAGING_PREFIX",
    "TERM_POOL_GRAPH",
    "default_graph_iri",
    "is_internal_graph",
]

HZ = "https://w3id.org/harmonize/"
GRAPH_BASE = f"{HZ}graph/"
#: Graph bookkeeping; never part of a query's dataset.
CATALOG_GRAPH = f"{HZ}internal/catalog"
#: Prefix of graphs being loaded; never part of a query's dataset.
STAGING_PREFIX = f"{HZ}internal/staging/"
#: Every ontology term triple harmonize has loaded; never part of a query's dataset. The
#: two terms graphs below are rebuilt from it.
TERM_POOL_GRAPH = f"{HZ}internal/ontology-term-pool"
#: Labels and hierarchy of the ontology terms public graphs use (public).
ONTOLOGY_GRAPH = f"{GRAPH_BASE}ontology-terms"
#: Labels and hierarchy of the terms only restricted graphs use (restricted like them).
ONTOLOGY_RESTRICTED_GRAPH = f"{GRAPH_BASE}ontology-terms-restricted"

#: Access level of a dataset (the common model's ``access_level`` slot uses this URI).
ACCESS_LEVEL = f"{HZ}model/access_level"
#: Predicate local names read as "access level" in any namespace (model versions differ).
ACCESS_PREDICATE_NAMES = frozenset({"access_level", "accessLevel", "accessRights"})
#: Values (literal text or IRI local name, case-insensitive) that make a dataset restricted.
RESTRICTED_VALUES = frozenset({"restricted", "controlled", "private", "non-public", "nonpublic"})

BFO_PART_OF = "http://purl.obolibrary.org/obo/BFO_0000050"

KIND_DATASET = "dataset"
KIND_MAPPINGS = "mappings"
KIND_ONTOLOGY = "ontology"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_graph_iri(path: str | Path, kind: str) -> str:
    """The graph name of a published file: stable across runs, from its file name.

    >>> default_graph_iri("out/partner A.ttl", "dataset")
    'https://w3id.org/harmonize/graph/dataset/partner_A'
    >>> default_graph_iri("m/values.sssom.tsv", "mappings")
    'https://w3id.org/harmonize/graph/mappings/values'
    """
    name = Path(path).name
    for suffix in (".sssom.tsv", ".tsv", ".ttl", ".nt", ".jsonld", ".json", ".rdf", ".owl", ".xml"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    slug = _UNSAFE.sub("_", name).strip("_") or "data"
    return f"{GRAPH_BASE}{kind}/{slug}"


def is_internal_graph(iri: str) -> bool:
    """True for the catalog, term pool and staging graphs."""
    return iri in (CATALOG_GRAPH, TERM_POOL_GRAPH) or iri.startswith(STAGING_PREFIX)
