"""``harmonize validate``: SHACL + ontology checks with a steward-readable report."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate RDF against the model's SHACL shapes and the ontologies",
        description=(
            "Check DATA (Turtle, N-Triples, JSON-LD) with pyshacl against the shapes of the "
            "schema, and check every coded term: it must exist, not be obsolete and lie "
            "under the slot's root terms. Exit code 1 when there are violations."
        ),
    )
    parser.add_argument("data", type=Path, metavar="DATA.ttl", help="RDF file or conversion folder")
    parser.add_argument(
        "--schema", type=Path, metavar="SCHEMA.yaml", help="default: the common model"
    )
    parser.add_argument(
        "--ontology",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="ontology file(s) for term checks (default: the bundled releases)",
    )
    parser.add_argument(
        "--report", type=Path, metavar="OUT.ttl", help="write the SHACL validation report graph"
    )
    parser.add_argument("--no-ontology-checks", action="store_true", help="SHACL shapes only")
    parser.add_argument("--limit", type=int, default=50, help="problems to print (50)")
    from harmonize.cli.convert import add_dask_option

    add_dask_option(parser, "DATA may be a conversion folder (its manifest lists the parts).")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import harmonize
    from harmonize.io import check_output_path
    from harmonize.validation.report import format_report

    if args.report:
        check_output_path(args.report)
    if args.dask:
        from harmonize.cli.convert import dashboard
        from harmonize.jobs.inputs import as_schema
        from harmonize.scale.cluster import cluster
        from harmonize.scale.validate import validate_distributed

        with cluster(args.dask, on_ready=dashboard) as client:
            report = validate_distributed(
                client, args.data, as_schema(args.schema), ontologies=args.ontology,
                check_ontologies=not args.no_ontology_checks, report_path=args.report,
            )  # fmt: skip
    else:
        report = harmonize.validate(
            args.data,
            schema=args.schema,
            ontologies=args.ontology,
            report=args.report,
            check_ontologies=not args.no_ontology_checks,
        )
    print(format_report(report, limit=args.limit))
    if args.report:
        print(f"report graph: {args.report}")
    return 0 if report.conforms else 1
