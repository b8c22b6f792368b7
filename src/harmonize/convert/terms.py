"""RDF terms and streaming serialisers for N-Triples, Turtle and JSON-LD.

``convert`` writes millions of rows, so it does not build an rdflib graph: each row
becomes a small list of :data:`Triple` s that a :class:`TripleWriter` appends to the
open file at once. Every writer produces text rdflib parses back to the same graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Literal

__all__ = [
    "FORMATS",
    "RDF_TYPE",
    "Format",
    "Iri",
    "Lit",
    "Term",
    "Triple",
    "TripleWriter",
    "format_for",
    "make_writer",
    "nt_term",
]

Format = Literal["ttl", "nt", "jsonld"]
FORMATS: tuple[Format, ...] = ("ttl", "nt", "jsonld")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True, slots=True)
class Iri:
    value: str


@dataclass(frozen=True, slots=True)
class Lit:
    value: str
    datatype: str | None = None  # full IRI; None = xsd:string


Term = Iri | Lit
Triple = tuple[str, str, Term]  # subject IRI, predicate IRI, object


def format_for(path: str, requested: str | None) -> Format:
    """The output format: ``requested`` or guessed from the file extension (default ttl)."""
    if requested:
        if requested not in FORMATS:
            from harmonize.errors import ConversionError

            raise ConversionError(f"unknown format {requested!r}; use one of {', '.join(FORMATS)}")
        return requested  # type: ignore[return-value]
    lower = path.lower()
    if lower.endswith(".nt"):
        return "nt"
    if lower.endswith((".jsonld", ".json")):
        return "jsonld"
    return "ttl"


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t]')
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)


def _iri(value: str) -> str:
    if _IRI_BAD.search(value):
        value = _IRI_BAD.sub(lambda m: f"%{ord(m.group(0)):02X}", value)
    return f"<{value}>"


def nt_term(term: Term) -> str:
    if isinstance(term, Iri):
        return _iri(term.value)
    text = f'"{_escape(term.value)}"'
    if term.datatype and term.datatype != XSD + "string":
        text += f"^^{_iri(term.datatype)}"
    return text


class TripleWriter:
    """Writes batches of triples to an open text stream; call :meth:`close` at the end."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.count = 0

    def write(self, triples: Sequence[Triple]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Write whatever the format needs at the end (nothing for N-Triples)."""


class NTriplesWriter(TripleWriter):
    def write(self, triples: Sequence[Triple]) -> None:
        self.handle.write("".join(f"{_iri(s)} {_iri(p)} {nt_term(o)} .\n" for s, p, o in triples))
        self.count += len(triples)


_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


class TurtleWriter(TripleWriter):
    """Turtle with prefixes; each batch is written grouped by subject."""

    def __init__(self, handle: IO[str], prefixes: dict[str, str]) -> None:
        super().__init__(handle)
        # longest namespace first so the most specific prefix wins
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        handle.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()) + "\n")
        self._cache: dict[str, str] = {}

    def _name(self, iri: str) -> str:
        cached = self._cache.get(iri)
        if cached is not None:
            return cached
        out = _iri(iri)
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and _LOCAL.match(iri[len(ns) :]):
                out = f"{prefix}:{iri[len(ns) :]}"
                break
        if len(self._cache) < 100_000:
            self._cache[iri] = out
        return out

    def _obj(self, term: Term) -> str:
        if isinstance(term, Iri):
            return self._name(term.value)
        text = f'"{_escape(term.value)}"'
        if term.datatype and term.datatype != XSD + "string":
            text += f"^^{self._name(term.datatype)}"
        return text

    def write(self, triples: Sequence[Triple]) -> None:
        by_subject: dict[str, list[tuple[str, Term]]] = {}
        for s, p, o in triples:
            by_subject.setdefault(s, []).append((p, o))
        parts = []
        for subject, pairs in by_subject.items():
            body = " ;\n    ".join(
                f"{'a' if p == RDF_TYPE else self._name(p)} {self._obj(o)}" for p, o in pairs
            )
            parts.append(f"{self._name(subject)} {body} .\n")
        self.handle.write("".join(parts))
        self.count += len(triples)


class JsonLdWriter(TripleWriter):
    """Expanded JSON-LD: one node object per subject and batch, in one top-level array."""

    def __init__(self, handle: IO[str]) -> None:
        super().__init__(handle)
        self._first = True
        handle.write("[\n")

    @staticmethod
    def _value(term: Term) -> dict[str, str]:
        if isinstance(term, Iri):
            return {"@id": term.value}
        if term.datatype and term.datatype != XSD + "string":
            return {"@value": term.value, "@type": term.datatype}
        return {"@value": term.value}

    def write(self, triples: Sequence[Triple]) -> None:
        nodes: dict[str, dict[str, list[object]]] = {}
        for s, p, o in triples:
            node = nodes.setdefault(s, {})
            if p == RDF_TYPE and isinstance(o, Iri):
                node.setdefault("@type", []).append(o.value)
            else:
                node.setdefault(p, []).append(self._value(o))
        for subject, props in nodes.items():
            obj: dict[str, object] = {"@id": subject, **props}
            self.handle.write(
                ("  " if self._first else ",\n  ") + json.dumps(obj, ensure_ascii=False)
            )
            self._first = False
        self.count += len(triples)

    def close(self) -> None:
        self.handle.write("\n]\n")


def make_writer(fmt: Format, handle: IO[str], prefixes: dict[str, str]) -> TripleWriter:
    if fmt == "nt":
        return NTriplesWriter(handle)
    if fmt == "jsonld":
        return JsonLdWriter(handle)
    return TurtleWriter(handle, prefixes)
