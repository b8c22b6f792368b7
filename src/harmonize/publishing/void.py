"""VoID description of the published data and the SPARQL service description.

Both list only the graphs the requester may see, so restricted graph names do not leak.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph

    from harmonize.publishing.store import GraphInfo

__all__ = ["service_description", "void_description"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_VOID = "http://rdfs.org/ns/void#"
_SD = "http://www.w3.org/ns/sparql-service-description#"
_DCT = "http://purl.org/dc/terms/"
_FORMATS = "http://www.w3.org/ns/formats/"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def void_description(
    base: str, graphs: Sequence[GraphInfo], *, title: str = "harmonize published data"
) -> list[pyoxigraph.Triple]:
    """VoID for the endpoint at ``base`` (ends with ``/``): one subset per visible graph."""
    import pyoxigraph as ox

    def iri(value: str) -> pyoxigraph.NamedNode:
        return ox.NamedNode(value)

    dataset = iri(f"{base}void#dataset")
    out = [
        ox.Triple(dataset, iri(_RDF_TYPE), iri(f"{_VOID}Dataset")),
        ox.Triple(dataset, iri(f"{_DCT}title"), ox.Literal(title)),
        ox.Triple(dataset, iri(f"{_VOID}sparqlEndpoint"), iri(f"{base}sparql")),
        ox.Triple(dataset, iri(f"{_VOID}uriLookupEndpoint"), ox.Literal(f"{base}resource?iri=")),
        ox.Triple(dataset, iri(f"{_VOID}feature"), iri(f"{_FORMATS}Turtle")),
        ox.Triple(dataset, iri(f"{_VOID}feature"), iri(f"{_FORMATS}JSON-LD")),
        ox.Triple(
            dataset,
            iri(f"{_VOID}triples"),
            ox.Literal(str(sum(g.triples for g in graphs)), datatype=iri(f"{_XSD}integer")),
        ),
    ]
    for graph in graphs:
        node = iri(graph.iri)
        out += [
            ox.Triple(dataset, iri(f"{_VOID}subset"), node),
            ox.Triple(node, iri(_RDF_TYPE), iri(f"{_VOID}Dataset")),
            ox.Triple(node, iri(f"{_VOID}sparqlEndpoint"), iri(f"{base}sparql")),
            ox.Triple(
                node,
                iri(f"{_VOID}triples"),
                ox.Literal(str(graph.triples), datatype=iri(f"{_XSD}integer")),
            ),
            ox.Triple(
                node,
                iri(f"{_DCT}modified"),
                ox.Literal(graph.modified, datatype=iri(f"{_XSD}dateTime")),
            ),
            ox.Triple(node, iri(f"{_DCT}type"), ox.Literal(graph.kind)),
        ]
        if graph.source:
            out.append(ox.Triple(node, iri(f"{_DCT}source"), ox.Literal(graph.source)))
    return out


def service_description(base: str, graphs: Sequence[GraphInfo]) -> list[pyoxigraph.Triple]:
    """SPARQL 1.1 Service Description of ``{base}sparql``."""
    import pyoxigraph as ox

    def iri(value: str) -> pyoxigraph.NamedNode:
        return ox.NamedNode(value)

    service = iri(f"{base}sparql")
    out = [
        ox.Triple(service, iri(_RDF_TYPE), iri(f"{_SD}Service")),
        ox.Triple(service, iri(f"{_SD}endpoint"), service),
        ox.Triple(service, iri(f"{_SD}supportedLanguage"), iri(f"{_SD}SPARQL11Query")),
        ox.Triple(service, iri(f"{_SD}feature"), iri(f"{_SD}UnionDefaultGraph")),
    ]
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):  # fmt: skip
        out.append(ox.Triple(service, iri(f"{_SD}resultFormat"), iri(f"{_FORMATS}{fmt}")))
    dataset = ox.BlankNode()
    default = ox.BlankNode()
    out += [
        ox.Triple(service, iri(f"{_SD}defaultDataset"), dataset),
        ox.Triple(dataset, iri(_RDF_TYPE), iri(f"{_SD}Dataset")),
        ox.Triple(dataset, iri(f"{_SD}defaultGraph"), default),
        ox.Triple(default, iri(_RDF_TYPE), iri(f"{_SD}Graph")),
        ox.Triple(
            default,
            iri(f"{_VOID}triples"),
            ox.Literal(str(sum(g.triples for g in graphs)), datatype=iri(f"{_XSD}integer")),
        ),
    ]
    for graph in graphs:
        named = ox.BlankNode()
        out += [
            ox.Triple(dataset, iri(f"{_SD}namedGraph"), named),
            ox.Triple(named, iri(_RDF_TYPE), iri(f"{_SD}NamedGraph")),
            ox.Triple(named, iri(f"{_SD}name"), iri(graph.iri)),
        ]
    return out
