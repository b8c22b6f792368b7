"""Reconciliation query batches in, :class:`Query` records out (API 0.1, 0.2 and 1.0-draft).

Parsing is strict where the specification is (unknown fields, wrong types) and every
refusal is a :class:`~harmonize.errors.ReconcileError` naming the query and the field, so
the service answers 4xx with a message a steward can act on, never 500. Batches larger
than :attr:`Limits.max_queries` are refused with 413 (the manifest announces the size).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from harmonize.errors import ReconcileError
from harmonize.reconcile.properties import COLUMN, QUERY_PROPERTIES, UNDER

__all__ = ["TYPE_STRICT", "Limits", "Query", "parse_json", "parse_v01", "parse_v02", "parse_v10"]

TypeStrict = Literal["any", "should", "all"]
TYPE_STRICT: tuple[TypeStrict, ...] = ("any", "should", "all")
_V02_FIELDS = frozenset({"query", "type", "limit", "properties", "type_strict"})
_V10_FIELDS = frozenset({"conditions", "type", "limit", "lang", "dir"})
_V10_CONDITION = frozenset(
    {"matchType", "propertyId", "propertyValue", "required", "matchQuantifier", "matchQualifier"}
)


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may ask for. ``default_limit`` is the number of candidates when a
    query names none: the default top-k of ``harmonize ground``, so a query without a
    limit gets the candidates (and confidences) ``ground`` writes."""

    max_queries: int = 1000
    max_query_chars: int = 1000
    max_body_bytes: int = 4 * 1024 * 1024
    default_limit: int = 5
    max_limit: int = 100
    max_suggest: int = 50
    max_properties: int = 20


@dataclass(frozen=True, slots=True)
class Query:
    """One reconciliation query.

    ``types`` restrict the candidates (none: every loaded ontology); ``column`` is the
    partner column (the ledger namespace); ``under`` keeps candidates below these terms;
    ``ids`` (1.0 ``matchType: id``) asks for entities by identifier.
    """

    key: str
    text: str | None
    types: tuple[str, ...] = ()
    type_strict: TypeStrict = "should"
    limit: int = 5
    column: str | None = None
    under: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


def _fail(message: str, *, status: int = 400, value: object = None) -> ReconcileError:
    return ReconcileError(message, status=status, value=value)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str, what: str) -> Any:
    """``text`` as strict JSON (no NaN or Infinity), or a 400 naming ``what`` it should
    have been."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise _fail(f"{what} is not valid JSON ({exc.msg} at character {exc.pos})") from None
    except (ValueError, RecursionError) as exc:
        raise _fail(f"{what} is not valid JSON ({exc})") from None


def _count(n: int, limits: Limits) -> None:
    if n > limits.max_queries:
        raise _fail(
            f"too many queries in one batch: {n} (at most {limits.max_queries}; "
            "the manifest's batchSize says so)",
            status=413,
        )


def _text(value: object, where: str, limits: Limits) -> str:
    if not isinstance(value, str):
        raise _fail(f"{where}: 'query' must be a string", value=value)
    if len(value) > limits.max_query_chars:
        raise _fail(
            f"{where}: the query text is {len(value)} characters long "
            f"(at most {limits.max_query_chars})"
        )
    return value


def _limit(value: object, where: str, limits: Limits) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(f"{where}: 'limit' must be a number", value=value)
    if value != int(value) or value < 0:
        raise _fail(f"{where}: 'limit' must be a whole number >= 0", value=value)
    return min(int(value), limits.max_limit) if value else limits.default_limit


def _types(value: object, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(t, str) and t for t in items):
        raise _fail(f"{where}: 'type' must be a type id or a list of type ids", value=value)
    return tuple(dict.fromkeys(items))


def _values(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _property(pid: object, value: object, where: str) -> tuple[str, tuple[str, ...]]:
    """(property id, its values as strings; entity values by their id)."""
    if not isinstance(pid, str) or pid not in QUERY_PROPERTIES:
        known = ", ".join(sorted(QUERY_PROPERTIES))
        raise _fail(f"{where}: unknown property {pid!r} (this service knows: {known})", value=pid)
    out: list[str] = []
    for v in _values(value):
        if isinstance(v, Mapping) and isinstance(v.get("id"), str):
            out.append(v["id"])
        elif isinstance(v, str | int | float) and not isinstance(v, bool):
            out.append(str(v))
        else:
            raise _fail(f"{where}: property {pid!r} has a value of the wrong kind", value=v)
    values = tuple(s.strip() for s in out if s.strip())
    if pid == COLUMN and len(values) > 1:
        raise _fail(f"{where}: property {COLUMN!r} takes one column name", value=value)
    return pid, values


def _properties(value: object, where: str, limits: Limits) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, list):
        raise _fail(f"{where}: 'properties' must be a list of {{pid, v}} objects", value=value)
    if len(value) > limits.max_properties:
        raise _fail(f"{where}: at most {limits.max_properties} properties per query")
    found: dict[str, tuple[str, ...]] = {}
    for item in value:
        if not isinstance(item, Mapping) or "pid" not in item or "v" not in item:
            raise _fail(f"{where}: each property needs 'pid' and 'v'", value=item)
        pid, values = _property(item["pid"], item["v"], where)
        found[pid] = found.get(pid, ()) + values
    return found


def _query_v02(key: str, data: object, limits: Limits) -> Query:
    where = f"query {key!r}"
    if not isinstance(data, Mapping):
        raise _fail(f"{where} must be a JSON object", value=data)
    unknown = sorted(set(data) - _V02_FIELDS)
    if unknown:
        raise _fail(f"{where}: unknown field {unknown[0]!r}", value=unknown[0])
    props = _properties(data["properties"], where, limits) if "properties" in data else {}
    if "query" not in data and not props:
        raise _fail(f"{where} needs a 'query' text (or properties)")
    strict = data.get("type_strict", "should")
    if strict not in TYPE_STRICT:
        raise _fail(f"{where}: 'type_strict' must be one of any, should, all", value=strict)
    return Query(
        key=key,
        text=_text(data["query"], where, limits) if "query" in data else None,
        types=_types(data["type"], where) if data.get("type") is not None else (),
        type_strict=strict,
        limit=_limit(data["limit"], where, limits) if "limit" in data else limits.default_limit,
        column=(props.get(COLUMN) or (None,))[0],
        under=props.get(UNDER, ()),
    )


def parse_v02(data: object, limits: Limits) -> list[Query]:
    """An API 0.2 batch ``{"q0": {"query": ..., "type": ...}, ...}``: the ``queries``
    parameter's text, or the batch already read from a JSON body."""
    if isinstance(data, str):
        data = parse_json(data, "'queries'")
    if not isinstance(data, Mapping):
        raise _fail('\'queries\' must be a JSON object of queries, like {"q0": {"query": "liver"}}')
    _count(len(data), limits)
    return [_query_v02(str(key), value, limits) for key, value in data.items()]


def parse_v01(text: str, limits: Limits) -> Query:
    """The single ``query`` parameter of API 0.1: a JSON query object or a bare string."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return _query_v02("query", parse_json(stripped, "'query'"), limits)
    return Query(key="query", text=_text(text, "query", limits), limit=limits.default_limit)


def _condition(cond: object, where: str, found: dict[str, list[str]]) -> None:
    if not isinstance(cond, Mapping) or "matchType" not in cond or "propertyValue" not in cond:
        raise _fail(f"{where}: each condition needs 'matchType' and 'propertyValue'", value=cond)
    unknown = sorted(set(cond) - _V10_CONDITION)
    if unknown:
        raise _fail(f"{where}: unknown condition field {unknown[0]!r}", value=unknown[0])
    if cond.get("matchQuantifier", "any") != "any":
        raise _fail(f"{where}: only matchQuantifier 'any' is supported", value=cond)
    kind = cond["matchType"]
    value = cond["propertyValue"]
    if kind == "name":
        if not isinstance(value, str):
            raise _fail(f"{where}: a name condition takes one string", value=value)
        found.setdefault("name", []).append(value)
    elif kind == "id":
        ids = [v for v in _values(value) if isinstance(v, str)]
        if len(ids) != len(_values(value)):
            raise _fail(f"{where}: an id condition takes identifiers (strings)", value=value)
        found.setdefault("id", []).extend(ids)
    elif kind == "property":
        pid, values = _property(cond.get("propertyId"), value, where)
        found.setdefault(pid, []).extend(values)
    else:
        raise _fail(f"{where}: matchType must be name, id or property", value=kind)


def _query_v10(position: int, data: object, limits: Limits) -> Query:
    where = f"query {position}"
    if not isinstance(data, Mapping) or not isinstance(data.get("conditions"), list):
        raise _fail(f"{where} must be an object with a list of 'conditions'", value=data)
    unknown = sorted(set(data) - _V10_FIELDS)
    if unknown:
        raise _fail(f"{where}: unknown field {unknown[0]!r}", value=unknown[0])
    conditions = data["conditions"]
    if not conditions or len(conditions) > limits.max_properties:
        raise _fail(f"{where}: between 1 and {limits.max_properties} conditions")
    found: dict[str, list[str]] = {}
    for cond in conditions:
        _condition(cond, where, found)
    names = found.get("name", [])
    if len(names) > 1:
        raise _fail(f"{where}: at most one name condition", value=names)
    type_ = data.get("type")
    if type_ is not None and not isinstance(type_, str):
        raise _fail(f"{where}: 'type' must be one type id (1.0 draft)", value=type_)
    return Query(
        key=str(position),
        text=_text(names[0], where, limits) if names else None,
        types=(type_,) if type_ else (),
        limit=_limit(data["limit"], where, limits) if "limit" in data else limits.default_limit,
        column=found[COLUMN][0] if found.get(COLUMN) else None,
        under=tuple(found.get(UNDER, ())),
        ids=tuple(found.get("id", ())),
    )


def parse_v10(data: object, limits: Limits) -> list[Query]:
    """A 1.0-draft batch: ``{"queries": [{"conditions": [...], "type": ...}, ...]}``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("queries"), list):
        raise _fail('the body must be {"queries": [...]} (reconciliation API 1.0 draft)')
    if set(data) - {"queries"}:
        raise _fail("unknown field in the batch", value=sorted(set(data) - {"queries"})[0])
    queries = data["queries"]
    _count(len(queries), limits)
    return [_query_v10(i, q, limits) for i, q in enumerate(queries)]
