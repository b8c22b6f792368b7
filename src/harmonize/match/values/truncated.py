"""A word cut short, as cluster labels write cell types: ``Mono``, ``Macro``, ``Eryth``.

A cluster's count glued to it (``Epi1``, ``Mono2``) is set aside, as when written apart.

When a one-word value names nothing and no reading of it does, a curator reads it as the
start of a word: the one-word names (or ``<word> cell`` / ``<word> tissue``) of the
branch whose word begins with it (``Mono`` -> monocyte, ``Fibs`` -> fibroblast). Terms
CELLxGENE groups curated data by come first (its lists of organs, tissues, cell classes
and subclasses: :func:`~harmonize.match.values.usage.headline_terms`), then terms its
curators use, then shorter words. Such candidates come from a reading of their own
(``truncated``): close matches, at most 0.5 sure (a guess among the words the value
begins). :class:`TruncatedWords` is a mixin of
:class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.markers import marker_readings
from harmonize.match.values.usage import headline_terms

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical

__all__ = ["MAX_OFFERED", "TruncatedWords", "counted_stem", "stem_of"]

#: how many terms a shortened word offers (the steward picks among them)
MAX_OFFERED = 3
_MIN, _MAX = 3, 6  # letters of a shortened word ("Neu" .. "Eryth", "Macro")
_WEIGHT = 0.9
_HEAD_NOUNS = ("cell", "tissue")
#: a cluster's count glued to a word cut short ("Epi1", "Mono2"); "CD4" is a marker, not one
_GLUED_COUNT = re.compile(r"(?!cd\d)([a-z]+)(\d{1,2})")
#: the term the markers and the shortened word name together ranks just above the word's
_WITH_MARKERS = 1.005


def stem_of(norm: str) -> str:
    """The shortened word ``norm`` (a normalised value) may be, or ""."""
    return norm if _MIN <= len(norm) <= _MAX and norm.isalpha() else ""


def counted_stem(norm: str) -> tuple[str, str]:
    """The shortened word and the cluster count glued to it (``epi1`` -> ``("epi", "1")``,
    as ``Epi_1`` is written apart), or the shortened word alone, or ``("", "")``.

    >>> counted_stem("epi1"), counted_stem("mono"), counted_stem("sox10x"), counted_stem("cd4")
    (('epi', '1'), ('mono', ''), ('', ''), ('', ''))
    """
    if stem := stem_of(norm):
        return stem, ""
    found = _GLUED_COUNT.fullmatch(norm)
    if found is None or not (stem := stem_of(found.group(1))):
        return "", ""
    return stem, found.group(2)


class TruncatedWords:
    """Names whose word a shortened value begins (a mixin of the value matcher)."""

    table: NameTable
    _allowed_row_list: list[bool]
    _used: list[bool]

    def _exact_only(
        self, text: str, weight: float, reading: tuple[str, str], *, normal: bool = False
    ) -> list[Hit]:
        raise NotImplementedError  # provided by ExactTiers

    def _truncated(self, value: str, norm: str, out: Lexical, markers: Sequence[str] = ()) -> None:
        """``Mono``: monocyte (the value's one word begins a one-word name). Looks the
        words up in the table's vocabulary (sorted by first letter): nothing is built.
        ``markers`` set aside from the value (``CD14 Mono``) are read with the word: the
        term named by both ("CD14-positive monocyte") comes first."""
        stem, count = counted_stem(norm)
        if not stem:
            return
        table, allowed, used = self.table, self._allowed_row_list, self._used
        vocab = table.vocab_by_first.get(stem[0], [])
        headline = headline_terms()
        found: dict[int, tuple[tuple[bool, bool, int, bool], int]] = {}
        for i in range(bisect.bisect_left(vocab, stem), len(vocab)):
            word = vocab[i]
            if not word.startswith(stem):
                break
            if len(word) < len(stem) + 2 or not word.isalpha():
                continue
            for name in (word, *(f"{word} {noun}" for noun in _HEAD_NOUNS)):
                for row in table.normal.get(name, ()):
                    if not (allowed[row] and table.strong(row)):
                        continue
                    term = table.term[row]
                    broad = table.term_ids[term] in headline
                    key = (not broad, not used[term], len(word), table.scope[row] != "LABEL")
                    if term not in found or key < found[term][0]:
                        found[term] = (key, row)
        chosen = sorted(found.values())[:MAX_OFFERED]
        base = METHOD_BASE["normalized"] * _WEIGHT
        for rank, (_key, row) in enumerate(chosen):
            said = f"{value!r} read as a shortened word: {table.text[row]!r}"
            if count:
                said += f" (set aside {count!r}: a count)"
            tag = ("truncated", said)
            hit = Hit(row, "normalized", base * (1 - 0.01 * rank), 1.0, 1.0, None, False, tag)
            out.hits.append(hit)
            if markers:
                self._with_markers(table.text[row], markers, said, base * (1 - 0.01 * rank), out)

    def _with_markers(
        self, word: str, markers: Sequence[str], said: str, score: float, out: Lexical
    ) -> None:
        """The term the markers and the word name together (``CD14 Mono`` -> "CD14 monocyte"
        -> "CD14-positive monocyte"), just above the word's own term."""
        allowed = self._allowed_row_list
        for text in marker_readings(f"{' '.join(markers)} {word}")[:1]:
            note = f"{said}; marker notation read as {text!r}"
            for hit in self._exact_only(text, 1.0, ("truncated", note)):
                if allowed[hit.row] and self.table.strong(hit.row):
                    hit.score = score * _WITH_MARKERS
                    out.hits.append(hit)
