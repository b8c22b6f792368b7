"""Run one SPARQL query on the published store, read-only, capped, on the visible graphs.

The query's dataset is always given explicitly to pyoxigraph (``default_graph`` and
``named_graphs``): the visible published graphs — all of them with a valid token, public
ones only without. Restricted graphs are thus absent for every query form (``GRAPH ?g``,
``DESCRIBE``, ``FROM``); nothing is done by rewriting the query text. ``FROM``/``FROM
NAMED`` (read from the parsed query) and the protocol's ``default-graph-uri``/
``named-graph-uri`` narrow that set, never widen it.

Before evaluation: the size and nesting guard, the parser, the SERVICE allow-list and the
answer format; a query failing any of them never reaches the store. ``harmonize serve``
runs this function inside a worker process (:mod:`harmonize.publishing.worker`), where the
time and memory limits are enforced by stopping the process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from harmonize.errors import PublishError
from harmonize.publishing.guard import check_query_text
from harmonize.publishing.limits import (
    Limits,
    NotAcceptableError,
    QueryOutcome,
    QueryRefusedError,
    QueryRejectedError,
    QueryRetryError,
    QueryTimeoutError,
)
from harmonize.publishing.parsing import ParsedQuery, check_services, parse_query
from harmonize.publishing.results import (
    GRAPH_FORMATS,
    SELECT_FORMATS,
    Note,
    Written,
    write_boolean,
    write_graph,
    write_solutions,
)

if TYPE_CHECKING:
    import pyoxigraph

    from harmonize.publishing.store import PublishedStore

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "QueryOutcome",
    "QueryRefusedError",
    "QueryRetryError",
    "QueryTimeoutError",
    "prepare_query",
    "run_query",
]


DEFAULT_LIMITS = Limits()


def _narrow(
    visible: Sequence[pyoxigraph.NamedNode], wanted: Sequence[str]
) -> list[pyoxigraph.NamedNode]:
    wanted_set = set(wanted)
    return [g for g in visible if g.value in wanted_set]


def prepare_query(
    text: str, limits: Limits, *, select_format: str | None, graph_format: str | None
) -> ParsedQuery:
    """Every check that comes before evaluation, in order: size and depth, syntax (and
    updates), SERVICE, answer format. Raises a :class:`~harmonize.publishing.limits.QueryError`."""
    check_query_text(text, limits)
    parsed = parse_query(text)
    check_services(parsed, limits.allow_service)
    if parsed.is_graph and graph_format is None:
        raise NotAcceptableError(
            "none of the Accept header's types fits a graph answer; ask for one of "
            + ", ".join(GRAPH_FORMATS.values())
        )
    if not parsed.is_graph and select_format is None:
        raise NotAcceptableError(
            "none of the Accept header's types fits a results answer; ask for one of "
            + ", ".join(SELECT_FORMATS.values())
        )
    return parsed


def _dataset(
    visible: Sequence[pyoxigraph.NamedNode],
    parsed: ParsedQuery,
    default_graph_uri: Sequence[str],
    named_graph_uri: Sequence[str],
) -> tuple[list[pyoxigraph.NamedNode], list[pyoxigraph.NamedNode]]:
    if default_graph_uri or named_graph_uri:  # the protocol's parameters win over FROM
        return _narrow(visible, default_graph_uri), _narrow(visible, named_graph_uri)
    if parsed.default_graphs or parsed.named_graphs:
        return _narrow(visible, parsed.default_graphs), _narrow(visible, parsed.named_graphs)
    return list(visible), list(visible)


def _note(limits: Limits, unit: str) -> Note:
    def note(cause: Literal["rows", "bytes"], rows: int) -> str:
        if cause == "bytes":
            return (
                f"result truncated after {rows} {unit} to stay within the endpoint's limit "
                f"of {limits.max_result_bytes:,} bytes; select fewer or shorter values"
            )
        return (
            f"result truncated to the endpoint's limit of {limits.max_rows} {unit}; "
            "page with LIMIT/OFFSET or ask the operator to raise the limit"
        )

    return note


def run_query(
    store: PublishedStore,
    text: str,
    *,
    authorized: bool,
    select_format: str | None = "json",
    graph_format: str | None = "turtle",
    default_graph_uri: Sequence[str] = (),
    named_graph_uri: Sequence[str] = (),
    limits: Limits = DEFAULT_LIMITS,
    visible: Sequence[pyoxigraph.NamedNode] | None = None,
) -> QueryOutcome:
    """Evaluate ``text`` on the graphs ``authorized`` may see (``visible`` when the caller
    knows them already); raise a :class:`~harmonize.publishing.limits.QueryError` with a
    message fit for an HTTP error body."""
    started = time.monotonic()
    parsed = prepare_query(text, limits, select_format=select_format, graph_format=graph_format)
    deadline = started + limits.timeout_s

    def tick() -> None:
        if time.monotonic() > deadline:
            raise _timeout(limits)

    shown = list(visible) if visible is not None else store.dataset(authorized=authorized)
    default_graph, named_graphs = _dataset(shown, parsed, default_graph_uri, named_graph_uri)
    result: Any = None
    try:
        result = store.store.query(
            text,
            default_graph=default_graph,  # type: ignore[arg-type]
            named_graphs=named_graphs,  # type: ignore[arg-type]
        )
        written, media, form, note = _write(result, select_format, graph_format, limits, tick)
    except SyntaxError as exc:
        raise QueryRejectedError(f"SPARQL syntax error: {_one_line(exc)}") from None
    except (RuntimeError, ValueError, TypeError) as exc:  # evaluation errors of the query
        raise QueryRejectedError(f"query failed: {_one_line(exc)}") from None
    except OSError as exc:
        raise PublishError(f"the store could not be read: {_one_line(exc)}") from None
    finally:
        result = None  # the store's iterator must be dropped in this thread (pyo3 objects)
    tick()
    if visible is None and not authorized and _became_restricted(store, shown):
        # a graph was restricted while this query ran: never hand out what it read
        raise QueryRetryError("the published data changed while the query ran; run it again")
    elapsed = time.monotonic() - started
    return QueryOutcome(written.body, media, form, written.rows, written.truncated, elapsed, note)


def _write(
    result: Any,
    select_format: str | None,
    graph_format: str | None,
    limits: Limits,
    tick: Callable[[], None],
) -> tuple[Written, str, str, str | None]:
    """The capped answer, its media type, its form and the truncation note."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        fmt = select_format or "json"
        return Written(write_boolean(bool(result), fmt), 1, False), SELECT_FORMATS[fmt], "ask", None
    if isinstance(result, ox.QuerySolutions):
        fmt = select_format or "json"
        variables = [v.value for v in result.variables]
        count = len(variables)
        rows = ([solution[i] for i in range(count)] for solution in result)
        note = _note(limits, "rows")
        try:
            written = write_solutions(variables, rows, fmt, max_rows=limits.max_rows,
                                      max_bytes=limits.max_result_bytes, note=note, tick=tick)  # fmt: skip
        finally:
            rows.close()  # a cut answer leaves the iterator suspended: release it here
            del rows, result
        media, form = SELECT_FORMATS[fmt], "select"
    else:
        fmt = graph_format or "turtle"
        note = _note(limits, "triples")
        written = write_graph(result, fmt, max_rows=limits.max_rows,
                              max_bytes=limits.max_result_bytes, note=note, tick=tick)  # fmt: skip
        media, form = GRAPH_FORMATS[fmt], "graph"
    text = note(written.cut_by, written.rows) if written.cut_by is not None else None
    return written, media, form, text


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _timeout(limits: Limits) -> QueryTimeoutError:
    return QueryTimeoutError(
        f"query exceeded the endpoint's time limit of {limits.timeout_s:g} s; "
        "narrow it (LIMIT, more specific patterns) or ask the operator to raise the limit"
    )


def _became_restricted(store: PublishedStore, used: Sequence[pyoxigraph.NamedNode]) -> bool:
    now = {g.value for g in store.dataset(authorized=False)}
    return any(g.value not in now for g in used)
