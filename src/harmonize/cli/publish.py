"""``harmonize publish`` and ``harmonize serve``: linked data on a SPARQL endpoint."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_STORE", "register"]

DEFAULT_STORE = "harmonize-store"


def _publish(args: argparse.Namespace) -> int:
    from harmonize.publish.api import publish_files, push_files

    ontology_files = [Path(p) for p in args.ontology or ()]
    if args.to:
        from harmonize.publish.gsp import auth_from_env

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
            on_graph=lambda r: print(f"pushed {r.graph}: {r.triples} triples", file=sys.stderr),
        )
        print(f"{len(results)} graph(s) sent to {args.to}")
        return 0
    report = publish_files(
        args.data,
        args.store,
        graph=args.graph,
        restricted=args.restricted,
        ontology_files=ontology_files,
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


def _serve(args: argparse.Namespace) -> int:
    from harmonize.errors import PublishError
    from harmonize.publish.access import load_access_policy
    from harmonize.publish.query import Limits
    from harmonize.publish.server import ServerConfig, serve
    from harmonize.publish.store import PublishedStore

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"harmonize: warning: serving on {args.host}, reachable from other machines",
            file=sys.stderr,
        )
    if args.max_rows < 1 or args.timeout <= 0:
        raise PublishError("--max-rows and --timeout must be positive")
    access = load_access_policy(args.token_file)
    store = PublishedStore.open(args.store, create=False)
    graphs = store.graphs()
    hidden = sum(1 for g in graphs if g.restricted)
    print(
        f"SPARQL endpoint: http://{args.host}:{args.port}/sparql  "
        f"({len(graphs)} graph(s), {hidden} restricted"
        + (", token configured" if access.configured else ", no token: restricted hidden")
        + ")",
        file=sys.stderr,
        flush=True,
    )
    config = ServerConfig(
        limits=Limits(max_rows=args.max_rows, timeout_s=args.timeout), access=access
    )
    serve(store, host=args.host, port=args.port, config=config)
    return 0


def register(subparsers: Any) -> None:
    publish = subparsers.add_parser(
        "publish",
        help="load RDF and SSSOM mapping sets into a SPARQL-ready store (or push them)",
        description="Load converted RDF (Turtle/N-Triples/JSON-LD/RDF-XML) and SSSOM mapping "
        "sets into an embedded store: one named graph per dataset (a file holding several "
        "datasets is split, each keeping its access level) and per mapping set, plus the "
        "labels and hierarchy of the ontology terms they use. Re-publishing a file replaces its graph "
        "atomically. With --to, push the same graphs to a triple store over the SPARQL 1.1 "
        "Graph Store protocol instead. The privacy guard runs first.",
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
        "--include-restricted",
        action="store_true",
        help="allow pushing restricted graphs (the target must protect them)",
    )
    publish.set_defaults(handler=_publish)

    serve = subparsers.add_parser(
        "serve",
        help="serve the published store as a read-only SPARQL endpoint",
        description="Serve a store made by 'harmonize publish': SPARQL 1.1 at /sparql, a query "
        "page at /, VoID at /void, records at /resource?iri=. Restricted graphs only with "
        "'Authorization: Bearer <token>' ($HARMONIZE_PUBLISH_TOKEN or --token-file). "
        "The store folder has one writer at a time: stop serve before publishing into it.",
    )
    serve.add_argument("--store", default=DEFAULT_STORE, metavar="DIR")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="port (default 8000)")
    serve.add_argument("--token-file", metavar="FILE", help="bearer token for restricted graphs")
    serve.add_argument(
        "--max-rows", type=int, default=10_000, metavar="N", help="result cap (default 10000)"
    )
    serve.add_argument(
        "--timeout", type=float, default=30.0, metavar="S", help="query time cap (default 30)"
    )
    serve.set_defaults(handler=_serve)
