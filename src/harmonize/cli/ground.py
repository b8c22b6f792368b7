"""``harmonize ground``: map a column of local values to ontology terms, as SSSOM."""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


_HELP = """\
Ground local values (a CSV/TSV column, or a text file with one term per line) to ontology
terms. Writes an SSSOM/TSV mapping set: the top-k candidates per distinct value, best
first, with a calibrated confidence (auto-accept at >= 0.95) and an explanation.

example:
  harmonize ground tissues.csv --ontology UBERON.json.zst --root UBERON:0001062 -o tissues.sssom.tsv
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ground",
        help="map local values to ontology term IDs (SSSOM out)",
        description=_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input", metavar="INPUT", help="CSV/TSV with a header, or one term per line"
    )
    parser.add_argument(
        "--ontology",
        action="append",
        required=True,
        metavar="FILE",
        help="ontology file (OBO, OWL, OBO-JSON, cellxgene JSON; gz/zst); repeatable",
    )
    parser.add_argument(
        "--root",
        action="append",
        default=[],
        metavar="CURIE",
        help="only terms under this term (e.g. UBERON:0001062); repeatable",
    )
    parser.add_argument(
        "--top-k",
        type=int,
        default=5,
        metavar="N",
        help="candidates per value, best first (N even when the first is exact)",
    )
    parser.add_argument(
        "--taxon",
        metavar="CURIE",
        help="species of the data, e.g. NCBITaxon:9606: terms of other taxa lose",
    )
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="TISSUE",
        help="tissue the values were sampled from (a name or CURIE, repeatable): "
        "'Fibroblast' in lung offers 'fibroblast of lung' first",
    )
    parser.add_argument("--column", metavar="NAME", help="column with the values (default: first)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.sssom.tsv")
    from harmonize.cli.convert import add_dask_option

    add_dask_option(parser, "Each worker loads the ontologies once.")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from harmonize.errors import InputFileError
    from harmonize.io import check_output_path, read_terms
    from harmonize.mappings.sssom_io import write_sssom
    from harmonize.match.values.candidate import MatchResult
    from harmonize.match.values.ground import (
        AUTO_ACCEPT,
        load_ontologies,
        results_to_mapping_set,
    )

    if args.top_k < 1:
        raise InputFileError("--top-k must be at least 1", value=args.top_k)
    check_output_path(args.output)
    source = Path(args.input)
    values = read_terms(source, args.column)
    if not values:
        raise InputFileError("no values to ground", path=source, column=args.column)
    index = load_ontologies(args.ontology)
    by_value: dict[str, MatchResult] = {}
    # what the matcher is told, the same on one machine and on a cluster
    told = {"roots": args.root, "taxon": args.taxon, "context": args.context, "top_k": args.top_k}
    if args.dask:
        from harmonize.cli.convert import dashboard
        from harmonize.scale.cluster import cluster
        from harmonize.scale.ground import ground_distributed

        with cluster(args.dask, on_ready=dashboard) as client:
            by_value = ground_distributed(client, values, args.ontology, **told)
    else:
        from harmonize.jobs.matching import ground

        grounded = ground(values, ontologies=[index], show_progress=True, **told)
        by_value = {r.query: r for r in grounded}
    results = [by_value[v] for v in values]
    namespace = args.column or source.stem
    mapping_set = results_to_mapping_set(
        results,
        namespace=namespace,
        mapping_set_id=f"https://w3id.org/harmonize/mappings/{source.stem}",
        object_source_version=index.meta.version,
        unmatched=True,
    )
    out = write_sssom(mapping_set, args.output)
    accepted = sum(
        1 for r in by_value.values() if r.best is not None and r.best.confidence >= AUTO_ACCEPT
    )
    outside = sum(1 for r in by_value.values() if r.outside_branch is not None)
    none = sum(1 for r in by_value.values() if r.best is None)
    print(
        f"grounded {len(by_value)} distinct values: {accepted} at confidence >= {AUTO_ACCEPT}"
        f" (auto-accept), {none} without candidates, {outside} with a better hit outside the"
        f" branch; wrote {out}",
        file=sys.stderr,
    )
    return 0
