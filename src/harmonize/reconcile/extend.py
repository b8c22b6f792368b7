"""Data extension: pull a reconciled term's fields into new columns.

Properties (see :mod:`harmonize.reconcile.properties`): ``label``, ``definition``,
``synonyms``, ``parents`` (is_a and part_of, as entities), ``xrefs`` and ``replaced_by``
(as entities). One setting, ``limit``, caps the values per term (0: all). An identifier
the service does not know gets empty values (OpenRefine leaves the cells blank).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from harmonize.errors import ReconcileError
from harmonize.reconcile.properties import EXTEND_PROPERTIES

if TYPE_CHECKING:
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import Term
    from harmonize.reconcile.query import Limits
    from harmonize.reconcile.service import ReconcileService

__all__ = ["extend_v02", "extend_v10", "parse_extend", "propose", "term_values"]

Requested = list[tuple[str, int]]  # (property id, limit; 0 = all)


def _limit_setting(settings: object, where: str) -> int:
    if settings is None:
        return 0
    if not isinstance(settings, Mapping):
        raise ReconcileError(f"{where}: 'settings' must be an object", value=settings)
    raw = settings.get("limit", 0)
    try:
        value = int(str(raw).strip() or 0)
    except ValueError:
        raise ReconcileError(f"{where}: setting 'limit' must be a number", value=raw) from None
    if value < 0:
        raise ReconcileError(f"{where}: setting 'limit' must be 0 or more", value=raw)
    return value


def parse_extend(data: object, limits: Limits) -> tuple[list[str], Requested]:
    """``{"ids": [...], "properties": [{"id", "settings"?}]}`` -> (ids, requested)."""
    if not isinstance(data, Mapping) or set(data) - {"ids", "properties"}:
        raise ReconcileError('a data extension query is {"ids": [...], "properties": [...]}')
    ids, props = data.get("ids"), data.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ReconcileError("'ids' must be a list of identifiers", value=ids)
    if not isinstance(props, list) or not props:
        raise ReconcileError("'properties' must be a non-empty list", value=props)
    if len(ids) > limits.max_queries:
        raise ReconcileError(f"too many ids: {len(ids)} (at most {limits.max_queries})", status=413)
    if len(props) > limits.max_properties:
        raise ReconcileError(f"at most {limits.max_properties} properties", status=413)
    requested: Requested = []
    for item in props:
        pid = item.get("id") if isinstance(item, Mapping) else None
        if pid not in EXTEND_PROPERTIES:
            known = ", ".join(EXTEND_PROPERTIES)
            raise ReconcileError(f"unknown property {pid!r} (known: {known})", value=pid)
        requested.append((str(pid), _limit_setting(item.get("settings"), f"property {pid!r}")))
    return list(dict.fromkeys(ids)), requested


def _entity(term_id: str, index: OntologyIndex) -> dict[str, str]:
    return {"id": term_id, "name": index.label(term_id) or term_id}


def term_values(term: Term, index: OntologyIndex, prop: str) -> list[dict[str, Any]]:
    """The values of ``prop`` on ``term``, as API property values."""
    if prop == "label":
        return [{"str": term.label}] if term.label else []
    if prop == "definition":
        return [{"str": term.definition}] if term.definition else []
    if prop == "synonyms":
        return [{"str": s.text} for s in term.synonyms]
    if prop == "parents":
        return [_entity(p, index) for p in (*term.parents, *term.part_of)]
    if prop == "xrefs":
        return [{"str": x} for x in term.xrefs]
    if prop == "replaced_by":
        return [_entity(r, index) for r in term.replaced_by]
    raise ReconcileError(f"unknown property {prop!r}", value=prop)  # pragma: no cover


def _values(service: ReconcileService, term_id: str, prop: str, limit: int) -> list[Any]:
    found = service.lookup(term_id)
    if found is None:
        return []
    values = term_values(found[0], found[1], prop)
    return values[:limit] if limit else values


def _meta(requested: Requested) -> list[dict[str, str]]:
    return [{"id": pid, "name": EXTEND_PROPERTIES[pid].name} for pid, _ in requested]


def extend_v02(service: ReconcileService, data: object) -> dict[str, Any]:
    """0.2 response: ``{"meta": [...], "rows": {id: {property: [values]}}}``."""
    ids, requested = parse_extend(data, service.limits)
    rows = {
        term_id: {pid: _values(service, term_id, pid, limit) for pid, limit in requested}
        for term_id in ids
    }
    return {"meta": _meta(requested), "rows": rows}


def extend_v10(service: ReconcileService, data: object) -> dict[str, Any]:
    """1.0-draft response: ``{"meta": [...], "rows": [{"id", "properties": [...]}]}``."""
    ids, requested = parse_extend(data, service.limits)
    rows = [
        {
            "id": term_id,
            "properties": [
                {"id": pid, "values": _values(service, term_id, pid, limit)}
                for pid, limit in requested
            ],
        }
        for term_id in ids
    ]
    return {"meta": _meta(requested), "rows": rows}


def propose(service: ReconcileService, type_id: str, limit: int | None) -> dict[str, Any]:
    """The properties to offer for a type (the same for every type the service has)."""
    if type_id:
        service.type(type_id)  # an unknown type is a 400
    props = list(EXTEND_PROPERTIES.values())[: limit or None]
    out: dict[str, Any] = {
        "type": type_id,
        "properties": [{"id": p.id, "name": p.name, "description": p.description} for p in props],
    }
    if limit:
        out["limit"] = limit
    return out
