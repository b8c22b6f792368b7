"""A word cut short, as cluster labels write cell types: ``Mono``, ``Macro``, ``Eryth``.

When a one-word value names nothing and no reading of it does, a curator reads it as the
start of a word: the one-word names (or ``<word> cell`` / ``<word> tissue``) of the
branch whose word begins with it (``Mono`` -> monocyte, ``Fibs`` -> fibroblast). Terms
CELLxGENE groups curated data by come first (its lists of organs, tissues, cell classes
and subclasses: :func:`~harmonize.match.values.usage.headline_terms`), then terms its
curators use, then shorter words. Such candidates come from a reading of their own (``truncated``): close
matches, at most 0.5 sure (a guess among the words the value begins). :class:`TruncatedWords` is a
mixin of :class:`~harmonize.match.values.reading_tiers.ReadingTiers`.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from harmonize.match.values.hits import METHOD_BASE, Hit
from harmonize.match.values.usage import headline_terms

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable
    from harmonize.match.values.reading_tiers import Lexical

__all__ = ["MAX_OFFERED", "TruncatedWords", "stem_of"]

#: how many terms a shortened word offers (the steward picks among them)
MAX_OFFERED = 3
_MIN, _MAX = 3, 6  # letters of a shortened word ("Neu" .. "Eryth", "Macro")
_WEIGHT = 0.9
_HEAD_NOUNS = frozenset({"cell", "tissue"})


def stem_of(norm: str) -> str:
    """The shortened word ``norm`` (a normalised value) may be, or ""."""
    return norm if _MIN <= len(norm) <= _MAX and norm.isalpha() else ""


class TruncatedWords:
    """Names whose word a shortened value begins (a mixin of the value matcher)."""

    table: NameTable
    _allowed_row_list: list[bool]
    _used: list[bool]
    _words: tuple[list[str], list[int]] | None = None  # (word, row), sorted by word

    def _one_word_names(self) -> tuple[list[str], list[int]]:
        """Words of the table's one-word labels and exact synonyms (and ``<word> cell``,
        ``<word> tissue``), sorted, with their rows (built once, on first use)."""
        if self._words is None:
            table = self.table
            pairs = []
            for row, norm in enumerate(table.norm):
                if table.weak[row] or table.scope[row] not in ("LABEL", "EXACT"):
                    continue
                word, _, rest = norm.partition(" ")
                if (not rest or rest in _HEAD_NOUNS) and word.isalpha():
                    pairs.append((word, row))
            pairs.sort()
            self._words = ([w for w, _ in pairs], [r for _, r in pairs])
        return self._words

    def _truncated(self, value: str, norm: str, out: Lexical) -> None:
        """``Mono``: monocyte (the value's one word begins a one-word name)."""
        stem = stem_of(norm)
        if not stem:
            return
        words, rows = self._one_word_names()
        allowed, table, used = self._allowed_row_list, self.table, self._used
        start = bisect.bisect_left(words, stem)
        found: dict[int, tuple[tuple[bool, bool, int, bool], int]] = {}
        headline = headline_terms()
        for i in range(start, len(words)):
            word = words[i]
            if not word.startswith(stem):
                break
            row = rows[i]
            if len(word) < len(stem) + 2 or not allowed[row]:
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
            tag = ("truncated", said)
            out.hits.append(Hit(row, "normalized", base * (1 - 0.01 * rank), 1.0, 1.0, None,
                                False, tag))  # fmt: skip
