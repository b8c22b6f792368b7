"""What the scripts that build ``bench/messy.py``'s tables from a wheel share
(``sfaira_set.py``, ``besca_set.py``): the table's columns, the dev / test split option,
and writing the table."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

#: the columns of the table ``bench/messy.py --data`` reads
FIELDS = [
    "kind", "submitted_text", "curated_id", "curated_label", "ncbi_taxon", "context", "source",
]  # fmt: skip


def add_half(parser: argparse.ArgumentParser, rows: str) -> None:
    """``--half dev|test|all``: ``rows`` says what is split ("studies", "rows")."""
    parser.add_argument(
        "--half",
        choices=("dev", "test", "all"),
        default="all",
        help=f"dev: the {rows} whose misses a developer may read; test: the others, scored only",
    )


def write_table(path: Path, rows: list[dict[str, str]]) -> None:
    """The rows as a tab-separated table with :data:`FIELDS` as its header."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
