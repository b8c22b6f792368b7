"""Per-group ranking of scored pairs in numpy (the fuzzy tier's candidate pairs, grouped by
query): no Python loop over queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["group_rank", "group_top"]


def group_top(
    q: npt.NDArray[np.int64], score: npt.NDArray[np.float64], n: int
) -> npt.NDArray[np.int64]:
    """Positions of the best ``n`` entries of each query group, by query, best score first.

    Ties go to the earlier position (the order of a stable sort by query then -score). Only
    the contenders are sorted exactly: two 16-bit radix passes order every entry by query and
    by its score rounded down to 1/65535; an entry whose rounded score is below its group's
    ``n``-th rounded score is strictly worse than ``n`` others and cannot be kept.
    """
    import numpy as np

    if len(q) == 0 or n <= 0:
        return np.zeros(0, dtype=np.int64)
    if int(q.max()) >= 2**16 or int(q.min()) < 0:  # not a chunk's query numbers
        order = np.lexsort((-score, q))
        return order[group_rank(q[order]) < n].astype(np.int64)
    # coarse key: 0 for the best score (1.0), 65535 for 0; non-decreasing as the score falls
    # (each step below is monotone, rounding included: that is all the selection needs)
    scaled = np.multiply(score, -65535.0)
    scaled += 65535.0
    np.clip(scaled, 0.0, 65535.0, out=scaled)
    coarse = scaled.astype(np.uint16)
    order = np.argsort(coarse, kind="stable")
    order = order[np.argsort(q.astype(np.uint16)[order], kind="stable")]
    q_sorted = q[order]
    coarse_sorted = coarse[order].astype(np.int32)
    rank = group_rank(q_sorted)
    # each group's n-th coarse key (groups with fewer entries keep everything)
    nth = rank == n - 1
    cutoff = np.full(int(q.max()) + 1, 65536, dtype=np.int32)
    cutoff[q_sorted[nth]] = coarse_sorted[nth]
    keep = np.zeros(len(q), dtype=bool)
    keep[order[coarse_sorted <= cutoff[q_sorted]]] = True
    contenders = np.flatnonzero(keep)  # in position order
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
