"""The sample's tissue: the more specific term a value names there.

A cell-type column of a lung study says ``Fibroblast`` or ``Goblet``; its curator codes
"fibroblast of lung" and "lung goblet cell", because the sample is lung. Given the
tissue the values come from (``ground --context lung`` or ``--context UBERON:0002048``),
the matcher looks up the names that say the value's words in that tissue
(``<tissue> <name>``, ``<name> of <tissue>``) and offers the term it finds first, as a
reading (``context``): never auto-accepted, a close match. A tissue is also named by the
words the ontology's own names put in its place (:func:`word_pairs`: ``pancreas`` ->
"pancreatic", ``kidney`` -> "renal", ``lung`` -> "pulmonary"), so ``Endocrine cell``
from pancreas offers "pancreatic endocrine cell". :class:`ContextTerms` is a
mixin of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

from harmonize.match.values.hits import Hit, read_texts
from harmonize.match.values.index import STRONG_SCOPES
from harmonize.match.values.word_contrasts import contrasted
from harmonize.text.values import tissue_said

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical
    from harmonize.ontology.index import OntologyIndex

__all__ = ["MIN_PAIRED", "ContextTerms", "context_names", "paired", "word_pairs"]

#: a name in the tissue ranks just above the plain name it specialises
CONTEXT_FACTOR = 1.005
#: two words are paired when this many terms have a label and an exact synonym that differ
#: only by them ("kidney tubule cell" / "renal tubule cell"); fewer is chance wording
MIN_PAIRED = 3
#: name table -> its word pairs (weak: a table nobody uses any more is not kept alive)
_PAIRS: weakref.WeakKeyDictionary[NameTable, dict[str, tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def word_pairs(table: NameTable) -> dict[str, tuple[str, ...]]:
    """Words the ontology writes in each other's place: per term, names (labels and exact
    synonyms, normalised) of the same length that differ in one word give a pair; pairs
    met for at least :data:`MIN_PAIRED` terms are kept (``kidney`` <-> ``renal``).
    Computed once per name table."""
    found = _PAIRS.get(table)
    if found is not None:
        return found
    by_term: dict[int, set[str]] = {}
    for row, norm in enumerate(table.norm):
        if " " in norm and table.strong(row):
            by_term.setdefault(table.term[row], set()).add(norm)
    counts: dict[tuple[str, str], int] = {}
    for names in by_term.values():
        if len(names) < 2:
            continue
        seen: set[tuple[str, str]] = set()
        split = sorted(n.split() for n in names)
        for i, left in enumerate(split):
            for right in split[i + 1 :]:
                if len(left) != len(right):
                    continue
                diff = [(a, b) for a, b in zip(left, right, strict=True) if a != b]
                if len(diff) == 1:
                    seen.add((min(diff[0]), max(diff[0])))
        for pair in seen:
            counts[pair] = counts.get(pair, 0) + 1
    paired: dict[str, list[str]] = {}
    for (a, b), n in counts.items():
        if n >= MIN_PAIRED:
            paired.setdefault(a, []).append(b)
            paired.setdefault(b, []).append(a)
    found = {word: tuple(sorted(others)) for word, others in paired.items()}
    _PAIRS[table] = found
    return found


def paired(table: NameTable, word: str) -> tuple[str, ...]:
    """The words :func:`word_pairs` pairs with ``word``, but its contrasts ("malignant"
    is no other way to write "benign": :func:`~harmonize.match.values.word_contrasts.contrasted`)."""
    return tuple(w for w in word_pairs(table).get(word, ()) if not contrasted(table, word, w))


def context_names(
    index: OntologyIndex, table: NameTable, context: Sequence[str]
) -> tuple[str, ...]:
    """Normalised names of the tissues in ``context``: a CURIE of a loaded term, or a
    text that is a term's label or exact synonym (looked up in the name ``table``), gives
    that term's label and exact synonyms; any other text is a name itself.

    >>> from types import SimpleNamespace
    >>> from harmonize.match.values.index import NameTable
    >>> context_names(SimpleNamespace(terms={}), NameTable(), ["Lung", "lung", "Lungs"])
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
    if names:  # a one-word tissue name's paired words: "pancreatic", "renal"
        for norm in list(names):
            for word in paired(table, norm) if " " not in norm else ():
                names.setdefault(word, None)
    return tuple(names)


def _named(table: NameTable, text: str) -> str | None:
    """The term whose label or exact synonym ``text`` is (normalised), from the table."""
    from harmonize.match.values.interpret import normal_form

    for row in table.normal.get(normal_form(text), ()):
        if table.strong(row):
            return table.term_ids[table.term[row]]
    return None


def _tissue_names(index: OntologyIndex, term_id: str) -> list[str]:
    """The term's label and exact synonyms (not its ancestors': "tissue", "organ" and
    the systems above it would offer terms of other samples)."""
    return [t for t, scope, _ in index.terms[term_id].names() if scope in STRONG_SCOPES]


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
                        said = f"{tissue_said(tissue)}: {table.text[row]!r}"
                        tag = ("context", said)
                        hit = Hit(
                            row, "normalized", base * CONTEXT_FACTOR, 1.0, 1.0, None, False, tag
                        )
                        out.hits.append(hit)
                        out.query = ""
