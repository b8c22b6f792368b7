"""``harmonize demo``: the whole pipeline on a bundled partner table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the whole pipeline on a bundled partner table",
        description=(
            "Load the ontologies, match the columns of a messy partner table to the common "
            "model, ground its values, auto-accept confident mappings, convert to RDF and "
            "validate with SHACL. DIR receives the SSSOM mapping sets, the Turtle and the "
            "SHACL report."
        ),
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=Path("harmonize-demo"), metavar="DIR",
        help="output folder (default: ./harmonize-demo)",
    )  # fmt: skip
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from harmonize.demo.pipeline import run_demo
    from harmonize.demo.summary import format_result

    result = run_demo(args.output, say=lambda line: print(line, file=sys.stderr, flush=True))
    print(format_result(result))
    return 0
