"""``harmonize review``: the steward's web workbench over the decision ledger."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

__all__ = ["register"]

_EPILOG = """\
keys on an item: a accept, r reject, 1-9 pick candidate N, x no suitable term,
d defer, n next, / search, u undo.

examples:
  harmonize review out/tissue.sssom.tsv --table partner.csv --ontology uberon.obo \\
      --root UBERON:0001062 --reviewer 0000-0002-1825-0097
  harmonize review --export            # write mappings/decisions*.sssom.tsv and exit
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "review",
        help="review mappings in a local web workbench; decisions go to a ledger",
        description=(
            "Serve the review workbench for SSSOM mapping sets. Every decision (accept,\n"
            "reject, replace, no suitable term, defer) is kept in a SQLite ledger\n"
            "(default mappings/decisions.sqlite) and replayed on later files."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("mappings", nargs="*", metavar="MAPPINGS", help="SSSOM/TSV mapping sets")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    p.add_argument(
        "--reviewer",
        default=os.environ.get("HARMONIZE_REVIEWER"),
        help=(
            "your ORCID or name, for a one-person session (default $HARMONIZE_REVIEWER); "
            "without it each browser names its reviewer before its first decision"
        ),
    )
    p.add_argument(
        "--ledger", default=None, help="decision ledger (default mappings/decisions.sqlite)"
    )
    p.add_argument(
        "--token",
        default=os.environ.get("HARMONIZE_REVIEW_TOKEN"),
        help="access token; required (generated if absent) when --host is not local",
    )
    p.add_argument("--table", default=None, help="partner table: row counts and sample rows")
    p.add_argument(
        "--ontology",
        action="append",
        default=[],
        help="ontology file (definitions, hierarchy, search)",
    )
    p.add_argument(
        "--root", action="append", default=[], help="restrict search to this branch (CURIE)"
    )
    p.add_argument(
        "--schema",
        default=None,
        help="LinkML schema: search each column's values in its slot's branch",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="auto/bulk-accept threshold (default: harmonize's auto-accept threshold)",
    )
    p.add_argument("--export-dir", default=None, help="where exports go (default: ledger folder)")
    p.add_argument(
        "--import",
        dest="import_files",
        action="append",
        default=[],
        metavar="FILE",
        help="import decisions first: an exported SSSOM file, or OpenRefine's operation "
        "history (JSON) of a column reconciled against harmonize reconcile",
    )
    p.add_argument("--export", action="store_true", help="export the decisions as SSSOM and exit")
    p.set_defaults(handler=_run)


def _import(args: argparse.Namespace, ledger_path: Path) -> None:
    """SSSOM files into the ledger; OpenRefine's JSON through the reconciliation write-back."""
    from harmonize.mappings.decisions import reviewer
    from harmonize.mappings.ledger import Ledger
    from harmonize.reconcile.writeback import import_openrefine

    sssom = [f for f in args.import_files if not str(f).lower().endswith(".json")]
    if sssom:
        added = Ledger.open(ledger_path).import_sssom(*sssom)
        print(f"imported {added} decision(s) into {ledger_path}")
    for path in (f for f in args.import_files if str(f).lower().endswith(".json")):
        who = reviewer(args.reviewer or os.environ.get("USER") or "openrefine")
        added, known, skipped = import_openrefine(path, ledger_path, who)
        print(f"imported {added} OpenRefine decision(s) from {path} into {ledger_path} "
              f"({known} already there, {skipped} operation(s) without decisions)")  # fmt: skip


def _run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from harmonize.errors import ReviewError, naming_file
    from harmonize.io import staged_outputs
    from harmonize.mappings.ledger import Ledger, default_ledger_path

    ledger_path = Path(args.ledger) if args.ledger else default_ledger_path()
    # all exported files appear together, or none; a bad prefix names the ledger
    exporting = naming_file(ledger_path, "it comes from a decision in this ledger")
    if args.import_files:
        _import(args, ledger_path)
    if args.export and not args.mappings:
        ledger = Ledger.open(ledger_path, create=False)
        folder = Path(args.export_dir) if args.export_dir else None
        with staged_outputs(), exporting:
            written = list(ledger.export_sssom(folder))
        for path in written:
            print(f"wrote {path}")
        return 0
    if not args.mappings:
        if args.import_files:
            return 0
        raise ReviewError("give the SSSOM mapping set(s) to review (or --export)")
    if args.root and not args.ontology:
        raise ReviewError("--root needs --ontology (the branch is read from the ontology)")
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise ReviewError("--threshold must be between 0 and 1", value=args.threshold)

    from harmonize.mappings.decisions import reviewer
    from harmonize.review.server import is_loopback, resolve_token, serve
    from harmonize.review.workspace import load_workspace

    who = args.reviewer or None
    if who is not None:
        reviewer(who)  # a mistyped ORCID iD fails here, in one line
    token = resolve_token(args.host, args.token)
    workspace = load_workspace(
        args.mappings,
        ledger_path,
        ontologies=args.ontology,
        table=args.table,
        roots=args.root,
        threshold=args.threshold,
        export_dir=args.export_dir,
        schema=args.schema,
    )
    if args.export:
        with staged_outputs(), exporting:
            written = list(workspace.export())
        for path in written:
            print(f"wrote {path}")
        return 0
    items = workspace.items()
    open_items = sum(1 for i in items if i.open)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/" + (f"?token={token}" if token else "")
    print(
        f"harmonize review: {len(items)} items ({open_items} open) from "
        f"{len(args.mappings)} mapping set(s); ledger {ledger_path}; "
        + (f"reviewer {who}" if who else "each browser names its reviewer")
    )
    if not is_loopback(args.host):
        print("harmonize review: bound beyond this machine; the token is required")
    print(f"open {url}   (Ctrl-C to stop)", flush=True)
    serve(workspace, host=args.host, port=args.port, reviewer_name=who, token=token)
    return 0
