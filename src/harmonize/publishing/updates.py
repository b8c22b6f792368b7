"""The SPARQL Update texts the embedded store runs: catalog entries, the staged swap of a
graph, the two ontology-terms graphs. Each is part of one update request, so of one
transaction (see :mod:`harmonize.publishing.store`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from harmonize.errors import PublishError
from harmonize.publishing.vocab import (
    CATALOG_GRAPH,
    HZ,
    KIND_ONTOLOGY,
    ONTOLOGY_GRAPH,
    ONTOLOGY_RESTRICTED_GRAPH,
    TERM_POOL_GRAPH,
)

if TYPE_CHECKING:
    from harmonize.publishing.store import GraphInfo

__all__ = [
    "CAT",
    "MODIFIED",
    "SOURCE",
    "USES",
    "VOID_TRIPLES",
    "access_update",
    "catalog_update",
    "check_iri",
    "now",
    "rebuild_terms",
    "swap_update",
    "uses_update",
]

CAT = f"{HZ}catalog/"
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
MODIFIED = "http://purl.org/dc/terms/modified"
SOURCE = "http://purl.org/dc/terms/source"
_XSD = "http://www.w3.org/2001/XMLSchema#"
USES = f"{CAT}uses"
_HIERARCHY = (
    "(<http://www.w3.org/2000/01/rdf-schema#subClassOf>|"
    "<http://purl.obolibrary.org/obo/BFO_0000050>)*"
)


def _lit(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def check_iri(iri: str) -> str:
    if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t') or ":" not in iri:
        raise PublishError(f"not a usable graph IRI: {iri!r}")
    return iri


def catalog_update(info: GraphInfo) -> str:
    access = "restricted" if info.restricted else "public"
    source = f" ; <{SOURCE}> {_lit(info.source)}" if info.source else ""
    if info.checksum:
        source += f" ; <{CAT}checksum> {_lit(info.checksum)}"
    return (
        f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{info.iri}> ?p ?o }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{info.iri}> "
        f"<{CAT}kind> {_lit(info.kind)} ; <{CAT}access> {_lit(access)} ; "
        f"<{VOID_TRIPLES}> {info.triples} ; "
        f"<{MODIFIED}> {_lit(info.modified)}^^<{_XSD}dateTime>{source} }} }}"
    )


def access_update(iri: str, *, restricted: bool) -> str:
    """Set ``iri``'s access level; its terms move between the terms graphs in the same step."""
    access = "restricted" if restricted else "public"
    return (
        f"DELETE {{ GRAPH <{CATALOG_GRAPH}> {{ <{iri}> <{CAT}access> ?a }} }}\n"
        f"INSERT {{ GRAPH <{CATALOG_GRAPH}> {{ <{iri}> <{CAT}access> {_lit(access)} }} }}\n"
        f"WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{iri}> <{CAT}access> ?a }} }} ;\n" + rebuild_terms()
    )


def swap_update(graph: str, staging: str) -> str:
    """Make ``graph`` equal to ``staging`` by writing only the difference.

    Part of one update request, so one transaction. Re-publishing a mostly unchanged file
    writes a few quads instead of deleting and re-inserting them all (RocksDB writes
    dominate the cost). Blank nodes get fresh ids per load, so their triples are replaced.
    """
    return (
        f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH <{staging}> {{ ?s ?p ?o }} }} }} ;\n"
        f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} ;\n"
    )


def uses_update(graph: str, terms: Iterable[str]) -> str:
    """Catalog triples naming the ontology terms (CURIEs) ``graph`` uses."""
    from harmonize.publishing.terms import term_iri

    iris = sorted({term_iri(t) for t in terms})
    if not iris:
        return ""
    body = " , ".join(f"<{check_iri(i)}>" for i in iris)
    return f"INSERT DATA {{ GRAPH <{CATALOG_GRAPH}> {{ <{graph}> <{USES}> {body} }} }} ;\n"


def rebuild_terms() -> str:
    """Update operations that recompute both terms graphs from the pool and the catalog.

    Public: every pool triple of a term reachable from a term a public graph uses.
    Restricted: the same for restricted graphs, minus the terms already public (so the
    union a token holder sees has no duplicates). Catalog entries follow; an empty terms
    graph has none. Part of the caller's update request, so of its transaction.
    """
    ops: list[str] = []
    for iri, access, exclude in (
        (ONTOLOGY_GRAPH, "public", ""),
        (
            ONTOLOGY_RESTRICTED_GRAPH,
            "restricted",
            f"FILTER NOT EXISTS {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?t ?p0 ?o0 }} }}",
        ),
    ):
        ops.append(f"CLEAR SILENT GRAPH <{iri}>")
        ops.append(
            f"INSERT {{ GRAPH <{iri}> {{ ?t ?p ?o }} }} WHERE {{\n"
            f"  {{ SELECT DISTINCT ?t WHERE {{\n"
            f"    GRAPH <{CATALOG_GRAPH}> {{ ?g <{CAT}access> {_lit(access)} ; <{USES}> ?u }}\n"
            f"    GRAPH <{TERM_POOL_GRAPH}> {{ ?u {_HIERARCHY} ?t }} }} }}\n"
            f"  {exclude}\n"
            f"  GRAPH <{TERM_POOL_GRAPH}> {{ ?t ?p ?o }} }}"
        )
        ops.append(f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ <{iri}> ?p ?o }} }}")
        ops.append(
            f"INSERT {{ GRAPH <{CATALOG_GRAPH}> {{ <{iri}> <{CAT}kind> {_lit(KIND_ONTOLOGY)} ; "
            f"<{CAT}access> {_lit(access)} ; <{VOID_TRIPLES}> ?n ; "
            f"<{MODIFIED}> {_lit(now())}^^<{_XSD}dateTime> }} }} WHERE {{\n"
            f"  {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} }}\n"
            f"  FILTER(?n > 0) }}"
        )
    return " ;\n".join(ops)


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
