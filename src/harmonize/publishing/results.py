"""SPARQL results written out: SELECT/ASK as JSON, XML, CSV, TSV; graphs as RDF.

Written here (not by pyoxigraph's serializers) because results are capped by rows and by
bytes: rows are written one by one and the answer is cut at a row boundary, so it stays a
valid document. Where the format has room for it, the payload says it was cut in the
standard way (the JSON head's ``link``, the XML ``<link>``, a Turtle comment); there is no
extra member clients would reject. The HTTP headers always say so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "TRUNCATION_LINK",
    "Note",
    "Written",
    "write_boolean",
    "write_graph",
    "write_solutions",
]

T = TypeVar("T")
U = TypeVar("U")

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


#: Makes the truncation note from its cause and the rows kept.
Note = Callable[[Literal["rows", "bytes"], int], str]


def _note_text(note: Note | None, cause: Literal["rows", "bytes"] | None, rows: int) -> str:
    return note(cause, rows) if note is not None and cause is not None else ""


@dataclass(frozen=True, slots=True)
class Written:
    """A capped answer: its bytes, the rows (or triples) in it, and why it stopped."""

    body: bytes
    rows: int
    truncated: bool
    cut_by: Literal["rows", "bytes"] | None = None


def _json_row(variables: Sequence[str], row: Row) -> bytes:
    binding = {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
    return json.dumps(binding, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_row(variables: Sequence[str], row: Row) -> bytes:
    cells = "".join(
        f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
        for v, t in zip(variables, row, strict=True)
        if t is not None
    )
    return f"<result>{cells}</result>\n".encode()


def _csv_row(variables: Sequence[str], row: Row) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(
        ["" if t is None else _csv_value(t) for t in row]
    )
    return buffer.getvalue().encode("utf-8")


def _tsv_row(variables: Sequence[str], row: Row) -> bytes:
    return ("\t".join("" if t is None else str(t) for t in row) + "\n").encode("utf-8")


def _frame(fmt: str, variables: Sequence[str], truncated: bool, note: str) -> tuple[bytes, bytes]:
    """What goes before and after the rows of a SELECT answer in ``fmt``."""
    if fmt == "json":
        head: dict[str, object] = {"vars": list(variables)}
        if truncated:
            head["link"] = [TRUNCATION_LINK]
        start = json.dumps({"head": head}, ensure_ascii=False, separators=(",", ":"))
        return f'{start[:-1]},"results":{{"bindings":['.encode(), b"]}}"
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if truncated:
            out.append(f"<!-- {escape(note).replace('--', '- -')} -->")
        out.append("<head>")
        out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        if truncated:
            out.append(f"<link href={quoteattr(TRUNCATION_LINK)}/>")
        out.append("</head><results>\n")
        return "\n".join(out).encode("utf-8"), b"</results></sparql>\n"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(variables)
        return buffer.getvalue().encode("utf-8"), b""
    if fmt == "tsv":
        return ("\t".join(f"?{v}" for v in variables) + "\n").encode("utf-8"), b""
    raise ValueError(f"unknown results format {fmt!r}")


_ROW_WRITERS = {"json": _json_row, "xml": _xml_row, "csv": _csv_row, "tsv": _tsv_row}


def _take(
    items: Iterable[T],
    measure: Callable[[T], tuple[U, int]],
    *,
    max_rows: int,
    budget: int,
    tick: Callable[[], None] | None,
) -> tuple[list[U], Literal["rows", "bytes"] | None]:
    """The leading items (as ``measure`` renders them) that fit ``max_rows`` and
    ``budget`` bytes, and what cut the rest off (``None``: nothing)."""
    kept: list[U] = []
    used = 0
    for item in items:
        if len(kept) >= max_rows:
            return kept, "rows"
        payload, cost = measure(item)
        if used + cost > budget:
            return kept, "bytes"
        kept.append(payload)
        used += cost
        if tick is not None and len(kept) % 256 == 0:
            tick()
    return kept, None


def write_solutions(
    variables: Sequence[str],
    rows: Iterable[Row],
    fmt: str,
    *,
    max_rows: int,
    max_bytes: int,
    note: Note | None = None,
    tick: Callable[[], None] | None = None,
) -> Written:
    """SELECT results in ``fmt`` (a key of :data:`SELECT_FORMATS`), at most ``max_rows``
    rows and ``max_bytes`` bytes; cut at a row boundary, so the answer stays valid.
    ``tick`` is called every 256 rows (a deadline check)."""
    write_row = _ROW_WRITERS[fmt]
    longest = max((_note_text(note, cause, max_rows) for cause in ("rows", "bytes")), key=len)
    start, end = _frame(fmt, variables, True, longest)  # the longer frame: room for the note
    budget = max_bytes - len(start) - len(end)
    separator = b"," if fmt == "json" else b""

    def measure(row: Row) -> tuple[bytes, int]:  # each row pays its separator (one too many)
        data = write_row(variables, row)
        return data, len(data) + len(separator)

    parts, cut_by = _take(rows, measure, max_rows=max_rows, budget=budget + len(separator),
                          tick=tick)  # fmt: skip
    start, end = _frame(fmt, variables, cut_by is not None, _note_text(note, cut_by, len(parts)))
    body = start + separator.join(parts) + end
    return Written(body, len(parts), cut_by is not None, cut_by)


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
    triples: Iterable[pyoxigraph.Triple],
    fmt: str,
    *,
    max_rows: int,
    max_bytes: int,
    note: Note | None = None,
    tick: Callable[[], None] | None = None,
) -> Written:
    """CONSTRUCT/DESCRIBE results in ``fmt`` (a key of :data:`GRAPH_FORMATS`), at most
    ``max_rows`` triples and ``max_bytes`` bytes (a whole document, never cut inside)."""
    kept, cut_by = _take(
        triples,
        lambda triple: (triple, len(str(triple)) + 3),  # its N-Triples line
        max_rows=max_rows,
        budget=max_bytes,
        tick=tick,
    )
    body = _serialize(kept, fmt, _note_text(note, cut_by, len(kept)))
    while len(body) > max_bytes and kept:  # a format wordier than N-Triples: drop the tail
        kept = kept[: int(len(kept) * max_bytes / len(body) * 0.9)]
        cut_by = "bytes"
        body = _serialize(kept, fmt, _note_text(note, cut_by, len(kept)))
    return Written(body, len(kept), cut_by is not None, cut_by)


def _serialize(triples: Sequence[pyoxigraph.Triple], fmt: str, note: str) -> bytes:
    import pyoxigraph as ox

    rdf_format = {
        "turtle": ox.RdfFormat.TURTLE,
        "jsonld": ox.RdfFormat.JSON_LD,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }[fmt]
    body = ox.serialize(triples, format=rdf_format) or b""
    if note and fmt in ("turtle", "ntriples"):
        body = f"# {note}\n".encode() + body
    return body
