"""The sample's tissue: the more specific term a value names there.

A cell-type column of a lung study says ``Fibroblast`` or ``Goblet``; its curator codes
"fibroblast of lung" and "lung goblet cell", because the sample is lung. Given the
tissue the values come from (``ground --context lung`` or ``--context UBERON:0002048``),
the matcher looks up the names that say the value's words in that tissue
(``<tissue> <name>``, ``<name> of <tissue>``) and offers the term it finds first, as a
reading (``context``): never auto-accepted, a close match. :class:`ContextTerms` is a
mixin of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from harmonize.match.values.hits import Hit, read_texts

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["ContextTerms", "context_names"]

#: a name in the tissue ranks just above the plain name it specialises
CONTEXT_FACTOR = 1.005


def context_names(
    index: OntologyIndex, table: NameTable, context: Sequence[str]
) -> tuple[str, ...]:
    """Normalised names of the tissues in ``context``: a CURIE of a loaded term, or a
    text that is a term's label or exact synonym (looked up in the name ``table``), gives
    that term's label and exact synonyms; any other text is a name itself.

    >>> from types import SimpleNamespace
    >>> nothing = SimpleNamespace(terms={}, normal={})
    >>> context_names(nothing, nothing, ["Lung", "lung", "Lungs"])
    ('lung',)
    """
    from harmonize.match.values.interpret import normal_form

    names: dict[str, None] = {}
    for item in context:
        term_id = item.strip() if item.strip() in index.terms else _named(table, item)
        texts = [item] if term_id is None else _tissue_names(index, term_id)
        for text in texts:
            norm = normal_form(text)
            if norm:
                names[norm] = None
    return tuple(names)


def _named(table: NameTable, text: str) -> str | None:
    """The term whose label or exact synonym ``text`` is (normalised), from the table."""
    from harmonize.match.values.interpret import normal_form

    for row in table.normal.get(normal_form(text), ()):
        if table.scope[row] in ("LABEL", "EXACT") and not table.weak[row]:
            return table.term_ids[table.term[row]]
    return None


def _tissue_names(index: OntologyIndex, term_id: str) -> list[str]:
    """The term's label and exact synonyms (not its ancestors': "tissue", "organ" and
    the systems above it would offer terms of other samples)."""
    return [t for t, scope, _ in index.terms[term_id].names() if scope in ("LABEL", "EXACT")]


class ContextTerms:
    """The sample's tissue's own terms for what a value names (a mixin)."""

    table: NameTable
    _allowed_row_list: list[bool]
    context: tuple[str, ...]  # normalised names of the sample's tissue

    def _in_context(self, out: Lexical, norm: str) -> None:
        """``Fibroblast`` in lung: "fibroblast of lung"; ``Goblet``: "lung goblet cell"."""
        if not self.context or not norm:
            return
        allowed = self._allowed_row_list
        table = self.table
        for text, base in read_texts(table.norm, norm, out.hits).items():
            padded = f" {text} "
            keys = [
                (tissue, key)
                for tissue in self.context
                if f" {tissue} " not in padded  # the value says the tissue already
                for key in (f"{tissue} {text}", f"{text} of {tissue}")
            ]
            for tissue, key in keys:
                for row in table.normal.get(key, ()):
                    if allowed[row]:
                        said = f"in the sample's tissue ({tissue}): {table.text[row]!r}"
                        tag = ("context", said)
                        hit = Hit(
                            row, "normalized", base * CONTEXT_FACTOR, 1.0, 1.0, None, False, tag
                        )
                        out.hits.append(hit)
                        out.query = ""
