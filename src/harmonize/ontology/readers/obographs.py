"""A direct reader of OBO Graphs JSON, used when pronto (fastobo) rejects a file.

OBO Graphs (https://github.com/geneontology/obographs) is plain JSON: ``graphs[].nodes``
carry ``lbl`` and ``meta`` (definition, synonyms with ``pred`` = hasExactSynonym...,
xrefs, deprecated, basicPropertyValues), ``graphs[].edges`` carry ``sub``/``pred``/``obj``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from harmonize.errors import OntologyLoadError
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import (
    NEVER_IN_TAXON,
    SCOPES,
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
_RANK = {scope: rank for rank, scope in enumerate(SCOPES)}


def _values(meta: dict[str, Any], *preds: str) -> list[str]:
    return [
        str(pv.get("val"))
        for pv in meta.get("basicPropertyValues") or ()
        if isinstance(pv, dict) and pv.get("pred") in preds and pv.get("val")
    ]


def read_obographs(path: Path, content: bytes, sha256: str | None = None) -> OntologyIndex:
    """Index every CLASS node of every graph in the document."""
    from harmonize.curie import compress

    try:
        data = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OntologyLoadError(f"invalid JSON: {exc}", path=path) from None
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
    for graph in graphs:
        if not isinstance(graph, dict):
            continue
        nodes.extend(n for n in graph.get("nodes") or () if isinstance(n, dict) and n.get("id"))
        for edge in graph.get("edges") or ():
            if not isinstance(edge, dict) or not edge.get("sub") or not edge.get("obj"):
                continue
            pred = edge.get("pred")
            target = parents if pred in _IS_A else part_of if pred in _PART_OF else None
            if target is None and taxon_relation(str(pred)) == "in":
                target = taxa
            if target is not None:
                target.setdefault(curie(edge["sub"]), set()).add(curie(edge["obj"]))
    terms: dict[str, Term] = {}
    prefixes: Counter[str] = Counter()
    for node in nodes:
        if node.get("type", "CLASS") != "CLASS":
            continue
        tid = curie(str(node["id"]))
        meta = node.get("meta") or {}
        synonyms = {
            (str(s["val"]), _SCOPES.get(str(s.get("pred")), "RELATED")): s.get("synonymType")
            for s in meta.get("synonyms") or ()
            if isinstance(s, dict) and s.get("val")
        }
        syn_tuple = tuple(
            sorted(
                (
                    Synonym(text, scope, curie(kind).rsplit("#", 1)[-1] if kind else None)
                    for (text, scope), kind in synonyms.items()
                ),
                key=lambda s: (_RANK[s.scope], s.text),
            )
        )
        definition = (meta.get("definition") or {}).get("val")
        terms[tid] = Term(
            id=tid,
            label=node.get("lbl") or None,
            synonyms=syn_tuple,
            definition=definition or None,
            xrefs=tuple(sorted({str(x["val"]) for x in meta.get("xrefs") or () if x.get("val")})),
            obsolete=bool(meta.get("deprecated")),
            replaced_by=tuple(sorted({curie(v) for v in _values(meta, f"{_OBO}IAO_0100001")})),
            consider=tuple(sorted({curie(v) for v in _values(meta, f"{_OIO}consider")})),
            parents=tuple(sorted(parents.get(tid, ()))),
            part_of=tuple(sorted(part_of.get(tid, ()))),
            alt_ids=tuple(sorted(set(_values(meta, f"{_OIO}hasAlternativeId")))),
            taxa=tuple(sorted(taxa.get(tid, ()))),
            never_taxa=tuple(sorted({curie(v) for v in _values(meta, *NEVER_IN_TAXON)})),
        )
        if node.get("lbl") and "://" not in tid:
            prefixes[tid.partition(":")[0]] += 1
    if not terms:
        raise OntologyLoadError("OBO Graphs JSON without any CLASS node", path=path)
    first = graphs[0] if isinstance(graphs[0], dict) else {}
    version_text = str((first.get("meta") or {}).get("version") or "")
    match = _DATE.search(version_text)
    own = [p for p, _ in prefixes.most_common(1)]
    graph_id = str(first.get("id") or "").rstrip("/").rsplit("/", 1)[-1]
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
