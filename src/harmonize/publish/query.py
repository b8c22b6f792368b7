"""Run one SPARQL query on the published store, read-only, capped, on the visible graphs.

The query's dataset is always given explicitly to pyoxigraph (``default_graph`` and
``named_graphs``): the visible published graphs — all of them with a valid token, public
ones only without. Restricted graphs are thus absent for every query form (``GRAPH ?g``,
``DESCRIBE``, ``FROM``); nothing is done by rewriting the query text. ``FROM``/``FROM
NAMED`` and the protocol's ``default-graph-uri``/``named-graph-uri`` narrow that set,
never widen it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harmonize.errors import PublishError
from harmonize.publish.results import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    write_boolean,
    write_graph,
    write_solutions,
)

if TYPE_CHECKING:
    import pyoxigraph

    from harmonize.publish.store import PublishedStore

__all__ = [
    "Limits",
    "QueryOutcome",
    "QueryRefusedError",
    "QueryRetryError",
    "QueryTimeoutError",
    "looks_like_update",
    "run_query",
]

_PROLOGUE = re.compile(r"^(\s*(#[^\n]*\n|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>))*\s*", re.I)
_UPDATE_VERB = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?<([^>\s]*)>", re.I)


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps applied to every query; both are reported when hit, never silent."""

    max_rows: int = 10_000
    timeout_s: float = 30.0


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    body: bytes
    media_type: str
    form: str  # select | ask | graph
    rows: int
    truncated: bool
    elapsed_s: float
    note: str | None = None


class QueryRefusedError(PublishError):
    """The request asks for something this endpoint never does (e.g. an update)."""


class QueryTimeoutError(PublishError):
    """The query ran past the time cap."""


class QueryRetryError(PublishError):
    """The visible data changed while the query ran; the answer was withheld."""


def looks_like_update(text: str) -> bool:
    """True when ``text`` starts (after its prologue) with a SPARQL Update verb."""
    rest = text[_PROLOGUE.match(text).end() :]  # type: ignore[union-attr]
    return bool(_UPDATE_VERB.match(rest))


def _narrow(
    visible: Sequence[pyoxigraph.NamedNode], wanted: Sequence[str]
) -> list[pyoxigraph.NamedNode]:
    wanted_set = set(wanted)
    return [g for g in visible if g.value in wanted_set]


def run_query(
    store: PublishedStore,
    text: str,
    *,
    authorized: bool,
    select_format: str = "json",
    graph_format: str = "turtle",
    default_graph_uri: Sequence[str] = (),
    named_graph_uri: Sequence[str] = (),
    limits: Limits = Limits(),
) -> QueryOutcome:
    """Evaluate ``text``; raise :class:`QueryRefusedError`, :class:`QueryTimeoutError` or
    :class:`PublishError` (syntax) with a message fit for an HTTP error body."""
    import pyoxigraph as ox

    if looks_like_update(text):
        raise QueryRefusedError(
            "this endpoint is read-only: SPARQL Update (INSERT/DELETE/LOAD/CLEAR/DROP...) is "
            "not accepted; republish with 'harmonize publish' instead"
        )
    started = time.monotonic()
    deadline = started + limits.timeout_s
    visible = store.dataset(authorized=authorized)
    from_default = [m.group(2) for m in _FROM.finditer(text) if not m.group(1)]
    from_named = [m.group(2) for m in _FROM.finditer(text) if m.group(1)]
    default_graph = visible
    named_graphs = visible
    if default_graph_uri or named_graph_uri:
        default_graph = _narrow(visible, default_graph_uri)
        named_graphs = _narrow(visible, named_graph_uri)
    elif from_default or from_named:
        default_graph = _narrow(visible, from_default)
        named_graphs = _narrow(visible, from_named)
    try:
        result = store.store.query(
            text,
            default_graph=list(default_graph),
            named_graphs=list(named_graphs),
        )
    except SyntaxError as exc:
        raise PublishError(f"SPARQL syntax error: {exc}") from None
    note = (
        f"result truncated to the endpoint's limit of {limits.max_rows} rows; "
        "page with LIMIT/OFFSET or ask the operator to raise --max-rows"
    )
    try:
        if isinstance(result, ox.QueryBoolean):
            outcome = QueryOutcome(
                write_boolean(bool(result), select_format),
                SELECT_FORMATS[select_format],
                "ask",
                1,
                False,
                time.monotonic() - started,
            )
        elif isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[list[Any]] = []
            truncated = False
            for solution in result:
                if len(rows) >= limits.max_rows:
                    truncated = True
                    break
                rows.append([solution[i] for i in range(len(variables))])
                if len(rows) % 256 == 0 and time.monotonic() > deadline:
                    raise _timeout(limits)
            outcome = QueryOutcome(
                write_solutions(variables, rows, select_format, truncated=truncated, note=note),
                SELECT_FORMATS[select_format],
                "select",
                len(rows),
                truncated,
                time.monotonic() - started,
                note if truncated else None,
            )
        else:
            triples: list[pyoxigraph.Triple] = []
            truncated = False
            for triple in result:
                if len(triples) >= limits.max_rows:
                    truncated = True
                    break
                triples.append(triple)
                if len(triples) % 256 == 0 and time.monotonic() > deadline:
                    raise _timeout(limits)
            note = note.replace("rows", "triples")
            outcome = QueryOutcome(
                write_graph(triples, graph_format, truncated=truncated, note=note),
                GRAPH_FORMATS[graph_format],
                "graph",
                len(triples),
                truncated,
                time.monotonic() - started,
                note if truncated else None,
            )
    except (SyntaxError, OSError, ValueError) as exc:  # evaluation errors
        raise PublishError(f"query failed: {exc}") from None
    if time.monotonic() > deadline:
        raise _timeout(limits)
    if not authorized and _became_restricted(store, visible):
        # a graph was restricted while this query ran: never hand out what it read
        raise QueryRetryError("the published data changed while the query ran; run it again")
    return outcome


def _timeout(limits: Limits) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"query exceeded the endpoint's time limit of {limits.timeout_s:g} s; "
        "narrow it (LIMIT, more specific patterns) or ask the operator to raise --timeout"
    )


def _became_restricted(store: PublishedStore, used: Sequence[pyoxigraph.NamedNode]) -> bool:
    now = {g.value for g in store.dataset(authorized=False)}
    return any(g.value not in now for g in used)
