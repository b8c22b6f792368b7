"""SPARQL results written out: SELECT/ASK as JSON, XML, CSV, TSV; graphs as RDF.

Written here (not by pyoxigraph's serializers) because results are capped: the writer
receives at most *limit* rows and states in the payload, where the format has room, that
the result was cut (the HTTP headers always say so).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "TRUNCATION_LINK",
    "write_boolean",
    "write_graph",
    "write_solutions",
]

SELECT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
#: Put in the results' ``link`` (JSON/XML head) when a result was truncated.
TRUNCATION_LINK = "https://w3id.org/harmonize/note/result-truncated"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Row = Sequence["Any"]


def _json_term(term: Any) -> dict[str, object]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {  # an RDF-star quoted triple
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _xml_term(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value not in (_XSD_STRING, _LANG_STRING):
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def write_solutions(
    variables: Sequence[str], rows: Sequence[Row], fmt: str, *, truncated: bool, note: str
) -> bytes:
    """SELECT results in ``fmt`` (a key of :data:`SELECT_FORMATS`)."""
    if fmt == "json":
        head: dict[str, object] = {"vars": list(variables)}
        if truncated:
            head["link"] = [TRUNCATION_LINK]
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        payload: dict[str, object] = {"head": head, "results": {"bindings": bindings}}
        if truncated:
            payload["harmonize"] = {"truncated": True, "rows": len(rows), "note": note}
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if truncated:
            out.append(f"<!-- {escape(note).replace('--', '- -')} -->")
        out.append("<head>")
        out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        if truncated:
            out.append(f"<link href={quoteattr(TRUNCATION_LINK)}/>")
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out.extend(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else _csv_value(t) for t in row])
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def _csv_value(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value if not isinstance(term, ox.BlankNode) else f"_:{term.value}"
    return str(term)


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return ("true\n" if value else "false\n").encode()  # csv / tsv: no standard, plain text


def write_graph(
    triples: Sequence[pyoxigraph.Triple], fmt: str, *, truncated: bool, note: str
) -> bytes:
    """CONSTRUCT/DESCRIBE results in ``fmt`` (a key of :data:`GRAPH_FORMATS`)."""
    import pyoxigraph as ox

    rdf_format = {
        "turtle": ox.RdfFormat.TURTLE,
        "jsonld": ox.RdfFormat.JSON_LD,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }[fmt]
    body = ox.serialize(triples, format=rdf_format) or b""
    if truncated and fmt in ("turtle", "ntriples"):
        body = f"# {note}\n".encode() + body
    return body
