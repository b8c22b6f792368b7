"""The example queries the endpoint's query page offers (one click fills the editor)."""

from __future__ import annotations

__all__ = ["EXAMPLE_QUERIES"]

EXAMPLE_QUERIES: dict[str, str] = {
    "Triples per graph": (
        "SELECT ?graph (COUNT(*) AS ?triples)\nWHERE { GRAPH ?graph { ?s ?p ?o } }\n"
        "GROUP BY ?graph ORDER BY DESC(?triples)"
    ),
    "Records per class": (
        "SELECT ?class (COUNT(DISTINCT ?record) AS ?records)\n"
        "WHERE { ?record a ?class }\nGROUP BY ?class ORDER BY DESC(?records)"
    ),
    "Samples from any part of the liver": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX obo: <http://purl.obolibrary.org/obo/>\n"
        "PREFIX hmz: <https://w3id.org/harmonize/model/>\n"
        "SELECT ?sample ?tissue ?label WHERE {\n"
        "  ?sample hmz:tissue ?tissue .\n"
        "  ?tissue (rdfs:subClassOf|obo:BFO_0000050)* obo:UBERON_0002107 .\n"
        "  OPTIONAL { ?tissue rdfs:label ?label }\n} LIMIT 100"
    ),
    "Accepted value mappings": (
        "PREFIX sssom: <https://w3id.org/sssom/>\n"
        "SELECT ?subject ?predicate ?object ?confidence WHERE {\n"
        "  ?m a sssom:Mapping ; sssom:subject_id ?subject ; sssom:predicate_id ?predicate ;\n"
        "     sssom:object_id ?object .\n  OPTIONAL { ?m sssom:confidence ?confidence }\n"
        "} LIMIT 100"
    ),
}
