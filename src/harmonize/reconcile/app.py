"""The reconciliation service's web face: thin Starlette routes, state on ``app.state``.

API 0.2 (what OpenRefine 3.x speaks) at the root: the manifest (``GET /``), queries
(``queries=`` as a form field or URL parameter, or a JSON body), the 0.1 single
``query=``, data extension (``extend=``), ``/suggest/{entity,type,property}``,
``/preview?id=``, ``/view?id=`` (redirects to the term's PURL) and
``/extend/propose?type=``. The 1.0 draft under ``/v1`` (``/v1/match``, ``/v1/extend``...).
``POST /decisions`` writes OpenRefine decisions to the ledger. Matching runs in a worker
thread, so the server keeps answering while a batch is grounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from harmonize.errors import HarmonizeError, ReconcileError
from harmonize.reconcile.http import error_response, inputs, int_param, respond

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from harmonize.reconcile.query import Query
    from harmonize.reconcile.service import ReconcileService

__all__ = ["create_app"]

_PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_MAX_OFFSET = 1_000_000


def _service(request: Request) -> ReconcileService:
    return request.app.state.service  # type: ignore[no-any-return]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _threaded(func: Any, *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args)


def _batch_v02(service: ReconcileService, queries: list[Query]) -> dict[str, Any]:
    answers = service.reconcile(queries)
    return {
        q.key: {"result": [service.describe(s) for s in found]}
        for q, found in zip(queries, answers, strict=True)
    }


def _batch_v10(service: ReconcileService, queries: list[Query]) -> dict[str, Any]:
    answers = service.reconcile(queries)
    return {"results": [{"candidates": [service.describe(s) for s in found]} for found in answers]}


# -- API 0.2 -----------------------------------------------------------------------------
async def root(request: Request) -> Response:
    """Manifest, queries, a single query or data extension, by parameter."""
    from harmonize.reconcile.extend import extend_v02
    from harmonize.reconcile.manifest import manifest_v02
    from harmonize.reconcile.query import parse_json, parse_v01, parse_v02, parse_v10

    service = _service(request)
    limits = service.limits
    params, body = await inputs(request, limits.max_body_bytes)
    if body is not None:  # a JSON body: a 0.2 batch, {"queries": ...} or an extension
        if isinstance(body, Mapping) and isinstance(body.get("queries"), list):
            return respond(request, await _threaded(_batch_v10, service, parse_v10(body, limits)))
        if isinstance(body, Mapping) and "ids" in body:
            return respond(request, await _threaded(extend_v02, service, body))
        batch = body.get("queries") if isinstance(body, Mapping) and "queries" in body else body
        return respond(request, await _threaded(_batch_v02, service, parse_v02(batch, limits)))
    if "queries" in params:
        queries = parse_v02(params["queries"], limits)
        return respond(request, await _threaded(_batch_v02, service, queries))
    if "query" in params:
        single = parse_v01(params["query"], limits)
        answer = await _threaded(_batch_v02, service, [single])
        return respond(request, answer[single.key])
    if "extend" in params:
        data = parse_json(params["extend"], "'extend'")
        return respond(request, await _threaded(extend_v02, service, data))
    if request.method == "POST":
        raise ReconcileError("send 'queries' (a JSON object of queries) or 'extend'")
    return respond(request, manifest_v02(service, _base(request)))


async def suggest(request: Request) -> Response:
    """``/suggest/entity|type|property?prefix=...[&type=][&cursor=|offset=][&limit=]``."""
    from harmonize.reconcile.suggest import suggest_entities, suggest_properties, suggest_types

    service = _service(request)
    params = dict(request.query_params)
    kind = request.path_params["kind"]
    if kind not in {"entity", "type", "property"}:
        raise ReconcileError(f"no suggest service for {kind!r}", status=404, value=kind)
    prefix = params.get("prefix")
    if prefix is None:
        raise ReconcileError("parameter 'prefix' (the text typed so far) is required")
    if len(prefix) > service.limits.max_query_chars:
        raise ReconcileError(f"'prefix' is longer than {service.limits.max_query_chars} characters")
    cursor = int_param(params, "cursor", 0, maximum=_MAX_OFFSET)
    offset = int_param(params, "offset", cursor, maximum=_MAX_OFFSET)
    limit = int_param(params, "limit", 10, maximum=service.limits.max_suggest) or 10
    if kind == "entity":
        type_id = params.get("type") or None
        items = await _threaded(
            lambda: suggest_entities(service, prefix, type_id=type_id, offset=offset, limit=limit)
        )
    elif kind == "type":
        items = suggest_types(service, prefix, offset=offset, limit=limit)
    else:
        items = suggest_properties(prefix, offset=offset, limit=limit)
    return respond(request, {"result": items})


async def preview(request: Request) -> Response:
    """The HTML card of ``?id=``."""
    from starlette.responses import HTMLResponse

    from harmonize.reconcile.preview import not_found_html, preview_html

    service = _service(request)
    term_id = request.query_params.get("id", "").strip()
    if not term_id:
        raise ReconcileError("parameter 'id' is required")
    found = await _threaded(service.lookup, term_id)
    headers = {"Content-Security-Policy": _PREVIEW_CSP, "X-Content-Type-Options": "nosniff"}
    if found is None:
        return HTMLResponse(not_found_html(term_id), status_code=404, headers=headers)
    term, index = found
    types = [t.name for t in service.types_of(term.id)]
    return HTMLResponse(preview_html(term, index, types=types), headers=headers)


async def view(request: Request) -> Response:
    """``?id=CURIE`` -> a redirect to the term's PURL (the manifest's ``view`` template)."""
    from starlette.responses import RedirectResponse

    from harmonize.curie import expand

    term_id = request.query_params.get("id", "").strip()
    found = _service(request).lookup(term_id) if term_id else None
    iri = expand(found[0].id, strict=False) if found is not None else None
    if iri is None or not iri.startswith(("http://", "https://")):
        raise ReconcileError(f"no term {term_id!r} here", status=404, value=term_id)
    return RedirectResponse(iri, status_code=302)


async def propose_properties(request: Request) -> Response:
    """``/extend/propose?type=...[&limit=]``: the properties data extension offers."""
    from harmonize.reconcile.extend import propose

    service = _service(request)
    params = dict(request.query_params)
    limit = int_param(params, "limit", 0, maximum=service.limits.max_suggest)
    return respond(request, propose(service, params.get("type", "").strip(), limit or None))


async def decisions(request: Request) -> Response:
    """``POST /decisions`` (JSON): steward decisions from OpenRefine into the ledger."""
    from harmonize.mappings.decisions import reviewer
    from harmonize.reconcile.writeback import parse_decisions, write_back

    service = _service(request)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise ReconcileError("send the decisions as application/json", status=415)
    _, body = await inputs(request, service.limits.max_body_bytes)
    requests, named = parse_decisions(body, max_items=service.limits.max_queries)
    who = reviewer(named) if named else request.app.state.reviewer
    return respond(request, await _threaded(write_back, service, requests, who))


async def health(request: Request) -> Response:
    from starlette.responses import JSONResponse

    return JSONResponse({"status": "ok"})


# -- API 1.0 draft -----------------------------------------------------------------------
async def manifest_1(request: Request) -> Response:
    from harmonize.reconcile.manifest import manifest_v10

    return respond(request, manifest_v10(_service(request), _base(request) + "/v1"))


async def match_1(request: Request) -> Response:
    """``POST /v1/match`` with a JSON batch ``{"queries": [...]}``."""
    from harmonize.reconcile.query import parse_v10

    service = _service(request)
    params, body = await inputs(request, service.limits.max_body_bytes)
    if body is None and "queries" in params:  # a form field, as some clients send
        from harmonize.reconcile.query import parse_json

        body = {"queries": parse_json(params["queries"], "'queries'")}
    queries = parse_v10(body, service.limits)
    return respond(request, await _threaded(_batch_v10, service, queries))


async def extend_1(request: Request) -> Response:
    """``POST /v1/extend`` with a JSON data extension query."""
    from harmonize.reconcile.extend import extend_v10

    service = _service(request)
    _, body = await inputs(request, service.limits.max_body_bytes)
    return respond(request, await _threaded(extend_v10, service, body))


async def _on_error(request: Request, exc: Exception) -> Response:
    return error_response(request, exc)


def create_app(
    service: ReconcileService,
    *,
    reviewer_name: str = "anonymous",
    token: str | None = None,
    loopback_only: bool = True,
) -> Starlette:
    """The ASGI app over ``service`` (``token``: required on every request but /health)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    from harmonize.mappings.decisions import reviewer
    from harmonize.reconcile.guard import Guard

    routes = [
        Route("/", root, methods=["GET", "POST"]),
        Route("/suggest/{kind}", suggest),
        Route("/preview", preview),
        Route("/view", view),
        Route("/extend/propose", propose_properties),
        Route("/decisions", decisions, methods=["POST"]),
        Route("/health", health),
        Route("/v1", manifest_1),
        Route("/v1/match", match_1, methods=["POST"]),
        Route("/v1/suggest/{kind}", suggest),
        Route("/v1/preview", preview),
        Route("/v1/view", view),
        Route("/v1/extend", extend_1, methods=["POST"]),
        Route("/v1/extend/propose", propose_properties),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=token, loopback_only=loopback_only)],
        exception_handlers={ReconcileError: _on_error, HarmonizeError: _on_error},
    )
    app.state.service = service
    app.state.reviewer = reviewer(reviewer_name)
    return app
