"""Typos in a query's words, corrected against the name vocabulary (for the fuzzy tier).

Unknown words of 4+ letters are compared with the vocabulary words of the same first letter
by one ``rapidfuzz.process.cdist`` per bucket (normalised Levenshtein similarity), never by
pairwise Python loops.
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
    from rapidfuzz.distance import Levenshtein

    by_first: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= 4 and word.isalpha() and word[0] in table.vocab_by_first:
            by_first.setdefault(word[0], []).append(word)
    fixes: dict[str, str] = {}
    for first, group in by_first.items():
        vocab = table.vocab_by_first[first]
        for start in range(0, len(group), 256):
            chunk = group[start : start + 256]
            scores = process.cdist(
                chunk,
                vocab,
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=TYPO_CUTOFF,
                dtype=np.float32,
                workers=workers,
            )
            best = scores.argmax(axis=1)
            for i, word in enumerate(chunk):
                j = int(best[i])
                if scores[i, j] >= TYPO_CUTOFF:
                    fixes[word] = vocab[j]
    return fixes
