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

from harmonize.match.values.hits import Hit
from harmonize.match.values.species_terms import read_texts

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import Term

__all__ = ["ContextTerms", "context_names"]

#: a name in the tissue ranks just above the plain name it specialises
CONTEXT_FACTOR = 1.005


def context_names(index: OntologyIndex, context: Sequence[str]) -> tuple[str, ...]:
    """Normalised names of the tissues in ``context``: a CURIE of a loaded term gives its
    label and exact synonyms, any other text is a name itself.

    >>> from types import SimpleNamespace
    >>> context_names(SimpleNamespace(terms={}), ["Lung", "lung", "Lungs"])
    ('lung',)
    """
    from harmonize.match.values.interpret import normal_form

    names: dict[str, None] = {}
    for item in context:
        term = index.terms.get(item.strip()) or _named(index, item)
        texts = [item] if term is None else _tissue_names(index, term.id)
        for text in texts:
            norm = normal_form(text)
            if norm:
                names[norm] = None
    return tuple(names)


def _named(index: OntologyIndex, text: str) -> Term | None:
    """The term whose label or exact synonym ``text`` is (case and spacing folded)."""
    from harmonize.match.values.interpret import normal_form

    want = normal_form(text)
    for term in index.terms.values():
        if not term.obsolete and any(
            scope in ("LABEL", "EXACT") and normal_form(t) == want for t, scope, _ in term.names()
        ):
            return term
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
        normal = self.table.normal
        for text, base in read_texts(self.table.norm, norm, out.hits).items():
            for tissue in self.context:
                if tissue in text.split():
                    continue  # the value says the tissue already
                for key in (f"{tissue} {text}", f"{text} of {tissue}"):
                    for row in normal.get(key, ()):
                        if not allowed[row]:
                            continue
                        said = f"in the sample's tissue ({tissue}): {self.table.text[row]!r}"
                        score = base * CONTEXT_FACTOR
                        out.hits.append(
                            Hit(row, "normalized", score, 1.0, 1.0, None, False, ("context", said))
                        )
                        out.query = ""
