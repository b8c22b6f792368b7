"""Per-group ranking of scored pairs in numpy (the fuzzy tier's candidate pairs, grouped by
query): no Python loop over queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["group_rank", "group_top"]

#: score bins per query group (a coarse order; contenders are then sorted exactly)
_BINS = 256
#: at most this many histogram cells (query groups x bins); more: one exact sort
_MAX_CELLS = 2**24


def group_top(
    q: npt.NDArray[np.int64], score: npt.NDArray[np.float64], n: int
) -> npt.NDArray[np.int64]:
    """Positions of the best ``n`` entries of each query group, by query, best score first.

    Ties go to the earlier position (the order of a stable sort by query then -score). Only
    the contenders are sorted exactly: one histogram of each group's scores in
    :data:`_BINS` bins gives the highest bin with ``n`` entries at or above it; an entry in
    a lower bin is strictly worse than ``n`` others and cannot be kept. Scores are in [0, 1].
    """
    import numpy as np

    if len(q) == 0 or n <= 0:
        return np.zeros(0, dtype=np.int64)
    groups = int(q.max()) + 1
    if int(q.min()) < 0 or groups * _BINS > _MAX_CELLS:  # not a chunk's query numbers
        order = np.lexsort((-score, q))
        return order[group_rank(q[order]) < n].astype(np.int64)
    # each entry's bin, 0 .. _BINS - 1, non-decreasing with its score (rounding included)
    level = np.clip(score * _BINS, 0, _BINS - 1).astype(np.int64)
    hist = np.bincount(q * _BINS + level, minlength=groups * _BINS).reshape(groups, _BINS)
    above = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1]  # entries at or above each bin
    cutoff = np.maximum((above >= n).sum(axis=1) - 1, 0)  # (fewer than n: keep them all)
    contenders = np.flatnonzero(level >= cutoff[q])  # in position order
    exact = contenders[np.lexsort((-score[contenders], q[contenders]))]
    return exact[group_rank(q[exact]) < n].astype(np.int64)


def group_rank(q_sorted: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Position of each entry within its run of equal (sorted, non-negative) query numbers."""
    import numpy as np

    pos = np.arange(len(q_sorted), dtype=np.int64)
    if len(q_sorted) == 0:
        return pos
    low, high = int(q_sorted[0]), int(q_sorted[-1])
    if high - low <= 4 * len(q_sorted):  # dense query numbers: one start per number
        first = np.searchsorted(q_sorted, np.arange(low, high + 1), side="left")
        return pos - first[q_sorted - low]
    starts = np.empty(len(q_sorted), dtype=bool)
    starts[0] = True
    np.not_equal(q_sorted[1:], q_sorted[:-1], out=starts[1:])
    return pos - np.maximum.accumulate(np.where(starts, pos, 0))
