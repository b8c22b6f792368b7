"""Typos in a query's words, corrected against the name vocabulary (for the fuzzy tier).

Unknown words of 4+ letters are compared with the vocabulary words of the same first letter
by ``rapidfuzz.process.cdist`` per bucket, never by pairwise Python loops. A word is
corrected to the closest vocabulary word by normalised optimal string alignment, when
close enough: two letters swapped (``kerationcyte``, ``osteoctye``) is one edit, one slip
of the fingers, where Levenshtein counts two and would miss a short word's swap; between
equally close words, the one more names use (``keratinocyte``, not another name's own typo
``keratincyte``).

A word that is no vocabulary word and no typo of one may be words written together with
nothing between them (``skeletalmuscle``, ``esophagusmuscularis``, as file and folder names
write organs): :func:`split_glued` reads it as two or three vocabulary words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable

__all__ = ["TYPO_CUTOFF", "correct_tokens", "split_glued"]

TYPO_CUTOFF = 0.8  # the least similarity of a correction
#: below the cutoff by rounding only: one edit in five letters is 1 - 1/5, which floating
#: point makes 0.7999...; without this, "fevr" was no typo of "fever"
_ROUNDING = 1e-6
_GLUED_MIN = 8  # the shortest word read as words written together
_PIECE_MIN = 3  # ... each of them at least this long ("of" is never a piece)
_PIECES_MAX = 3
_SPLITS_TRIED = 8  # readings checked against the names, most likely first


def correct_tokens(table: NameTable, words: Sequence[str], *, workers: int = -1) -> dict[str, str]:
    """Map each unknown word (4+ letters) to its closest vocabulary word, if close enough.

    ``workers`` is rapidfuzz's thread count (-1: all cores; 1 inside a worker process).
    """
    if not words:
        return {}
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    by_first: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= 4 and word.isalpha() and word[0] in table.vocab_by_first:
            by_first.setdefault(word[0], []).append(word)
    scored: dict[str, list[tuple[float, float, int, str]]] = {}  # word -> close words, weighed
    for first, group in by_first.items():
        vocab = table.vocab_by_first[first]
        for start in range(0, len(group), 256):
            chunk = group[start : start + 256]
            close = process.cdist(  # the words close enough: by optimal string alignment
                chunk,
                vocab,
                scorer=OSA.normalized_similarity,
                score_cutoff=TYPO_CUTOFF - _ROUNDING,
                dtype=np.float32,
                workers=workers,
            )
            idf = table.idf
            for i, j in zip(*np.nonzero(close >= TYPO_CUTOFF - _ROUNDING), strict=True):
                word, other = chunk[int(i)], vocab[int(j)]
                aligned = float(close[i, j])
                # nearest first, then the word more names use (lower IDF), then vocab order
                scored.setdefault(word, []).append((aligned, -idf.get(other, 0.0), -int(j), other))
    return {word: max(found)[3] for word, found in scored.items()}


def split_glued(table: NameTable, word: str) -> list[str] | None:
    """``word`` read as two or three vocabulary words written together, two of which
    some name says one after the other (``skeletalmuscle`` -> ``["skeletal", "muscle"]``:
    "skeletal muscle tissue"); fewest pieces first, then the pieces more names use. None
    when no such reading covers every letter (``gangreen`` is no "gan green": no name
    says it).
    """
    if len(word) < _GLUED_MIN or not word.isalpha():
        return None
    idf = table.idf
    found: list[tuple[int, float, list[str]]] = []
    stack: list[tuple[int, list[str]]] = [(0, [])]
    while stack:  # every split into known pieces (few: a piece is a whole vocabulary word)
        start, pieces = stack.pop()
        if start == len(word):
            if len(pieces) >= 2:
                found.append((len(pieces), sum(idf[p] for p in pieces), pieces))
            continue
        if len(pieces) == _PIECES_MAX:
            continue
        for end in range(start + _PIECE_MIN, len(word) + 1):
            piece = word[start:end]
            if piece in idf and (end == len(word) or len(word) - end >= _PIECE_MIN):
                stack.append((end, [*pieces, piece]))
    for _, _, pieces in sorted(found, key=lambda f: f[:2])[:_SPLITS_TRIED]:
        # two pieces a name says together; of three, two ("adult" + "adrenal gland")
        if any(_said_together(table, pieces[i : i + 2]) for i in range(len(pieces) - 1)):
            return pieces
    return None


def _said_together(table: NameTable, pieces: list[str]) -> bool:
    """Does some name say ``pieces`` as consecutive words?"""
    import numpy as np

    rows = table.postings[pieces[0]]
    for piece in pieces[1:]:
        rows = np.intersect1d(rows, table.postings[piece], assume_unique=True)
    phrase = f" {' '.join(pieces)} "
    return any(phrase in f" {table.norm[row]} " for row in rows.tolist())
