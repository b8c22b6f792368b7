"""Typos in a query's words, corrected against the name vocabulary (for the fuzzy tier).

Unknown words of 4+ letters are compared with the vocabulary words of the same first letter
by ``rapidfuzz.process.cdist`` per bucket, never by pairwise Python loops. A word is
corrected when a vocabulary word is close enough by normalised Levenshtein similarity; the
correction is, among those, the closest by optimal string alignment (two letters swapped,
``kerationcyte``, is one edit: one slip of the fingers), and between equally close words
the one more names use (``keratinocyte``, not another name's own typo ``keratincyte``).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.match.values.index import NameTable

__all__ = ["TYPO_CUTOFF", "correct_tokens"]

TYPO_CUTOFF = 0.8  # the least similarity of a correction
#: at most this is added to a similarity by how common the word is (ties only: two distinct
#: similarities of words this short differ by far more)
_TIE_BREAK = 1e-5
#: name table -> first letter -> each vocabulary word's tie-break (weak: not kept alive)
_COMMONNESS: weakref.WeakKeyDictionary[NameTable, dict[str, npt.NDArray[np.float32]]] = (
    weakref.WeakKeyDictionary()
)


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
    scored: dict[str, list[tuple[float, int, str]]] = {}  # word -> its close words, weighed
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
            commonness = _commonness(table, first)
            for i, j in zip(*np.nonzero(close >= TYPO_CUTOFF), strict=True):
                word, other = chunk[int(i)], vocab[int(j)]
                aligned = OSA.normalized_similarity(word, other) + float(commonness[j])
                scored.setdefault(word, []).append((aligned, -int(j), other))
    return {word: max(found)[2] for word, found in scored.items()}


def _commonness(table: NameTable, first: str) -> npt.NDArray[np.float32]:
    """Per vocabulary word of the bucket ``first``: up to :data:`_TIE_BREAK`, more for a
    word more names use (a lower IDF)."""
    import numpy as np

    buckets = _COMMONNESS.setdefault(table, {})
    found = buckets.get(first)
    if found is None:
        idf = np.array([table.idf.get(w, 0.0) for w in table.vocab_by_first[first]])
        top = float(idf.max()) if len(idf) else 0.0
        found = (_TIE_BREAK * (top - idf) / top if top > 0 else np.zeros(len(idf))).astype(
            np.float32
        )
        buckets[first] = found
    return found
