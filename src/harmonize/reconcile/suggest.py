"""Suggest services (OpenRefine's search boxes): entities, types and properties.

Entity suggest is :func:`harmonize.ontology.search.search_index` (a term id, or labels and
synonyms equal to or starting with the typed text, after normalisation), restricted to
the requested type when one is given: labels first, exact before prefix matches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harmonize.reconcile.properties import find_properties
from harmonize.reconcile.service import describe_term
from harmonize.reconcile.types import find_types

if TYPE_CHECKING:
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.search import SearchHit
    from harmonize.reconcile.service import ReconcileService
    from harmonize.reconcile.types import ReconType

__all__ = ["suggest_entities", "suggest_properties", "suggest_types"]

_KIND = {"id": 0, "exact": 1, "prefix": 2}
_SCOPE = {"ID": 0, "LABEL": 0, "EXACT": 1, "NARROW": 2, "BROAD": 3, "RELATED": 4}
_POOL = 10_000  # hits read per ontology before the type filter and paging
_DESCRIPTION_CHARS = 160


def _indexes(service: ReconcileService, t: ReconType | None) -> list[OntologyIndex]:
    """The indexes to search for a type (single-file ones: their names are cached)."""
    if t is None or t.kind == "branch":
        return list(service.indexes)
    if t.kind == "ontology":
        assert t.source is not None
        return [service.indexes[t.source]]
    if t.roots and all(r in service.index.terms for r in t.roots):
        return list(service.indexes)
    return [service.matcher(t.id).index]  # a slot's own ontology or its values


def _description(hit: SearchHit, service: ReconcileService) -> str | None:
    parts = []
    if hit.scope not in {"LABEL", "ID"} and hit.matched != hit.label:
        parts.append(f"{hit.scope.lower()} synonym: {hit.matched}")
    found = service.lookup(hit.term_id)
    text = describe_term(found[0]) if found is not None else None
    if text:
        parts.append(text)
    joined = " — ".join(parts)
    if len(joined) > _DESCRIPTION_CHARS:
        joined = joined[: _DESCRIPTION_CHARS - 1].rstrip() + "…"
    return joined or None


def suggest_entities(
    service: ReconcileService,
    prefix: str,
    *,
    type_id: str | None = None,
    offset: int = 0,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """Terms for a search box: ``{"id", "name", "description", "notable": [types]}``."""
    from harmonize.ontology.search import search_index

    prefix = prefix.strip()
    if not prefix:
        return []
    t = service.type(type_id) if type_id else None
    hits: list[SearchHit] = []
    for index in _indexes(service, t):
        hits.extend(search_index(index, prefix, limit=_POOL, include_obsolete=False))
    hits.sort(key=lambda h: (_KIND[h.kind], _SCOPE.get(h.scope, 9), len(h.matched), h.term_id))
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    skipped = 0
    for hit in hits:
        if hit.term_id in seen:
            continue
        seen.add(hit.term_id)
        types = service.types_of(hit.term_id)
        if t is not None and t not in types:
            continue
        if skipped < offset:
            skipped += 1
            continue
        item: dict[str, Any] = {
            "id": hit.term_id,
            "name": hit.label or hit.term_id,
            "notable": [{"id": x.id, "name": x.name} for x in types],
        }
        description = _description(hit, service)
        if description:
            item["description"] = description
        out.append(item)
        if len(out) >= limit:
            break
    return out


def suggest_types(
    service: ReconcileService, prefix: str, *, offset: int = 0, limit: int = 10
) -> list[dict[str, str]]:
    """Types whose id or name starts with ``prefix`` (every type for an empty prefix)."""
    return [t.as_json() for t in find_types(service.types, prefix)[offset : offset + limit]]


def suggest_properties(prefix: str, *, offset: int = 0, limit: int = 10) -> list[dict[str, str]]:
    """Query and extension properties whose id or name starts with ``prefix``."""
    found = find_properties(prefix)[offset : offset + limit]
    return [{"id": p.id, "name": p.name, "description": p.description} for p in found]
