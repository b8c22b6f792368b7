"""``harmonize convert``: apply reviewed mappings to a partner table and write RDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert a partner table to RDF with reviewed column and value mappings",
        description=(
            "Apply the column and value mapping sets (only reviewed or auto-accepted rows) "
            "to TABLE, build records of the LinkML model, check them against it and write "
            "RDF with PROV-O provenance on every record. Streams: any table size."
        ),
    )
    parser.add_argument(
        "table", type=Path, nargs="+", metavar="TABLE", help="partner table (several: --dask)"
    )
    parser.add_argument(
        "--schema", type=Path, metavar="SCHEMA.yaml", help="default: the common model"
    )
    parser.add_argument(
        "--mappings",
        type=Path,
        action="append",
        required=True,
        metavar="SSSOM.tsv",
        help="column mapping set, and value mapping sets (repeat the option)",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.ttl")
    parser.add_argument(
        "--format", choices=("ttl", "jsonld", "nt"), help="default: from -o's extension"
    )
    parser.add_argument(
        "--on-unmapped",
        choices=("keep", "reject", "fail"),
        default="keep",
        help="a value no mapping codes: keep it as hmz:unmappedValue (default), drop the row, or stop",
    )
    parser.add_argument(
        "--on-invalid",
        choices=("keep", "reject", "fail"),
        default="keep",
        help="a value of the wrong datatype, pattern or range: keep it for SHACL to flag "
        "(default), drop the row, or stop",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="auto-accept confidence (default: harmonize's auto-accept threshold, 0.95)",
    )
    parser.add_argument(
        "--ledger", type=Path, metavar="FILE",
        help="review ledger (harmonize review): its decisions win over the threshold",
    )  # fmt: skip
    parser.add_argument("--base", default=None, help="IRI namespace of the records")
    parser.add_argument(
        "--policy",
        type=Path,
        metavar="FILE",
        help="privacy policy (default: privacy-policy.yaml found next to TABLE)",
    )
    add_dask_option(parser, "-o names a folder: part files plus manifest.json (N-Triples "
                    "unless --format says otherwise)")  # fmt: skip
    parser.add_argument(
        "--partition-rows", type=int, default=50_000, metavar="N",
        help="with --dask: rows per partition (50000)",
    )  # fmt: skip
    parser.set_defaults(handler=run)


def add_dask_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--dask ADDRESS|local[:N]`` (the same option on convert, validate and ground)."""
    parser.add_argument(
        "--dask", metavar="ADDRESS", default=None,
        help="run on a Dask cluster: a scheduler address (tcp://host:8786) or local[:N] "
        f"(N worker processes here); needs pip install 'harmonize[dask]'. {what}",
    )  # fmt: skip


def dashboard(client: object) -> None:
    """Print where the Dask dashboard is (stderr)."""
    link = getattr(client, "dashboard_link", None)
    print(f"Dask dashboard: {link or 'not available'}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    import harmonize
    from harmonize.io import check_output_path

    check_output_path(args.output)
    if args.dask:
        from harmonize.jobs.inputs import as_mapping_sets, as_schema

        schema, sets = as_schema(args.schema), as_mapping_sets(args.mappings)
        print(format_summary(_run_dask(args, schema, sets)))
        return 0
    if len(args.table) > 1:
        from harmonize.errors import ConversionError

        raise ConversionError("several tables are converted together with --dask only")
    summary = harmonize.convert(
        args.table[0],
        mappings=args.mappings,
        out=args.output,
        schema=args.schema,
        ledger=args.ledger,
        threshold=args.threshold,
        fmt=args.format,
        on_unmapped=args.on_unmapped,
        on_invalid=args.on_invalid,
        policy=args.policy,
        base=args.base,
    )
    print(format_summary(summary))
    return 0


def _run_dask(args: argparse.Namespace, schema: object, sets: list) -> object:  # type: ignore[type-arg]
    from harmonize.conversion.terms import format_for
    from harmonize.scale.cluster import cluster
    from harmonize.scale.convert import convert_distributed

    with cluster(args.dask, on_ready=dashboard) as client:
        return convert_distributed(
            client, args.table, schema, sets, args.output,  # type: ignore[arg-type]
            fmt=format_for("x.nt", args.format), base=args.base,
            on_unmapped=args.on_unmapped, on_invalid=args.on_invalid,
            threshold=args.threshold, policy=args.policy, ledger=args.ledger,
            rows_per_part=args.partition_rows,
        )  # fmt: skip


def format_summary(summary: object) -> str:
    from harmonize.conversion.run import ConversionSummary

    assert isinstance(summary, ConversionSummary)
    s = summary
    lines = [
        f"converted {s.rows} rows -> {s.triples} triples in {s.output} ({s.format})",
        f"  columns mapped: {len(s.columns_mapped)} ({', '.join(s.columns_mapped)})",
    ]
    if s.columns_unmapped:
        lines.append(f"  columns not converted: {', '.join(s.columns_unmapped)}")
    if s.columns_ignored:
        lines.append(
            f"  columns ignored (slot already filled by another column): {', '.join(s.columns_ignored)}"
        )
    lines.append(f"  coded values: {s.coded_values}")
    if s.records:
        shown = ", ".join(f"{name} {n}" for name, n in s.records.items())
        lines.append(f"  distinct records: {shown}")
    if s.rows_rejected:
        lines.append(f"  rows rejected: {s.rows_rejected}")
    for kind, top in (("unmapped", s.top_unmapped), ("invalid", s.top_invalid)):
        total = s.problem_counts.get(kind, 0)
        if not total:
            continue
        shown = "; ".join(f"{col}={val!r} x{n}" for col, val, n in top[:8])
        lines.append(f"  {kind} values: {total} ({shown}{'; ...' if len(top) > 8 else ''})")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(1)
