"""OWL ontologies (RDF/XML or Turtle), parsed by pyoxigraph, indexed directly.

pronto has no Turtle parser, and its RDF/XML parser drops synonyms that are
*reified* (``oboInOwl:hasRelatedSynonym`` pointing at a node whose ``rdfs:label`` is
the text, as in the OAEI anatomy files). This reader takes every owl:Class (and
skos:Concept, with skos:broader as parent) with an IRI and reads the OBO-in-OWL vocabulary, literal or reified alike. pyoxigraph (a
Rust parser) reads RDF/XML some 30 times faster than rdflib.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from harmonize.errors import OntologyLoadError
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import SCOPE_RANK, OntologyMeta, Scope, Synonym, Term

__all__ = ["read_rdf"]

_OIO = "http://www.geneontology.org/formats/oboInOwl#"
_OBO = "http://purl.obolibrary.org/obo/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
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


class _Lit(str):
    """A literal's text (plain ``str`` nodes are IRIs, ``_:`` ones blank nodes)."""

    __slots__ = ()


class _ForeignLit(_Lit):
    """A literal tagged with a language other than English: never chosen as the label
    while an English or untagged one exists, still read as a synonym."""

    __slots__ = ()


Node = str


def _parse(path: Path, content: bytes, fmt: str) -> dict[str, dict[str, list[Node]]]:
    """``subject -> predicate -> [objects]`` of the file, parsed by pyoxigraph."""
    import pyoxigraph as ox

    from harmonize.io.rdf import rdf_error
    from harmonize.io.xml_guard import check_xml_entities

    rdf_format = ox.RdfFormat.RDF_XML if fmt == "owl" else ox.RdfFormat.TURTLE
    if fmt == "owl":  # entity expansion off: no "billion laughs"
        check_xml_entities(content, path=path, error=OntologyLoadError)
    graph: dict[str, dict[str, list[Node]]] = {}
    literal, blank = ox.Literal, ox.BlankNode
    try:
        for quad in ox.parse(content, format=rdf_format, base_iri=path.resolve().as_uri()):
            subject = quad.subject
            key = f"_:{subject.value}" if isinstance(subject, blank) else subject.value
            obj = quad.object
            if isinstance(obj, literal):
                lang = obj.language
                foreign = lang is not None and not lang.lower().startswith("en")
                node: Node = _ForeignLit(obj.value) if foreign else _Lit(obj.value)
            elif isinstance(obj, blank):
                node = f"_:{obj.value}"
            else:
                node = obj.value
            graph.setdefault(key, {}).setdefault(quad.predicate.value, []).append(node)
    except (SyntaxError, ValueError, OSError, MemoryError) as exc:
        raise rdf_error(exc, path, rdf_format, error=OntologyLoadError) from None
    return graph


def _is_iri(node: Node) -> bool:
    return not isinstance(node, _Lit) and not node.startswith("_:")


class _Reader:
    """Small helpers over the parsed triples."""

    def __init__(self, graph: dict[str, dict[str, list[Node]]]) -> None:
        from harmonize.curie import compress

        self.graph = graph
        self._compress = compress
        self._memo: dict[str, str] = {}
        self.part_of = set(_PART_OF_IRIS)
        label = f"{_RDFS}label"
        sub_property = f"{_RDFS}subPropertyOf"
        self.types: dict[str, list[str]] = {}
        for subject, preds in graph.items():
            for kind in preds.get(_RDF_TYPE, ()):
                self.types.setdefault(kind, []).append(subject)
            if any(str(t).strip().lower() == "part of" for t in preds.get(label, ())):
                self.part_of.add(subject)
            if f"{_OBO}BFO_0000050" in preds.get(sub_property, ()):
                self.part_of.add(subject)

    def objects(self, subject: str, predicate: str) -> list[Node]:
        return self.graph.get(subject, {}).get(predicate, [])

    def value(self, subject: str, predicate: str) -> Node | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def curie(self, iri: str) -> str:
        found = self._memo.get(iri)
        if found is None:
            found = self._memo[iri] = self._compress(iri, strict=False) or iri
        return found

    def texts(self, node: Node) -> Iterator[str]:
        """A literal's text, or the labels of a reified node (``rdfs:label``)."""
        if isinstance(node, _Lit):
            text = node.strip()
            if text:
                yield text
            return
        for label in self.objects(node, f"{_RDFS}label"):
            text = str(label).strip()
            if text:
                yield text

    def ids(self, node: Node) -> Iterator[str]:
        """An IRI (as CURIE) or a literal CURIE/IRI."""
        text = str(node).strip()
        if text:
            yield self.curie(text) if "://" in text else text


def _synonym_types(reader: _Reader) -> dict[tuple[str, str, str], str]:
    """``(class, property, text) -> synonym type`` from owl:Axiom annotations."""
    out: dict[tuple[str, str, str], str] = {}
    for axiom in reader.types.get(f"{_OWL}Axiom", ()):
        prop = reader.value(axiom, f"{_OWL}annotatedProperty")
        if prop is None or prop not in _SYNONYM_SCOPES:
            continue
        syn_type = reader.value(axiom, f"{_OIO}hasSynonymType")
        source = reader.value(axiom, f"{_OWL}annotatedSource")
        target = reader.value(axiom, f"{_OWL}annotatedTarget")
        if syn_type is None or source is None or target is None:
            continue
        kind = str(syn_type)
        kind = kind.rsplit("#", 1)[-1] if "#" in kind else reader.curie(kind)
        out[(str(source), str(prop), str(target).strip())] = kind
    return out


def _term(reader: _Reader, iri: str, syn_types: dict[tuple[str, str, str], str]) -> Term:
    objects = reader.objects
    labels = [o for p in (f"{_RDFS}label", f"{_SKOS}prefLabel") for o in objects(iri, p)]
    labels.sort(key=lambda o: isinstance(o, _ForeignLit))  # stable: English first
    label = next((t for o in labels for t in reader.texts(o)), None)
    synonyms: dict[tuple[str, str], Synonym] = {}
    for prop, scope in _SYNONYM_SCOPES.items():
        for obj in objects(iri, prop):
            for text in reader.texts(obj):
                syn_type = syn_types.get((iri, prop, text))
                synonyms.setdefault((text, scope), Synonym(text, scope, syn_type))
    definition = next(
        (t for p in _DEFINITIONS for o in objects(iri, p) for t in reader.texts(o)), None
    )
    xrefs = sorted({t for o in objects(iri, f"{_OIO}hasDbXref") for t in reader.texts(o)})
    deprecated = any(str(o).lower() == "true" for o in objects(iri, f"{_OWL}deprecated"))
    replaced = sorted({i for o in objects(iri, f"{_OBO}IAO_0100001") for i in reader.ids(o)})
    consider = sorted({i for o in objects(iri, f"{_OIO}consider") for i in reader.ids(o)})
    alt_ids = sorted({i for o in objects(iri, f"{_OIO}hasAlternativeId") for i in reader.ids(o)})
    parents: set[str] = set()
    part_of: set[str] = set()
    parents.update(reader.curie(b) for b in objects(iri, f"{_SKOS}broader") if _is_iri(b))
    for sup in objects(iri, f"{_RDFS}subClassOf"):
        if _is_iri(sup):
            if sup != f"{_OWL}Thing":
                parents.add(reader.curie(sup))
            continue
        on_prop = reader.value(sup, f"{_OWL}onProperty")
        filler = reader.value(sup, f"{_OWL}someValuesFrom")
        if on_prop in reader.part_of and filler is not None and _is_iri(filler):
            part_of.add(reader.curie(filler))
    ordered = sorted(synonyms.values(), key=lambda s: (SCOPE_RANK[s.scope], s.text))
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
    onto = next(iter(reader.types.get(f"{_OWL}Ontology", ())), None)
    version: str | None = None
    name = ""
    if onto is not None:
        info = reader.value(onto, f"{_OWL}versionInfo")
        version_iri = reader.value(onto, f"{_OWL}versionIRI")
        if info is not None:
            version = str(info)
        elif version_iri is not None:
            match = _DATE.search(version_iri)
            version = match.group(0) if match else str(version_iri)
        if _is_iri(onto):
            tail = onto.rstrip("/#").rsplit("/", 1)[-1]
            name = re.sub(r"\.(owl|ttl|obo|rdf)$", "", tail, flags=re.IGNORECASE)
    name = name if re.fullmatch(r"[A-Za-z][\w-]*", name or "") else ""
    fallback = own[0] if own else path.name.split(".")[0]
    return OntologyMeta(
        name=(name or fallback).upper(),
        version=version,
        source=str(path),
        sha256=sha256,
        format=fmt,
        prefixes=tuple(own),
    )


def read_rdf(path: Path, content: bytes, fmt: str, sha256: str | None = None) -> OntologyIndex:
    """Index the owl:Classes of an RDF/XML (``fmt="owl"``) or Turtle (``"ttl"``) file."""
    from harmonize.progress import progress

    reader = _Reader(_parse(path, content, fmt))
    kinds = (f"{_OWL}Class", f"{_SKOS}Concept")  # SKOS vocabularies index the same way
    classes = sorted({c for k in kinds for c in reader.types.get(k, ()) if _is_iri(c)})
    if not classes:
        raise OntologyLoadError(
            "no owl:Class or skos:Concept with an IRI found: not an ontology", path=path
        )
    syn_types = _synonym_types(reader)
    terms: dict[str, Term] = {}
    prefixes: Counter[str] = Counter()
    for iri in progress(classes, desc=f"indexing {path.name}", total=len(classes)):
        term = _term(reader, iri, syn_types)
        terms[term.id] = term
        if term.label and "://" not in term.id:
            prefixes[term.prefix] += 1
    own = [prefix for prefix, _ in prefixes.most_common(1)]
    return OntologyIndex(meta=_meta(reader, path, fmt, sha256, own), terms=terms)
