"""The tissue a table's rows were sampled from, as context for its cell-type column.

A cell-type column (its slot bound to a CL branch) is read with the rows' tissue: the
term a tissue column (its slot bound to an UBERON branch) was confidently mapped to
(curated, auto-accepted, or an exact match). A cell-type value whose rows all have one
tissue is grounded with it as context (``Fibroblast`` in lung rows offers "fibroblast of
lung" first, as a close match for review); a value met in rows of several tissues, or of
none, is read alone, so each value keeps one subject and one mapping. Used by
:func:`~harmonize.match.columns.values.map_table_values`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.mappings.model import Mapping
    from harmonize.match.values.matcher import ValueMatcher
    from harmonize.schema import SlotInfo

__all__ = [
    "CELL_PREFIX",
    "TISSUE_PREFIX",
    "Tissue",
    "binds",
    "by_tissue",
    "cell_tissues",
    "row_tissues",
    "tissue_names",
]

#: a slot bound to a branch of this ontology says where a sample was taken (UBERON) ...
TISSUE_PREFIX = "UBERON"
#: ... and a slot bound to a branch of this one is read with it (cell types, CL)
CELL_PREFIX = "CL"
#: a tissue value's first candidate names the rows' tissue when it is auto-accepted, or an
#: exact match at least this sure ("lung": 0.82, contested by "pair of lungs")
_TISSUE_EXACT_MIN = 0.5
#: a tissue a sample was taken from: its term id and label
Tissue = tuple[str, str]


def by_tissue(
    matcher: ValueMatcher, values: list[str], tissues: dict[str, tuple[str, ...]]
) -> list[tuple[ValueMatcher, list[str]]]:
    """The values grouped by their tissue, each group with the matcher reading it (the
    plain one for values without a tissue, and for the slot's permissible values: no
    tissue composes with them)."""
    if not matcher.roots or not tissues:
        return [(matcher, values)]
    groups: dict[tuple[str, ...], list[str]] = {}
    for value in values:
        groups.setdefault(tissues.get(value, ()), []).append(value)
    return [
        (matcher.with_context(names) if names else matcher, group)
        for names, group in groups.items()
    ]


def tissue_names(matchers: Sequence[ValueMatcher], tissue: Tissue) -> tuple[str, ...]:
    """The names of a tissue (term id and label) as the tissue slots' ontology ``matchers``
    give them (label, exact synonyms and the words their names pair with it:
    "pancreatic"), for a cell-type slot whose own ontology lacks them; its label when none
    has the term."""
    from harmonize.match.values.context_terms import context_names

    for matcher in matchers:
        if matcher.roots and tissue[0] in matcher.index.terms:
            return context_names(matcher.index, matcher.table, [tissue[0]])
    return (tissue[1],) if tissue[1] else ()


def binds(slot: SlotInfo, prefix: str) -> bool:
    """Is ``slot`` bound to a branch of the ontology with this CURIE prefix?"""
    return slot.binding.kind == "ontology" and any(
        r.partition(":")[0].upper() == prefix for r in slot.binding.roots
    )


def row_tissues(
    table: Table, tissue_rows: dict[str, list[Mapping]], column: str
) -> dict[str, Tissue]:
    """Value of ``column`` -> the one tissue its rows were taken from: the term each tissue
    column's value was mapped to with confidence (its best row curated, at least
    :data:`~harmonize.confidence.AUTO_ACCEPT`, or an exact match at least 0.5 sure), when
    every row of the value that has a tissue has the same one. ``tissue_rows``: tissue
    column -> its value rows."""
    from harmonize.confidence import AUTO_ACCEPT
    from harmonize.match.values.ground import NO_TERM_FOUND

    best: dict[str, dict[str, Tissue | None]] = {}
    for tissue_column, rows in tissue_rows.items():
        chosen: dict[str, Tissue | None] = {}
        for row in rows:  # each value's rows come best first
            label = row.subject_label or ""
            if label not in chosen:
                sure = (row.confidence or 0.0) >= AUTO_ACCEPT or (
                    row.predicate_id == "skos:exactMatch"
                    and (row.confidence or 0.0) >= _TISSUE_EXACT_MIN
                )
                named = sure and row.object_id != NO_TERM_FOUND
                chosen[label] = (row.object_id, row.object_label or "") if named else None
        best[tissue_column] = chosen
    seen: dict[str, set[Tissue]] = {}
    columns = {c: table.column(c) for c in tissue_rows if c in table.columns}
    for i, raw in enumerate(table.column(column)):
        value = raw.strip()
        if not value:
            continue
        found = seen.setdefault(value, set())
        for tissue_column, cells in columns.items():
            term = best[tissue_column].get(cells[i].strip())
            if term is not None:
                found.add(term)
    return {value: next(iter(terms)) for value, terms in seen.items() if len(terms) == 1}


def cell_tissues(
    table: Table,
    slot: SlotInfo,
    tissue_rows: dict[str, list[Mapping]],
    tissue_matchers: Sequence[ValueMatcher],
    column: str,
) -> dict[str, tuple[str, ...]] | None:
    """For a cell-type ``column`` (coded by ``slot``): value -> the names of its rows' one
    tissue (None when it is no cell-type column or the table has no tissue column).
    ``tissue_matchers``: the matchers of the tissue columns' slots."""
    if not binds(slot, CELL_PREFIX) or not tissue_rows:
        return None
    named: dict[Tissue, tuple[str, ...]] = {}
    return {
        value: named.setdefault(tissue, tissue_names(tissue_matchers, tissue))
        for value, tissue in row_tissues(table, tissue_rows, column).items()
    }
