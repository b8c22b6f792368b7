"""``harmonize publish`` and ``harmonize serve``: linked data on a SPARQL endpoint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_STORE", "register"]

DEFAULT_STORE = "harmonize-store"


def _publish(args: argparse.Namespace) -> int:
    import harmonize
    from harmonize.publishing.api import push_files

    ontology_files = [Path(p) for p in args.ontology or ()]
    if args.to:
        from harmonize.errors import PublishError
        from harmonize.publishing.gsp import UnknownEndpointsError, auth_from_env, target_for

        try:
            target_for(args.to, query_url=args.query_url, update_url=args.update_url)
        except UnknownEndpointsError as exc:
            hint = "; give them with --query-url and --update-url"
            raise PublishError(exc.message + hint) from None

        if args.batch_size is not None and args.batch_size < 1:
            raise PublishError("--batch-size must be positive")
        auth = auth_from_env(args.user, args.password, args.token)
        results = push_files(
            args.data,
            args.to,
            auth=auth,
            graph=args.graph,
            restricted=args.restricted,
            include_restricted=args.include_restricted,
            ontology_files=ontology_files,
            policy=args.policy,
            query_url=args.query_url,
            update_url=args.update_url,
            batch_size=args.batch_size,
            on_graph=lambda r: print(
                f"pushed {r.graph}: {r.triples} triples stored on the target"
                + (f" ({r.sent} sent)" if r.sent != r.triples else ""),
                file=sys.stderr,
            ),
        )
        print(f"{len(results)} graph(s) sent to {args.to}")
        return 0
    report = harmonize.publish(
        args.data,
        store=args.store,
        graph=args.graph,
        restricted=args.restricted,
        ontologies=ontology_files,
        policy=args.policy,
        on_graph=lambda g: print(
            f"{'unchanged' if g.unchanged else 'published'} {g.iri}: {g.triples} triples"
            + (" (restricted)" if g.restricted else ""),
            file=sys.stderr,
        ),
    )
    print(f"store: {report.store} ({len(report.graphs)} graph(s)); serve it with:")
    print(f"  harmonize serve --store {report.store}")
    return 0


def _serve_config(args: argparse.Namespace) -> Any:
    from harmonize.errors import PublishError
    from harmonize.publishing.access import load_access_policy
    from harmonize.publishing.limits import Limits
    from harmonize.publishing.pool import PoolConfig
    from harmonize.publishing.server import ServerConfig

    numbers = {
        "--max-rows": args.max_rows,
        "--timeout": args.timeout,
        "--max-result-mb": args.max_result_mb,
        "--max-body-kb": args.max_body_kb,
        "--max-memory-mb": args.max_memory_mb,
        "--workers": args.workers,
    }
    bad = [flag for flag, value in numbers.items() if value <= 0]
    if bad:
        raise PublishError(f"{', '.join(bad)} must be positive")
    limits = Limits(
        max_rows=args.max_rows,
        timeout_s=args.timeout,
        max_result_bytes=int(args.max_result_mb * (1 << 20)),
        max_memory_mb=args.max_memory_mb,
        allow_service=tuple(args.allow_service or ()),
    )
    return ServerConfig(
        limits=limits,
        access=load_access_policy(args.token_file),
        pool=PoolConfig(ready=min(4, args.workers), max_workers=args.workers),
        max_body_bytes=int(args.max_body_kb * 1024),
        cors_origins=tuple(args.cors_origin or ()),
    )


def _serve(args: argparse.Namespace) -> int:
    from harmonize.publishing.server import serve
    from harmonize.publishing.store import PublishedStore

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"harmonize: warning: serving on {args.host}, reachable from other machines",
            file=sys.stderr,
        )
    config = _serve_config(args)
    store = PublishedStore.open_read_only(args.store)
    graphs = store.graphs()
    hidden = sum(1 for g in graphs if g.restricted)
    print(
        f"SPARQL endpoint: http://{args.host}:{args.port}/sparql  "
        f"({len(graphs)} graph(s), {hidden} restricted"
        + (", token configured" if config.access.configured else ", no token: restricted hidden")
        + ")",
        file=sys.stderr,
        flush=True,
    )
    serve(store, host=args.host, port=args.port, config=config)
    return 0


def _add_serve_limits(serve: Any) -> None:
    serve.add_argument(
        "--max-rows", type=int, default=10_000, metavar="N", help="result cap (default 10000)"
    )
    serve.add_argument(
        "--max-result-mb",
        type=float,
        default=32,
        metavar="MB",
        help="result size cap in MiB (default 32); a cut answer says so",
    )
    serve.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="query time cap: the query is stopped (default 30)",
    )
    serve.add_argument(
        "--max-memory-mb",
        type=int,
        default=1024,
        metavar="MB",
        help="memory one query may use, MiB (default 1024)",
    )
    serve.add_argument(
        "--max-body-kb",
        type=float,
        default=1024,
        metavar="KB",
        help="request body cap in KiB (default 1024)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=16,
        metavar="N",
        help="queries evaluated at once, each in its own process (default 16)",
    )
    serve.add_argument(
        "--allow-service",
        action="append",
        metavar="URL-PREFIX",
        help="let SERVICE clauses call URLs under this prefix (repeatable; default: none)",
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="let web pages from this origin query the endpoint ('*' for any; repeatable)",
    )


def register(subparsers: Any) -> None:
    publish = subparsers.add_parser(
        "publish",
        help="load RDF and SSSOM mapping sets into a SPARQL-ready store (or push them)",
        description="Load converted RDF (Turtle/N-Triples/JSON-LD/RDF-XML) and SSSOM mapping "
        "sets into an embedded store: one named graph per dataset (a file holding several "
        "datasets is split, each keeping its access level) and per mapping set, plus the "
        "labels and hierarchy of the ontology terms they use. Re-publishing a file replaces its graph "
        "atomically. With --to, push the same graphs to a triple store over the SPARQL 1.1 "
        "Graph Store protocol instead: each graph is loaded into a staging graph there, then "
        "swapped in by one SPARQL Update (MOVE), so a push cut off midway leaves the old "
        "version whole. The privacy guard runs first.",
    )
    publish.add_argument("data", nargs="+", metavar="DATA", help="RDF files and .sssom.tsv files")
    publish.add_argument(
        "--store",
        default=DEFAULT_STORE,
        metavar="DIR",
        help=f"store folder (default {DEFAULT_STORE})",
    )
    publish.add_argument("--graph", metavar="IRI", help="graph name (one DATA file only)")
    publish.add_argument(
        "--restricted",
        action="store_true",
        help="mark the graphs restricted (also set by the data's access_level)",
    )
    publish.add_argument(
        "--ontology", action="append", metavar="FILE", help="ontology for labels/hierarchy"
    )
    publish.add_argument("--policy", metavar="FILE", help="privacy policy (default: found nearby)")
    publish.add_argument("--to", metavar="URL", help="Graph Store endpoint to push to")
    publish.add_argument("--user", help="user for --to (or $HARMONIZE_PUSH_USER)")
    publish.add_argument("--password", help="password for --to (or $HARMONIZE_PUSH_PASSWORD)")
    publish.add_argument("--token", help="bearer token for --to (or $HARMONIZE_PUSH_TOKEN)")
    publish.add_argument(
        "--query-url", metavar="URL", help="SPARQL query endpoint of the --to store (derived)"
    )
    publish.add_argument(
        "--update-url", metavar="URL", help="SPARQL update endpoint of the --to store (derived)"
    )
    publish.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help="triples per Graph Store request with --to (default 250000)",
    )
    publish.add_argument(
        "--include-restricted",
        action="store_true",
        help="allow pushing restricted graphs (the target must protect them)",
    )
    publish.set_defaults(handler=_publish)

    serve = subparsers.add_parser(
        "serve",
        help="serve the published store as a read-only SPARQL endpoint",
        description="Serve a store made by 'harmonize publish': SPARQL 1.1 at /sparql (and "
        "/query), Graph Store reads at /store?graph=IRI, a query page at /, VoID at /void, "
        "records at /resource?iri=. Restricted graphs only with 'Authorization: Bearer "
        "<token>' ($HARMONIZE_PUBLISH_TOKEN or --token-file). Each query runs in a worker "
        "process, stopped at the time limit. The store folder has one user at a time: stop "
        "serve before publishing into it.",
    )
    serve.add_argument("--store", default=DEFAULT_STORE, metavar="DIR")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="port (default 8000)")
    serve.add_argument("--token-file", metavar="FILE", help="bearer token for restricted graphs")
    _add_serve_limits(serve)
    serve.set_defaults(handler=_serve)
