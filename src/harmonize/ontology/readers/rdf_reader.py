"""OWL ontologies (RDF/XML or Turtle) read directly with rdflib.

pronto has no Turtle parser, and its RDF/XML parser drops synonyms that are
*reified* (``oboInOwl:hasRelatedSynonym`` pointing at a node whose ``rdfs:label`` is
the text, as in the OAEI anatomy files). This reader takes every owl:Class with an
IRI and reads the OBO-in-OWL vocabulary, literal or reified alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harmonize.errors import OntologyLoadError
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import SCOPES, OntologyMeta, Scope, Synonym, Term

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["read_with_rdflib"]

_OIO = "http://www.geneontology.org/formats/oboInOwl#"
_OBO = "http://purl.obolibrary.org/obo/"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"

_SYNONYM_SCOPES: dict[str, Scope] = {
    f"{_OIO}hasExactSynonym": "EXACT",
    f"{_OIO}hasNarrowSynonym": "NARROW",
    f"{_OIO}hasBroadSynonym": "BROAD",
    f"{_OIO}hasRelatedSynonym": "RELATED",
    f"{_OIO}hasSynonym": "RELATED",
    f"{_SKOS}altLabel": "RELATED",
    "http://www.ebi.ac.uk/efo/alternative_term": "EXACT",
}
_DEFINITIONS = (f"{_OBO}IAO_0000115", f"{_OIO}hasDefinition", f"{_SKOS}definition")
_PART_OF_IRIS = {f"{_OBO}BFO_0000050", f"{_OBO}part_of"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCOPE_RANK = {scope: rank for rank, scope in enumerate(SCOPES)}


def _parse(path: Path, content: bytes, fmt: str) -> Graph:
    from rdflib import Graph

    graph = Graph()
    try:
        graph.parse(data=content, format="xml" if fmt == "owl" else "turtle")
    except Exception as exc:
        line = getattr(exc, "getLineNumber", None)
        lineno = line() if callable(line) else getattr(exc, "lines", None)
        message = " ".join(str(exc).split()) or type(exc).__name__
        kind = "OWL (RDF/XML)" if fmt == "owl" else "Turtle"
        raise OntologyLoadError(
            f"cannot parse as {kind}: {message[:300]}",
            path=path,
            line=lineno if isinstance(lineno, int) else None,
        ) from None
    return graph


class _Reader:
    """Walks one rdflib graph; small helpers over its triples."""

    def __init__(self, graph: Graph) -> None:
        from rdflib import BNode, Literal, URIRef

        self.graph = graph
        self.Literal, self.URIRef, self.BNode = Literal, URIRef, BNode
        from harmonize.curie import compress

        self._compress = compress
        self._memo: dict[str, str] = {}
        self.part_of = set(_PART_OF_IRIS)
        for prop, label in graph.subject_objects(URIRef(f"{_RDFS}label")):
            if str(label).strip().lower() == "part of":
                self.part_of.add(str(prop))
        for prop in graph.subjects(URIRef(f"{_RDFS}subPropertyOf"), URIRef(f"{_OBO}BFO_0000050")):
            self.part_of.add(str(prop))

    def curie(self, iri: str) -> str:
        found = self._memo.get(iri)
        if found is None:
            found = self._memo[iri] = self._compress(iri, strict=False) or iri
        return found

    def texts(self, node: Any) -> Iterator[str]:
        """A literal's text, or the labels of a reified node (``rdfs:label``)."""
        if isinstance(node, self.Literal):
            text = str(node).strip()
            if text:
                yield text
            return
        for label in self.graph.objects(node, self.URIRef(f"{_RDFS}label")):
            text = str(label).strip()
            if text:
                yield text

    def ids(self, node: Any) -> Iterator[str]:
        """An IRI (as CURIE) or a literal CURIE/IRI."""
        text = str(node).strip()
        if text:
            yield self.curie(text) if "://" in text else text


def _synonym_types(reader: _Reader) -> dict[tuple[str, str, str], str]:
    """``(class, property, text) -> synonym type`` from owl:Axiom annotations."""
    graph, ref = reader.graph, reader.URIRef
    out: dict[tuple[str, str, str], str] = {}
    rdf_type = ref("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for axiom in graph.subjects(rdf_type, ref(f"{_OWL}Axiom")):
        prop = graph.value(axiom, ref(f"{_OWL}annotatedProperty"))
        if prop is None or str(prop) not in _SYNONYM_SCOPES:
            continue
        syn_type = graph.value(axiom, ref(f"{_OIO}hasSynonymType"))
        source = graph.value(axiom, ref(f"{_OWL}annotatedSource"))
        target = graph.value(axiom, ref(f"{_OWL}annotatedTarget"))
        if syn_type is None or source is None or target is None:
            continue
        kind = str(syn_type)
        kind = kind.rsplit("#", 1)[-1] if "#" in kind else reader.curie(kind)
        out[(str(source), str(prop), str(target).strip())] = kind
    return out


def _term(reader: _Reader, cls: Any, syn_types: dict[tuple[str, str, str], str]) -> Term:
    graph, ref = reader.graph, reader.URIRef
    iri = str(cls)
    label = next(
        (
            t
            for p in (f"{_RDFS}label", f"{_SKOS}prefLabel")
            for o in graph.objects(cls, ref(p))
            for t in reader.texts(o)
        ),
        None,
    )
    synonyms: dict[tuple[str, str], Synonym] = {}
    for prop, scope in _SYNONYM_SCOPES.items():
        for obj in graph.objects(cls, ref(prop)):
            for text in reader.texts(obj):
                syn_type = syn_types.get((iri, prop, text))
                synonyms.setdefault((text, scope), Synonym(text, scope, syn_type))
    definition = next(
        (t for p in _DEFINITIONS for o in graph.objects(cls, ref(p)) for t in reader.texts(o)),
        None,
    )
    xrefs = sorted(
        {t for o in graph.objects(cls, ref(f"{_OIO}hasDbXref")) for t in reader.texts(o)}
    )
    deprecated = any(str(o).lower() == "true" for o in graph.objects(cls, ref(f"{_OWL}deprecated")))
    replaced = sorted(
        {i for o in graph.objects(cls, ref(f"{_OBO}IAO_0100001")) for i in reader.ids(o)}
    )
    consider = sorted(
        {i for o in graph.objects(cls, ref(f"{_OIO}consider")) for i in reader.ids(o)}
    )
    alt_ids = sorted(
        {i for o in graph.objects(cls, ref(f"{_OIO}hasAlternativeId")) for i in reader.ids(o)}
    )
    parents: set[str] = set()
    part_of: set[str] = set()
    for sup in graph.objects(cls, ref(f"{_RDFS}subClassOf")):
        if isinstance(sup, reader.URIRef):
            if str(sup) != f"{_OWL}Thing":
                parents.add(reader.curie(str(sup)))
            continue
        on_prop = graph.value(sup, ref(f"{_OWL}onProperty"))
        filler = graph.value(sup, ref(f"{_OWL}someValuesFrom"))
        if (
            on_prop is not None
            and str(on_prop) in reader.part_of
            and isinstance(filler, reader.URIRef)
        ):
            part_of.add(reader.curie(str(filler)))
    ordered = sorted(synonyms.values(), key=lambda s: (_SCOPE_RANK[s.scope], s.text))
    return Term(
        id=reader.curie(iri),
        label=label,
        synonyms=tuple(ordered),
        definition=definition,
        xrefs=tuple(xrefs),
        obsolete=deprecated,
        replaced_by=tuple(replaced),
        consider=tuple(consider),
        parents=tuple(sorted(parents)),
        part_of=tuple(sorted(part_of)),
        alt_ids=tuple(alt_ids),
    )


def _meta(
    reader: _Reader, path: Path, fmt: str, sha256: str | None, own: list[str]
) -> OntologyMeta:
    graph, ref = reader.graph, reader.URIRef
    rdf_type = ref("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    onto = next(iter(graph.subjects(rdf_type, ref(f"{_OWL}Ontology"))), None)
    version: str | None = None
    name = ""
    if onto is not None:
        info = graph.value(onto, ref(f"{_OWL}versionInfo"))
        version_iri = graph.value(onto, ref(f"{_OWL}versionIRI"))
        if info is not None:
            version = str(info)
        elif version_iri is not None:
            match = _DATE.search(str(version_iri))
            version = match.group(0) if match else str(version_iri)
        if isinstance(onto, reader.URIRef):
            tail = str(onto).rstrip("/#").rsplit("/", 1)[-1]
            name = re.sub(r"\.(owl|ttl|obo|rdf)$", "", tail, flags=re.IGNORECASE)
    name = name if re.fullmatch(r"[A-Za-z][\w-]*", name or "") else ""
    fallback = own[0] if own and ":" not in own[0] else path.name.split(".")[0]
    return OntologyMeta(
        name=(name or fallback).upper(),
        version=version,
        source=str(path),
        sha256=sha256,
        format=fmt,
        prefixes=tuple(p for p in own if "://" not in p),
    )


def read_with_rdflib(
    path: Path, content: bytes, fmt: str, sha256: str | None = None
) -> OntologyIndex:
    """Index the owl:Classes of an RDF/XML (``fmt="owl"``) or Turtle (``"ttl"``) file."""
    from harmonize.progress import progress

    graph = _parse(path, content, fmt)
    reader = _Reader(graph)
    ref = reader.URIRef
    rdf_type = ref("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    classes = [c for c in set(graph.subjects(rdf_type, ref(f"{_OWL}Class"))) if isinstance(c, ref)]
    if not classes:
        raise OntologyLoadError("no owl:Class with an IRI found: not an OWL ontology", path=path)
    syn_types = _synonym_types(reader)
    terms: dict[str, Term] = {}
    prefixes: Counter[str] = Counter()
    for cls in progress(sorted(classes), desc=f"indexing {path.name}", total=len(classes)):
        term = _term(reader, cls, syn_types)
        terms[term.id] = term
        if term.label and "://" not in term.id:
            prefixes[term.prefix] += 1
    own = [prefix for prefix, _ in prefixes.most_common(1)]
    return OntologyIndex(meta=_meta(reader, path, fmt, sha256, own), terms=terms)
