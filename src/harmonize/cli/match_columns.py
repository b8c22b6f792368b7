"""``harmonize match-columns`` and ``harmonize schema import-gdc`` (argparse only at import)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "match-columns",
        help="rank the slots of a LinkML schema for each column of a table (SSSOM out)",
        description=(
            "For every column of TABLE (CSV/TSV/XLSX), rank the slots of a LinkML class by "
            "name, description, values, datatype and unit evidence; assign columns to slots "
            "one-to-one; write each column's top-k slots as SSSOM (best first) and, with "
            "--values-out, each distinct value's permissible value / ontology term."
        ),
    )
    p.add_argument("table", type=Path, metavar="TABLE")
    p.add_argument("--schema", type=Path, required=True, metavar="SCHEMA.yaml")
    p.add_argument("--class", dest="class_name", metavar="NAME", help="default: the root class")
    p.add_argument("--top-k", type=int, default=5, metavar="N", help="slots per column (5)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.sssom.tsv")
    p.add_argument("--values-out", type=Path, metavar="VALUES.sssom.tsv")
    p.add_argument("--quiet", action="store_true", help="no table on the terminal")
    p.set_defaults(handler=_match_columns)

    schema = _schema_parser(subparsers)
    gdc = schema.add_parser(
        "import-gdc",
        help="convert the GDC data dictionary JSON (bdi-kit) into a LinkML schema",
    )
    gdc.add_argument("json", type=Path, metavar="JSON")
    gdc.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.yaml")
    gdc.set_defaults(handler=_import_gdc)


def _schema_parser(subparsers: Any) -> Any:
    """The ``schema`` command's own subparsers (shared if another module made it)."""
    existing = subparsers.choices.get("schema")
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
    parser = subparsers.add_parser("schema", help="LinkML schema tools (import-gdc)")
    return parser.add_subparsers(dest="schema_command", metavar="SUBCOMMAND", required=True)


def _match_columns(args: argparse.Namespace) -> int:
    import harmonize
    from harmonize.errors import InputFileError
    from harmonize.match.columns.report import render_table

    if args.top_k < 1:
        raise InputFileError("--top-k must be at least 1", value=args.top_k)
    columns = harmonize.match_columns(
        args.table, schema=args.schema, class_name=args.class_name, top_k=args.top_k
    )
    values = None
    if args.values_out is not None:
        values = harmonize.map_values(
            args.table, columns, schema=args.schema, class_name=args.class_name, top_k=args.top_k
        )
    harmonize.write_sssom(columns, args.output)
    if values is not None:
        harmonize.write_sssom(values, args.values_out)
    if not args.quiet:
        print(render_table(columns))
    n_columns = len(columns.by_subject())
    message = f"wrote {args.output} ({n_columns} columns x top {args.top_k})"
    if values is not None:
        message += f" and {args.values_out} ({len(values.by_subject())} distinct values)"
    print(message, file=sys.stderr)
    return 0


def _import_gdc(args: argparse.Namespace) -> int:
    from harmonize.schema.gdc import import_gdc

    n_slots, n_values = import_gdc(args.json, args.output)
    print(f"wrote {args.output}: {n_slots} slots, {n_values} permissible values")
    return 0
