"""Typos in a query's words, corrected against the name vocabulary (for the fuzzy tier).

Unknown words of 4+ letters are compared with the vocabulary words of the same first letter
by ``rapidfuzz.process.cdist`` per bucket, never by pairwise Python loops. A word is
corrected when a vocabulary word is close enough by normalised Levenshtein similarity; the
correction is, among those, the closest by optimal string alignment (two letters swapped,
``kerationcyte``, is one edit: one slip of the fingers), and between equally close words
the one more names use (``keratinocyte``, not another name's own typo ``keratincyte``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable

__all__ = ["TYPO_CUTOFF", "correct_tokens"]

TYPO_CUTOFF = 0.8  # the least similarity of a correction


def correct_tokens(table: NameTable, words: Sequence[str], *, workers: int = -1) -> dict[str, str]:
    """Map each unknown word (4+ letters) to its closest vocabulary word, if close enough.

    ``workers`` is rapidfuzz's thread count (-1: all cores; 1 inside a worker process).
    """
    if not words:
        return {}
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import OSA, Levenshtein

    by_first: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= 4 and word.isalpha() and word[0] in table.vocab_by_first:
            by_first.setdefault(word[0], []).append(word)
    scored: dict[str, list[tuple[float, float, int, str]]] = {}  # word -> close words, weighed
    for first, group in by_first.items():
        vocab = table.vocab_by_first[first]
        for start in range(0, len(group), 256):
            chunk = group[start : start + 256]
            close = process.cdist(  # the words close enough: by Levenshtein
                chunk,
                vocab,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=TYPO_CUTOFF,
                dtype=np.float32,
                workers=workers,
            )
            idf = table.idf
            for i, j in zip(*np.nonzero(close >= TYPO_CUTOFF), strict=True):
                word, other = chunk[int(i)], vocab[int(j)]
                aligned = OSA.normalized_similarity(word, other)
                # nearest first, then the word more names use (lower IDF), then vocab order
                scored.setdefault(word, []).append((aligned, -idf.get(other, 0.0), -int(j), other))
    return {word: max(found)[3] for word, found in scored.items()}
