"""A direct reader of OBO Graphs JSON, used when pronto (fastobo) rejects a file.

OBO Graphs (https://github.com/geneontology/obographs) is plain JSON: ``graphs[].nodes``
carry ``lbl`` and ``meta`` (definition, synonyms with ``pred`` = hasExactSynonym...,
xrefs, deprecated, basicPropertyValues), ``graphs[].edges`` carry ``sub``/``pred``/``obj``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from harmonize.errors import OntologyLoadError
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import (
    NEVER_IN_TAXON,
    SCOPE_RANK,
    OntologyMeta,
    Scope,
    Synonym,
    Term,
    taxon_relation,
)

__all__ = ["read_obographs"]

_OBO = "http://purl.obolibrary.org/obo/"
_OIO = "http://www.geneontology.org/formats/oboInOwl#"
_SCOPES: dict[str, Scope] = {
    "hasExactSynonym": "EXACT",
    "hasNarrowSynonym": "NARROW",
    "hasBroadSynonym": "BROAD",
    "hasRelatedSynonym": "RELATED",
}
_PART_OF = {"part_of", f"{_OBO}BFO_0000050", "BFO:0000050"}
_IS_A = {"is_a", "http://www.w3.org/2000/01/rdf-schema#subClassOf", "rdfs:subClassOf"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else ``{}`` (a malformed part is ignored)."""
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON array (``[]`` when ``value`` is not an array)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    """A JSON scalar as text (``None`` for null, empty, objects and arrays)."""
    if value is None or isinstance(value, dict | list) or value == "":
        return None
    return str(value)


def _values(meta: dict[str, Any], *preds: str) -> list[str]:
    return [
        str(pv.get("val"))
        for pv in _dicts(meta.get("basicPropertyValues"))
        if pv.get("pred") in preds and _text(pv.get("val"))
    ]


def _synonyms(meta: dict[str, Any], curie: Any) -> tuple[Synonym, ...]:
    found: dict[tuple[str, Scope], str | None] = {}
    for s in _dicts(meta.get("synonyms")):
        text = _text(s.get("val"))
        if text:
            scope = _SCOPES.get(str(s.get("pred")), "RELATED")
            found[(text, scope)] = _text(s.get("synonymType"))
    return tuple(
        sorted(
            (
                Synonym(text, scope, curie(kind).rsplit("#", 1)[-1] if kind else None)
                for (text, scope), kind in found.items()
            ),
            key=lambda s: (SCOPE_RANK[s.scope], s.text),
        )
    )


def read_obographs(path: Path, content: bytes, sha256: str | None = None) -> OntologyIndex:
    """Index every CLASS node of every graph in the document."""
    from harmonize.curie import compress
    from harmonize.io.json_text import parse_json

    data = parse_json(content, path=path, error=OntologyLoadError)
    graphs = data.get("graphs") if isinstance(data, dict) else None
    if not isinstance(graphs, list):
        raise OntologyLoadError("OBO Graphs JSON without a 'graphs' list", path=path)
    memo: dict[str, str] = {}

    def curie(iri: str) -> str:
        found = memo.get(iri)
        if found is None:
            found = memo[iri] = (compress(iri, strict=False) or iri) if "://" in iri else iri
        return found

    parents: dict[str, set[str]] = {}
    part_of: dict[str, set[str]] = {}
    taxa: dict[str, set[str]] = {}
    nodes: list[dict[str, Any]] = []
    for graph in _dicts(graphs):
        nodes.extend(n for n in _dicts(graph.get("nodes")) if _text(n.get("id")))
        for edge in _dicts(graph.get("edges")):
            sub, obj, pred = _text(edge.get("sub")), _text(edge.get("obj")), edge.get("pred")
            if not sub or not obj or not isinstance(pred, str):
                continue
            target = parents if pred in _IS_A else part_of if pred in _PART_OF else None
            if target is None and taxon_relation(str(pred)) == "in":
                target = taxa
            if target is not None:
                target.setdefault(curie(sub), set()).add(curie(obj))
    terms: dict[str, Term] = {}
    prefixes: Counter[str] = Counter()
    for node in nodes:
        if node.get("type", "CLASS") != "CLASS":
            continue
        tid = curie(str(node["id"]))
        meta = _dict(node.get("meta"))
        label = _text(node.get("lbl"))
        terms[tid] = Term(
            id=tid,
            label=label,
            synonyms=_synonyms(meta, curie),
            definition=_text(_dict(meta.get("definition")).get("val")),
            xrefs=tuple(
                sorted({t for x in _dicts(meta.get("xrefs")) if (t := _text(x.get("val")))})
            ),
            obsolete=meta.get("deprecated") is True
            or str(meta.get("deprecated")).lower() == "true",
            replaced_by=tuple(sorted({curie(v) for v in _values(meta, f"{_OBO}IAO_0100001")})),
            consider=tuple(sorted({curie(v) for v in _values(meta, f"{_OIO}consider")})),
            parents=tuple(sorted(parents.get(tid, ()))),
            part_of=tuple(sorted(part_of.get(tid, ()))),
            alt_ids=tuple(sorted(set(_values(meta, f"{_OIO}hasAlternativeId")))),
            taxa=tuple(sorted(taxa.get(tid, ()))),
            never_taxa=tuple(sorted({curie(v) for v in _values(meta, *NEVER_IN_TAXON)})),
        )
        if label and "://" not in tid:
            prefixes[tid.partition(":")[0]] += 1
    if not terms:
        raise OntologyLoadError("OBO Graphs JSON without any CLASS node", path=path)
    first = _dict(graphs[0])
    version_text = _text(_dict(first.get("meta")).get("version")) or ""
    match = _DATE.search(version_text)
    own = [p for p, _ in prefixes.most_common(1)]
    graph_id = (_text(first.get("id")) or "").rstrip("/").rsplit("/", 1)[-1]
    name = re.sub(r"\.(owl|json|obo)$", "", graph_id) or (own[0] if own else path.stem)
    return OntologyIndex(
        meta=OntologyMeta(
            name=name.upper(),
            version=match.group(0) if match else (version_text or None),
            source=str(path),
            sha256=sha256,
            format="obographs",
            prefixes=tuple(own),
        ),
        terms=terms,
    )
