"""``harmonize serve``: a read-only SPARQL 1.1 Protocol endpoint over the published store.

Routes: ``/`` (query page with examples), ``/sparql`` and its alias ``/query`` (GET/POST
queries; ``?graph=IRI`` / ``?default`` read a graph as the Graph Store Protocol does;
without either, the service description), ``/store`` (Graph Store Protocol, read only),
``/void`` and ``/.well-known/void`` (VoID), ``/resource?iri=`` (a record: HTML for a
browser, Turtle/JSON-LD/N-Triples by ``Accept``), ``/graphs`` (visible graphs as JSON).
Any other path ``/P`` dereferences the IRI ``<this server>/P`` when the store holds it.
Updates are refused with 403.

Queries run in worker processes (:mod:`harmonize.publishing.pool`), with the limits of
:class:`~harmonize.publishing.limits.Limits`: size and nesting, SERVICE allow-list, time
(the worker is stopped), memory, rows and bytes; each is reported in ``X-Harmonize-*``
headers and, when hit, in the response itself. The handlers live in
:mod:`harmonize.publishing.routes`; their state is on ``app.state``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import PublishError
from harmonize.publishing.access import AccessPolicy
from harmonize.publishing.limits import Limits
from harmonize.publishing.pool import PoolConfig

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from harmonize.publishing.store import PublishedStore

__all__ = ["ServerConfig", "create_app", "serve"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Headers a browser page on another origin may read (CORS).
_EXPOSED = [
    "X-Harmonize-Result-Limit",
    "X-Harmonize-Byte-Limit",
    "X-Harmonize-Time-Limit",
    "X-Harmonize-Rows",
    "X-Harmonize-Truncated",
    "X-Harmonize-Elapsed",
    "Warning",
]


@dataclass(frozen=True)
class ServerConfig:
    limits: Limits = field(default_factory=Limits)
    access: AccessPolicy = field(default_factory=AccessPolicy)
    pool: PoolConfig = field(default_factory=PoolConfig)
    #: Bytes of a request body (a POSTed query or form).
    max_body_bytes: int = 1 << 20
    #: Origins whose pages may call the endpoint (CORS); ``*`` for any; empty: none.
    cors_origins: tuple[str, ...] = ()
    title: str = "harmonize SPARQL endpoint"


def _routes() -> list[object]:
    from starlette.routing import Route

    from harmonize.publishing import routes as r

    return [
        Route("/", r.index, methods=["GET"]),
        Route("/sparql", r.sparql, methods=["GET", "POST"]),
        Route("/query", r.sparql, methods=["GET", "POST"]),
        Route("/store", r.graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"]),
        Route("/update", r.read_only, methods=["GET", "POST"]),
        Route("/void", r.void, methods=["GET"]),
        Route("/.well-known/void", r.void, methods=["GET"]),
        Route("/graphs", r.graphs_json, methods=["GET"]),
        Route("/resource", r.resource, methods=["GET"]),
        Route("/{path:path}", r.options, methods=["OPTIONS"]),
        Route("/{path:path}", r.resource_path, methods=["GET"]),
    ]


def create_app(store: PublishedStore, config: ServerConfig | None = None) -> Starlette:
    """The ASGI app (Starlette) serving ``store`` (a store folder: queries run in worker
    processes that open it read-only; they start with the app and stop with it)."""
    import jinja2
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware

    from harmonize.publishing.pool import QueryPool

    if store.path is None:
        raise PublishError("only a store folder can be served (not an in-memory store)")
    cfg = config or ServerConfig()
    store_path = str(store.path)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = QueryPool(store_path, cfg.limits, cfg.pool)
        app.state.pool = pool
        try:
            await pool.start()
            yield
        finally:
            await pool.close()

    middleware = []
    if cfg.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cfg.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type", "Accept"],
                expose_headers=_EXPOSED,
                allow_credentials=False,  # a token is sent explicitly, never by the browser
                max_age=600,
            )
        )
    app = Starlette(routes=_routes(), middleware=middleware, lifespan=lifespan)  # type: ignore[arg-type]
    app.state.store = store
    app.state.config = cfg
    app.state.templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)), autoescape=True
    )
    return app


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
