"""``harmonize reconcile``: a W3C Reconciliation API service for OpenRefine."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

__all__ = ["register"]

_DESCRIPTION = """\
Serve the ontology index as a W3C Reconciliation API service (0.2, as OpenRefine 3.x
speaks it, at the root; the 1.0 draft under /v1). In OpenRefine: Reconcile > Start
reconciling > Add Standard Service, and paste the URL this command prints.

Types are the --root branches, the coded slots of --schema, and each whole ontology.
A candidate's score is its calibrated confidence x 100; "match" is true only where
harmonize would apply it without review (a steward's decision in the ledger, or
confidence >= the auto-accept threshold). Decisions in the ledger are replayed first.
"""

_EPILOG = """\
examples:
  harmonize reconcile --ontology UBERON --root UBERON:0001062 --schema schemas/harmonize.yaml
  harmonize reconcile --import-openrefine history.json --reviewer 0000-0002-1825-0097
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "reconcile",
        help="serve ontologies to OpenRefine (W3C Reconciliation API); decisions to the ledger",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--ontology",
        action="append",
        default=[],
        metavar="FILE",
        help="ontology file or manifest name (OBO, OWL, OBO-JSON; gz/zst); repeatable",
    )
    p.add_argument(
        "--root", action="append", default=[], metavar="CURIE", help="a branch type; repeatable"
    )
    p.add_argument(
        "--schema", metavar="SCHEMA.yaml", help="LinkML schema: its coded slots as types"
    )
    p.add_argument(
        "--ledger", metavar="DB", help="decision ledger (default mappings/decisions.sqlite)"
    )
    p.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    p.add_argument(
        "--token",
        default=os.environ.get("HARMONIZE_RECONCILE_TOKEN"),
        help="access token; required (generated if absent) when --host is not local",
    )
    p.add_argument(
        "--reviewer",
        default=os.environ.get("HARMONIZE_REVIEWER"),
        help="who decisions written back are recorded for (ORCID or name)",
    )
    p.add_argument(
        "--import-openrefine",
        metavar="FILE",
        help="record the decisions in OpenRefine's extracted operation history (JSON) first",
    )
    p.set_defaults(handler=_run)


def _import(path: str, ledger_path: Path, who_name: str) -> None:
    from harmonize.mappings.decisions import reviewer
    from harmonize.reconcile.writeback import import_openrefine

    added, known, skipped = import_openrefine(path, ledger_path, reviewer(who_name))
    note = f"; {skipped} reconciliation operation(s) not about one value skipped" if skipped else ""
    print(f"imported {added} decision(s) into {ledger_path} ({known} already there){note}")


def _run(args: argparse.Namespace) -> int:
    import getpass

    from harmonize.errors import ReconcileError
    from harmonize.mappings.decisions import reviewer
    from harmonize.mappings.ledger import default_ledger_path

    ledger_path = Path(args.ledger) if args.ledger else default_ledger_path()
    who = args.reviewer or getpass.getuser()
    reviewer(who)  # a mistyped ORCID iD fails here, in one line
    if args.import_openrefine:
        _import(args.import_openrefine, ledger_path, who)
        if not args.ontology:
            return 0
    if not args.ontology:
        raise ReconcileError("give at least one --ontology FILE to serve")
    if not 0 < args.port < 65536:
        raise ReconcileError("--port must be between 1 and 65535", value=args.port)

    from harmonize.reconcile.server import serve, service_url
    from harmonize.reconcile.service import reconcile_service
    from harmonize.review.server import is_loopback, resolve_token

    token = resolve_token(args.host, args.token)
    if token is not None and not token.replace("-", "").replace("_", "").isalnum():
        raise ReconcileError(
            "--token may hold only letters, digits, '-' and '_' (it is part of the URL)"
        )
    service = reconcile_service(
        args.ontology, roots=args.root, schema=args.schema, ledger=ledger_path
    )
    kinds = {k: sum(t.kind == k for t in service.types) for k in ("branch", "slot", "ontology")}
    print(
        f"harmonize reconcile: {service.name}; types: {kinds['branch']} branch(es), "
        f"{kinds['slot']} schema slot(s), {kinds['ontology']} whole ontolog(ies); "
        f"ledger {ledger_path}{'' if ledger_path.is_file() else ' (created on the first decision)'}"
    )
    if not is_loopback(args.host):
        print("harmonize reconcile: bound beyond this machine; the token is required")
    url = service_url(args.host, args.port, token)
    print(f"in OpenRefine, add the service {url}   (Ctrl-C to stop)", flush=True)
    serve(service, host=args.host, port=args.port, token=token, reviewer_name=who)
    return 0
