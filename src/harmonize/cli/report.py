"""``harmonize report``: a run's report as one static HTML page for the partner."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "report",
        help="write a run's report (mapped/pending shares, confidence, SHACL, privacy) as HTML",
        description=(
            "Read the folder a run wrote (mapping sets, partner table, shacl-report.ttl, "
            "privacy-report.json and the review ledger if present) and write one static "
            "HTML page with inline charts that opens offline."
        ),
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="the run folder (e.g. harmonize-demo)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="report.html")
    p.add_argument("--table", type=Path, default=None, help="the partner table (default: found)")
    p.add_argument("--ledger", type=Path, default=None, help="the review ledger (default: found)")
    p.add_argument("--privacy", type=Path, default=None, help="a privacy scan report (JSON)")
    p.add_argument("--threshold", type=float, default=None, help="auto-accept threshold")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from harmonize.errors import HarmonizeError
    from harmonize.report import write_report

    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise HarmonizeError("--threshold must be between 0 and 1", value=args.threshold)
    out = write_report(
        args.folder, args.output, table=args.table, ledger=args.ledger,
        privacy=args.privacy, threshold=args.threshold,
    )  # fmt: skip
    print(f"wrote {out}")
    return 0
