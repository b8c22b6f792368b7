"""The endpoint's request handlers (module-level; their state lives on ``app.state``).

``app.state`` holds ``store`` (the published store, read-only, for the catalog),
``config`` (:class:`harmonize.publishing.server.ServerConfig`), ``pool`` (the query workers)
and ``templates`` (Jinja). Every query — a SPARQL request, a Graph Store read, a record
page — runs in the worker pool, never in the server process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from harmonize.errors import PublishError
from harmonize.publishing.guard import check_query_text
from harmonize.publishing.limits import QueryError
from harmonize.publishing.negotiate import graph_format, select_format, wants_html
from harmonize.publishing.protocol import (
    answer,
    authorize,
    error,
    query_error,
    read_params,
    reply_bytes,
)
from harmonize.publishing.results import GRAPH_FORMATS, SELECT_FORMATS
from harmonize.publishing.worker import Job, Reply

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = [
    "READ_ONLY",
    "graph_store",
    "graphs_json",
    "index",
    "options",
    "read_only",
    "resource",
    "resource_path",
    "sparql",
    "void",
]

READ_ONLY = (
    "this endpoint is read-only: SPARQL Update is not accepted; "
    "change the data with 'harmonize publish' instead"
)
_NOT_IN_IRI = frozenset('<>"{}|^`\\ \n\r\t')


def _visible_graphs(request: Request, authorized: bool) -> list[Any]:
    return [g for g in request.app.state.store.graphs() if authorized or not g.restricted]


def _first(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key)
    return values[0] if values else None


def _not_acceptable(offered: dict[str, str]) -> Response:
    return error(406, "the Accept header allows none of: " + ", ".join(offered.values()))


async def _run(request: Request, job: Job) -> Reply | Response:
    """``job`` in the worker pool; a limit or failure becomes its HTTP error."""
    state = request.app.state
    try:
        reply: Reply = await state.pool.run(job)
    except QueryError as exc:
        return query_error(exc, state.config.limits)
    except PublishError as exc:
        return error(500, exc.message)
    return reply


# -- SPARQL protocol -----------------------------------------------------------------
async def sparql(request: Request) -> Response:
    """``/sparql`` and ``/query``: a query (GET/POST), a Graph Store read (``?graph=``,
    ``?default``), or without either the service description (the query page for a browser)."""
    config = request.app.state.config
    try:
        params = await read_params(request, config.max_body_bytes)
    except QueryError as exc:
        return query_error(exc, config.limits)
    if not isinstance(params, dict):
        return params
    if "update" in params:
        return error(403, READ_ONLY)
    queries = params.get("query", [])
    if len(queries) > 1:
        return error(400, "give exactly one 'query' parameter")
    if queries:
        return await _execute(request, queries[0], params)
    if request.method == "GET" and ("graph" in params or "default" in params):
        return await _graph_store_get(request, params)
    if request.method == "GET" and wants_html(request.headers.get("accept")):
        return await index(request)
    authorized, refusal = authorize(request)
    if refusal is not None:
        return refusal
    from harmonize.publishing.void import service_description

    graphs = _visible_graphs(request, authorized)
    return _rdf(request, service_description(str(request.base_url), graphs))


async def _execute(request: Request, text: str, params: dict[str, list[str]]) -> Response:
    authorized, refusal = authorize(request)
    if refusal is not None:
        return refusal
    limits = request.app.state.config.limits
    accept = request.headers.get("accept")
    fmt = _first(params, "format")
    select_fmt, graph_fmt = select_format(accept, fmt), graph_format(accept, fmt)
    if select_fmt is None and graph_fmt is None:
        return _not_acceptable({**SELECT_FORMATS, **GRAPH_FORMATS})
    try:
        check_query_text(text, limits)  # before anything that recurses sees it
    except QueryError as exc:
        return query_error(exc, limits)
    job = Job(
        text,
        authorized,
        select_fmt,
        graph_fmt,
        tuple(params.get("default-graph-uri", ())),
        tuple(params.get("named-graph-uri", ())),
    )
    reply = await _run(request, job)
    return reply if not isinstance(reply, Reply) else answer(reply, limits)


async def _graph_store_get(request: Request, params: dict[str, list[str]]) -> Response:
    """Graph Store Protocol read: one visible graph (``graph=IRI``) or the default graph
    (``default``: the union of the visible graphs). Others do not exist (404)."""
    authorized, refusal = authorize(request)
    if refusal is not None:
        return refusal
    names = params.get("graph", [])
    if len(names) + ("default" in params) != 1:
        return error(400, "give exactly one of 'graph=IRI' or 'default'")
    if names:
        iri = names[0]
        visible = {g.iri for g in _visible_graphs(request, authorized)}
        if not _usable_iri(iri) or iri not in visible:
            return error(404, f"no graph {iri} in the published data")
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    else:
        text = "CONSTRUCT WHERE { ?s ?p ?o }"
    fmt = graph_format(request.headers.get("accept"), _first(params, "format"))
    if fmt is None:
        return _not_acceptable(GRAPH_FORMATS)
    reply = await _run(request, Job(text, authorized, None, fmt))
    return reply if not isinstance(reply, Reply) else answer(reply, request.app.state.config.limits)


async def graph_store(request: Request) -> Response:
    """``/store``: the Graph Store Protocol, read side only."""
    if request.method not in ("GET", "HEAD"):
        return error(403, READ_ONLY)
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return await _graph_store_get(request, params)


async def read_only(request: Request) -> Response:
    return error(403, READ_ONLY)


async def options(request: Request) -> Response:
    """Plain ``OPTIONS`` (a CORS preflight from an allowed origin is answered by the CORS
    middleware before it gets here)."""
    from starlette.responses import Response

    methods = "GET, POST, OPTIONS" if request.url.path in ("/sparql", "/query") else "GET, OPTIONS"
    return Response(status_code=204, headers={"Allow": methods})


# -- pages and descriptions ----------------------------------------------------------------
async def index(request: Request) -> Response:
    from starlette.responses import HTMLResponse

    from harmonize.publishing.examples import EXAMPLE_QUERIES

    authorized, refusal = authorize(request)
    if refusal is not None:
        return refusal
    state = request.app.state
    hidden = 0 if authorized else sum(1 for g in state.store.graphs() if g.restricted)
    html = state.templates.get_template("index.html").render(
        title=state.config.title,
        graphs=_visible_graphs(request, authorized),
        examples=EXAMPLE_QUERIES,
        limits=state.config.limits,
        hidden=hidden,
    )
    return HTMLResponse(html)


async def void(request: Request) -> Response:
    authorized, refusal = authorize(request)
    if refusal is not None:
        return refusal
    from harmonize.publishing.void import void_description

    graphs = _visible_graphs(request, authorized)
    return _rdf(request, void_description(str(request.base_url), graphs))


async def graphs_json(request: Request) -> Response:
    from starlette.responses import JSONResponse

    authorized, refusal = authorize(request)
    if refusal is not None:
        return refusal
    keys = ("iri", "kind", "triples", "modified", "restricted")
    rows = [
        {("graph" if k == "iri" else k): getattr(g, k) for k in keys}
        for g in _visible_graphs(request, authorized)
    ]
    return JSONResponse(rows)


def _rdf(request: Request, triples: list[Any]) -> Response:
    """A small RDF description made in the server (VoID, service description)."""
    from starlette.responses import Response

    from harmonize.publishing.results import write_graph

    fmt = graph_format(request.headers.get("accept"), request.query_params.get("format"))
    if fmt is None:
        return _not_acceptable(GRAPH_FORMATS)
    body = write_graph(triples, fmt, max_rows=len(triples) + 1, max_bytes=1 << 30).body
    return Response(body, media_type=GRAPH_FORMATS[fmt], headers={"Vary": "Accept, Authorization"})


# -- records -------------------------------------------------------------------------------
def _usable_iri(iri: str) -> bool:
    return bool(iri) and ":" in iri and not any(c in _NOT_IN_IRI for c in iri)


async def resource(request: Request, iri: str | None = None) -> Response:
    """A record: HTML for a browser, RDF by ``Accept``; 404 when the visible data has no
    triple about it (restricted records are invisible without the token)."""
    iri = iri or request.query_params.get("iri")
    if not iri:
        return error(400, "give the record's IRI: /resource?iri=...")
    if not _usable_iri(iri):
        return error(400, "not a valid IRI")
    authorized, refusal = authorize(request)
    if refusal is not None:
        return refusal
    accept, fmt_param = request.headers.get("accept"), request.query_params.get("format")
    if fmt_param or not wants_html(accept):
        fmt = graph_format(accept, fmt_param)
        if fmt is None:
            return _not_acceptable(GRAPH_FORMATS)
        described = await _run(request, Job(f"DESCRIBE <{iri}>", authorized, None, fmt))
        if not isinstance(described, Reply):
            return described
        empty = described.status == 200 and described.rows == 0
        if empty and not await _has_incoming(request, iri, authorized):
            reply_bytes(described)
            return error(404, f"no record {iri} in the published data")
        return answer(described, request.app.state.config.limits)
    return await _resource_page(request, iri, authorized)


async def _has_incoming(request: Request, iri: str, authorized: bool) -> bool:
    reply = await _run(request, Job(f"ASK {{ ?s ?p <{iri}> }}", authorized, "json", None))
    return isinstance(reply, Reply) and reply.status == 200 and b"true" in reply_bytes(reply)


async def _resource_page(request: Request, iri: str, authorized: bool) -> Response:
    import json

    import pyoxigraph as ox
    from starlette.responses import HTMLResponse

    described = await _run(request, Job(f"DESCRIBE <{iri}>", authorized, None, "ntriples"))
    if not isinstance(described, Reply):
        return described
    incoming_query = f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT 200"
    incoming = await _run(request, Job(incoming_query, authorized, "json", None))
    if not isinstance(incoming, Reply):
        return incoming
    if described.status != 200 or incoming.status != 200:
        failed = described if described.status != 200 else incoming
        return answer(failed, request.app.state.config.limits)
    triples = list(ox.parse(reply_bytes(described), format=ox.RdfFormat.N_TRIPLES))
    rows = json.loads(reply_bytes(incoming))["results"]["bindings"]
    if not triples and not rows:
        return error(404, f"no record {iri} in the published data")
    state = request.app.state
    html = state.templates.get_template("resource.html").render(
        title=state.config.title,
        iri=iri,
        rows=[(_show(t.predicate), _show(t.object)) for t in triples],
        incoming=[(_show_json(r["s"]), _show_json(r["p"])) for r in rows],
    )
    return HTMLResponse(html, headers={"Vary": "Accept, Authorization"})


async def resource_path(request: Request) -> Response:
    """Any other path ``/P`` dereferences the IRI ``<this server>/P``."""
    return await resource(request, str(request.url.replace(query="")))


def _link(iri: str) -> dict[str, str | None]:
    return {"text": iri, "href": f"/resource?iri={quote(iri, safe='')}"}


def _show(term: Any) -> dict[str, str | None]:
    """A term for the HTML page: text, and a link when it is an IRI."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return _link(term.value)
    if isinstance(term, ox.Literal):
        suffix = f"@{term.language}" if term.language else ""
        return {"text": f"{term.value}{suffix}", "href": None}
    return {"text": str(term), "href": None}


def _show_json(term: dict[str, str]) -> dict[str, str | None]:
    if term.get("type") == "uri":
        return _link(term["value"])
    return {"text": term.get("value", ""), "href": None}
