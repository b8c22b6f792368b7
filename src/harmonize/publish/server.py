"""``harmonize serve``: a read-only SPARQL 1.1 Protocol endpoint over the published store.

Routes: ``/`` (query page with examples), ``/sparql`` (GET/POST queries; without a query,
the service description), ``/void`` and ``/.well-known/void`` (VoID), ``/resource?iri=``
(a record: HTML for a browser, Turtle/JSON-LD/N-Triples by ``Accept``), ``/graphs``
(visible graphs as JSON). Any other path ``/P`` dereferences the IRI ``<this server>/P``
when the store holds it. Updates are refused with 403. Every query runs with a time cap
and a result cap; both are reported in ``X-Harmonize-*`` headers and, when hit, in the
response itself.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from harmonize.errors import PublishError
from harmonize.publish.access import AccessPolicy
from harmonize.publish.negotiate import graph_format, select_format, wants_html
from harmonize.publish.query import (
    Limits,
    QueryOutcome,
    QueryRefusedError,
    QueryRetryError,
    QueryTimeoutError,
    run_query,
)
from harmonize.publish.results import GRAPH_FORMATS

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from harmonize.publish.store import PublishedStore

__all__ = ["EXAMPLE_QUERIES", "ServerConfig", "create_app", "serve"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"

EXAMPLE_QUERIES: dict[str, str] = {
    "Triples per graph": (
        "SELECT ?graph (COUNT(*) AS ?triples)\nWHERE { GRAPH ?graph { ?s ?p ?o } }\n"
        "GROUP BY ?graph ORDER BY DESC(?triples)"
    ),
    "Records per class": (
        "SELECT ?class (COUNT(DISTINCT ?record) AS ?records)\n"
        "WHERE { ?record a ?class }\nGROUP BY ?class ORDER BY DESC(?records)"
    ),
    "Samples from any part of the liver": (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX obo: <http://purl.obolibrary.org/obo/>\n"
        "PREFIX hmz: <https://w3id.org/harmonize/model/>\n"
        "SELECT ?sample ?tissue ?label WHERE {\n"
        "  ?sample hmz:tissue ?tissue .\n"
        "  ?tissue (rdfs:subClassOf|obo:BFO_0000050)* obo:UBERON_0002107 .\n"
        "  OPTIONAL { ?tissue rdfs:label ?label }\n} LIMIT 100"
    ),
    "Accepted value mappings": (
        "PREFIX sssom: <https://w3id.org/sssom/>\n"
        "SELECT ?subject ?predicate ?object ?confidence WHERE {\n"
        "  ?m a sssom:Mapping ; sssom:subject_id ?subject ; sssom:predicate_id ?predicate ;\n"
        "     sssom:object_id ?object .\n  OPTIONAL { ?m sssom:confidence ?confidence }\n"
        "} LIMIT 100"
    ),
}


@dataclass(frozen=True)
class ServerConfig:
    limits: Limits = field(default_factory=Limits)
    access: AccessPolicy = field(default_factory=AccessPolicy)
    max_concurrent: int = 4
    title: str = "harmonize SPARQL endpoint"


def create_app(store: PublishedStore, config: ServerConfig | None = None) -> Starlette:
    """The ASGI app (Starlette) serving ``store``."""
    import jinja2
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    cfg = config or ServerConfig()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True, enable_async=False
    )
    executor = concurrent.futures.ThreadPoolExecutor(
        max_workers=cfg.max_concurrent, thread_name_prefix="sparql"
    )
    gate = asyncio.Semaphore(cfg.max_concurrent)

    def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        return PlainTextResponse(f"{message}\n", status_code=status, headers=headers)

    def base_url(request: Request) -> str:
        return str(request.base_url)

    def authorize(request: Request) -> tuple[bool, Response | None]:
        decision = cfg.access.decide(request.headers.get("authorization"))
        if decision.error:
            return False, error(
                401, decision.error, {"WWW-Authenticate": 'Bearer realm="harmonize"'}
            )
        return decision.authorized, None

    def cap_headers(outcome: QueryOutcome | None = None) -> dict[str, str]:
        headers = {
            "X-Harmonize-Result-Limit": str(cfg.limits.max_rows),
            "X-Harmonize-Time-Limit": f"{cfg.limits.timeout_s:g}",
            "Vary": "Accept, Authorization",
        }
        if outcome is not None:
            headers["X-Harmonize-Rows"] = str(outcome.rows)
            headers["X-Harmonize-Truncated"] = "true" if outcome.truncated else "false"
            headers["X-Harmonize-Elapsed"] = f"{outcome.elapsed_s:.4f}"
            if outcome.truncated and outcome.note:
                headers["Warning"] = f'199 harmonize "{outcome.note}"'
        return headers

    async def execute(request: Request, text: str, params: dict[str, list[str]]) -> Response:
        authorized, refusal = authorize(request)
        if refusal is not None:
            return refusal
        accept = request.headers.get("accept")
        formats = params.get("format")
        fmt_param = formats[0] if formats else None
        loop = asyncio.get_running_loop()

        def work() -> QueryOutcome:
            return run_query(
                store,
                text,
                authorized=authorized,
                select_format=select_format(accept, fmt_param) or "json",
                graph_format=graph_format(accept, fmt_param) or "turtle",
                default_graph_uri=params.get("default-graph-uri", []),
                named_graph_uri=params.get("named-graph-uri", []),
                limits=cfg.limits,
            )

        try:
            async with gate:
                outcome = await asyncio.wait_for(
                    loop.run_in_executor(executor, work), timeout=cfg.limits.timeout_s + 1
                )
        except QueryRefusedError as exc:
            return error(403, exc.message, cap_headers())
        except (QueryTimeoutError, TimeoutError) as exc:
            message = (
                exc.message
                if isinstance(exc, QueryTimeoutError)
                else f"query exceeded the endpoint's time limit of {cfg.limits.timeout_s:g} s"
            )
            return error(503, message, cap_headers())
        except QueryRetryError as exc:
            return error(503, exc.message, {**cap_headers(), "Retry-After": "1"})
        except PublishError as exc:
            return error(400, exc.message, cap_headers())
        media = outcome.media_type
        if media.startswith("text/") or media.endswith(("json", "xml", "triples")):
            media += "; charset=utf-8"
        return Response(outcome.body, media_type=media, headers=cap_headers(outcome))

    def rdf_response(request: Request, triples: list[Any]) -> Response:
        from harmonize.publish.results import write_graph

        fmt = graph_format(request.headers.get("accept"), request.query_params.get("format"))
        fmt = fmt or "turtle"
        body = write_graph(triples, fmt, truncated=False, note="")
        return Response(
            body, media_type=GRAPH_FORMATS[fmt], headers={"Vary": "Accept, Authorization"}
        )

    async def sparql(request: Request) -> Response:
        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return error(403, _READ_ONLY)
            if ctype == "application/sparql-query":
                body = await request.body()
                try:
                    params["query"] = [body.decode("utf-8")]
                except UnicodeDecodeError:
                    return error(400, "the query is not UTF-8 text")
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.form()
                for key, item in form.multi_items():
                    if isinstance(item, str):
                        params.setdefault(key, []).append(item)
            else:
                return error(
                    415,
                    "POST a query as application/sparql-query or as the form field 'query' "
                    "(application/x-www-form-urlencoded)",
                )
        if "update" in params:
            return error(403, _READ_ONLY)
        queries = params.get("query", [])
        if len(queries) > 1:
            return error(400, "give exactly one 'query' parameter")
        if not queries:
            if request.method == "GET" and wants_html(request.headers.get("accept")):
                return await index(request)
            authorized, refusal = authorize(request)
            if refusal is not None:
                return refusal
            from harmonize.publish.void import service_description

            graphs = [g for g in store.graphs() if authorized or not g.restricted]
            return rdf_response(request, service_description(base_url(request), graphs))
        return await execute(request, queries[0], params)

    async def update(request: Request) -> Response:
        return error(403, _READ_ONLY)

    async def index(request: Request) -> Response:
        authorized, refusal = authorize(request)
        if refusal is not None:
            return refusal
        graphs = [g for g in store.graphs() if authorized or not g.restricted]
        html = env.get_template("index.html").render(
            title=cfg.title,
            graphs=graphs,
            examples=EXAMPLE_QUERIES,
            limits=cfg.limits,
            hidden=sum(1 for g in store.graphs() if g.restricted) if not authorized else 0,
        )
        return HTMLResponse(html)

    async def void(request: Request) -> Response:
        authorized, refusal = authorize(request)
        if refusal is not None:
            return refusal
        from harmonize.publish.void import void_description

        graphs = [g for g in store.graphs() if authorized or not g.restricted]
        return rdf_response(request, void_description(base_url(request), graphs))

    async def graphs_json(request: Request) -> Response:
        authorized, refusal = authorize(request)
        if refusal is not None:
            return refusal
        rows = [
            {
                "graph": g.iri,
                "kind": g.kind,
                "triples": g.triples,
                "modified": g.modified,
                "restricted": g.restricted,
            }
            for g in store.graphs()
            if authorized or not g.restricted
        ]
        return JSONResponse(rows)

    async def resource(request: Request, iri: str | None = None) -> Response:
        iri = iri or request.query_params.get("iri")
        if not iri:
            return error(400, "give the record's IRI: /resource?iri=...")
        if any(c in iri for c in '<>"{}|^`\\ \n'):
            return error(400, "not a valid IRI")
        authorized, refusal = authorize(request)
        if refusal is not None:
            return refusal
        visible: Any = store.dataset(authorized=authorized)
        triples: list[Any] = list(
            store.store.query(  # type: ignore[arg-type]
                f"DESCRIBE <{iri}>", default_graph=visible, named_graphs=visible
            )
        )
        incoming: list[Any] = list(
            store.store.query(  # type: ignore[arg-type]
                f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT 200",
                default_graph=visible,
                named_graphs=visible,
            )
        )
        if not triples and not incoming:
            return error(404, f"no record {iri} in the published data")
        if request.query_params.get("format") or not wants_html(request.headers.get("accept")):
            return rdf_response(request, triples)
        html = env.get_template("resource.html").render(
            title=cfg.title,
            iri=iri,
            rows=[(_show(t.predicate), _show(t.object)) for t in triples],
            incoming=[(_show(r["s"]), _show(r["p"])) for r in incoming],
        )
        return HTMLResponse(html, headers={"Vary": "Accept, Authorization"})

    async def fallback(request: Request) -> Response:
        iri = str(request.url.replace(query=""))
        return await resource(request, iri)

    app = Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/update", update, methods=["GET", "POST"]),
            Route("/void", void, methods=["GET"]),
            Route("/.well-known/void", void, methods=["GET"]),
            Route("/graphs", graphs_json, methods=["GET"]),
            Route("/resource", resource, methods=["GET"]),
            Route("/{path:path}", fallback, methods=["GET"]),
        ]
    )
    app.state.store = store
    return app


_READ_ONLY = (
    "this endpoint is read-only: SPARQL Update is not accepted; "
    "change the data with 'harmonize publish' instead"
)


def _show(term: Any) -> dict[str, str | None]:
    """A term for the HTML page: text, and a link when it is an IRI."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": f"/resource?iri={quote(term.value, safe='')}"}
    if isinstance(term, ox.Literal):
        suffix = f"@{term.language}" if term.language else ""
        return {"text": f"{term.value}{suffix}", "href": None}
    return {"text": str(term), "href": None}


def serve(
    store: PublishedStore,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: ServerConfig | None = None,
) -> None:
    """Run the endpoint until interrupted."""
    import uvicorn

    app = create_app(store, config)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
