"""The partner table behind a review: rows per subject, sample rows, unmatched values.

Pure: built once from the table and the mapping sets under review. A subject is a value
of a column (``local:<column>/...``; the ``value/<column>`` and ``value_<column>`` forms
of ``match-columns`` too) or, when its label names a table column, a column itself.
Cells convert treats as missing (``N/A``, ``unknown``...) are no values to review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harmonize.mappings.replay_match import grouped, namespace_of

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.mappings.model import MappingSet

__all__ = ["TableIndex", "index_table"]


@dataclass
class TableIndex:
    """Per subject: its rows, five sample rows, the column to highlight, its column."""

    counts: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[int]] = field(default_factory=dict)
    sample_column: dict[str, str] = field(default_factory=dict)
    column_of: dict[str, str] = field(default_factory=dict)
    columns: set[str] = field(default_factory=set)  # subjects that are table columns
    unmatched: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (value, col)


def _ns(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", text).strip("_")


def _cells(table: Table) -> dict[str, dict[str, list[int]]]:
    """column -> value -> row indexes (values stripped; missing cells left out)."""
    from harmonize.text.values import is_missing  # what convert will call missing

    by_column: dict[str, dict[str, list[int]]] = {}
    for c, name in enumerate(table.columns):
        cells: dict[str, list[int]] = {}
        for r, row in enumerate(table.rows):
            value = row[c].strip() if c < len(row) else ""
            if value and not is_missing(value):
                cells.setdefault(value, []).append(r)
        by_column[name] = cells
    return by_column


def index_table(table: Table, mapping_sets: Iterable[MappingSet]) -> TableIndex:
    """Index ``table`` for the subjects of ``mapping_sets``."""
    by_column = _cells(table)
    ns_to_column = {_ns(c): c for c in table.columns}
    ns_to_column.update({_ns(c).casefold(): c for c in table.columns})
    ns_to_column.update({_ns(f"value/{c}"): c for c in table.columns})
    ns_to_column.update({_ns(f"value_{c}"): c for c in table.columns})
    out = TableIndex()
    covered: dict[str, set[str]] = {}  # table column -> values with candidates
    for ms in mapping_sets:
        for subject, rows in grouped(ms).items():
            label = (rows[0].subject_label or "").strip()
            ns = namespace_of(subject) or ""
            column = ns_to_column.get(ns) or ns_to_column.get(ns.casefold())
            if column is not None:
                covered.setdefault(column, set()).add(label)
                hits = by_column[column].get(label, [])
                out.sample_column[subject] = out.column_of[subject] = column
                out.samples[subject] = hits[:5]
            elif label in by_column:  # the subject is a column itself
                cells = by_column[label]
                hits = sorted({r for rs in cells.values() for r in rs})
                common = sorted(cells.values(), key=len, reverse=True)[:5]
                out.samples[subject] = sorted(rs[0] for rs in common)  # five distinct values
                out.sample_column[subject] = label
                out.columns.add(subject)
            else:
                hits = sorted({r for cells in by_column.values() for r in cells.get(label, [])})
                out.samples[subject] = hits[:5]
            out.counts[subject] = len(hits)
    from harmonize.curie import local_curie

    for column, labels in covered.items():  # values the matcher found nothing for
        for value, hits in by_column[column].items():
            if value not in labels:
                subject = local_curie(column, value)
                out.unmatched[subject] = (value, column)
                out.counts[subject] = len(hits)
                out.samples[subject] = hits[:5]
                out.sample_column[subject] = out.column_of[subject] = column
    return out
