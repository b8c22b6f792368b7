"""A sample described by where it came from: ``CD19+ B cell sorted from fresh PBMC``.

A cell-type slot reads what was sampled (the text before "from": a reading level of
:func:`~harmonize.match.values.interpret.iter_readings`); when that names nothing in the
branch and it is cells or only qualifiers (a sample), a tissue slot reads where it came
from ("PBMC" -> blood), with every reading of that text. "oral epithelim from ectoderm" is
a name of its own: not read so. Never auto-accepted (readings are capped).
:class:`SampleSource` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harmonize.match.values.hits import CELL_ROOT
from harmonize.match.values.interpret import source_of
from harmonize.match.values.qualifiers import says_cells, split_qualifiers

if TYPE_CHECKING:
    from harmonize.match.values.hits import Hit
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["SampleSource"]


class SampleSource:
    """Where a sampled value came from (a mixin of the value matcher)."""

    index: OntologyIndex
    table: NameTable
    _allowed_row_list: list[bool]

    def _lexical(self, value: str, *, hedged: bool = False) -> Lexical:
        raise NotImplementedError  # provided by ReadingTiers

    def _in_branch(self, hits: list[Hit]) -> bool:
        raise NotImplementedError  # provided by ReadingTiers

    def _names_cells(self, hits: list[Hit]) -> bool:
        """Do in-branch ``hits`` (not by similarity) name kinds of cell?"""
        table, allowed = self.table, self._allowed_row_list
        return any(
            _cells_said(self.index, table.term_ids[table.term[h.row]])
            for h in hits
            if h.method != "fuzzy" and allowed[h.row]
        )

    def _from_source(self, value: str, out: Lexical) -> bool:
        """``CD19+ B cell sorted from fresh PBMC`` names nothing here: a tissue slot reads
        where it came from (blood), when what came from it is cells or only qualifiers
        (a sample); True when that was read (its hits, fuzzy query and heads replace the
        value's)."""
        found = source_of(value)
        if found is None:
            return False
        what, source = found
        split = split_qualifiers(what)
        if not says_cells(what) and (split is None or split.head):
            return False  # "oral epithelim from ectoderm": a name of its own, not a sample
        inner = self._lexical(source)
        if not (self._in_branch(inner.hits) or inner.query or inner.heads):
            return False
        if self._names_cells(inner.hits):
            return False  # "hESC-derived beta cells": the cells came from stem cells; the
            # sample is of beta cells, whatever names them (the fuzzy tier reads them)
        said = f"read where it came from: {source!r}"
        for hit in inner.hits:  # each keeps its kind ("no tumour": still a negation)
            hit.reading = _after(said, hit.reading)
        out.hits.extend(inner.hits)
        out.query, out.whole, out.note = inner.query, inner.whole, inner.note
        out.heads = [(head, f"{said}; {how}" if how else said) for head, how in inner.heads]
        out.fuzzy_reading = _after(said, inner.fuzzy_reading)
        out.ceiling = inner.ceiling or out.ceiling
        return True


def _cells_said(index: OntologyIndex, term_id: str) -> bool:
    return term_id == CELL_ROOT or CELL_ROOT in index.steps_above(term_id)


def _after(said: str, reading: tuple[str, str] | None) -> tuple[str, str]:
    """``reading`` (its kind kept) after what ``said`` about the value; a qualifier
    reading when there was none."""
    return (reading[0], f"{said}; {reading[1]}") if reading else ("qualifier", said)
