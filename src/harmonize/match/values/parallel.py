"""Use every core for large value batches: a fork-based process pool over chunks of values.

The matcher (its name table: hundreds of MB) is inherited by the forked workers
copy-on-write, never pickled. Each worker ranks a contiguous chunk of the distinct values
(lexical tiers, fuzzy tier with rapidfuzz on one thread, ranking, predicates, calibration
features) and sends back a compact columnar :class:`~harmonize.match.values.matcher.RankedChunk`.
The parent builds the results while the workers go on, and checks every confidence against
one calibration pass over all candidates in the serial order: the results are identical to
a serial run (each value's candidates depend on that value only; the fuzzy tier's
tiny-index path is decided for the whole batch).

Small batches (under :data:`MIN_VALUES`), one-core machines, platforms without ``fork``,
a daemonic process or one running other threads (see :func:`can_fork`), a matcher
recording calibration features, and ``HARMONIZE_WORKERS=1`` stay serial; a batch whose
worker could not be forked or died (killed out of memory, say) is matched serially.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from harmonize.match.values.candidate import MatchResult
    from harmonize.match.values.hits import RankedChunk
    from harmonize.match.values.matcher import ValueMatcher

__all__ = [
    "CHUNKS_PER_WORKER",
    "MAX_AUTO_WORKERS",
    "MIN_VALUES",
    "can_fork",
    "match_in_parallel",
    "worker_count",
]

#: distinct values below which a batch is matched in this process (a pool costs ~0.1 s)
MIN_VALUES = 20_000
#: worker processes used without ``HARMONIZE_WORKERS`` (memory: see :func:`worker_count`)
MAX_AUTO_WORKERS = 4
#: chunks per worker process: smaller chunks even out slow and fast parts of a batch
CHUNKS_PER_WORKER = 8

# what the forked workers rank: (matcher, distinct values, top_k), set only around the pool
_ACTIVE: tuple[ValueMatcher, Sequence[str], int] | None = None


def worker_count() -> int:
    """Processes to use: ``HARMONIZE_WORKERS`` if set (>= 1), else the usable cores, at most
    :data:`MAX_AUTO_WORKERS` (each worker privately copies ~0.5 GB of a large matcher's
    pages as it reads them)."""
    env = os.environ.get("HARMONIZE_WORKERS", "").strip()
    if env.isdigit() and int(env) >= 1:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_WORKERS))


def can_fork() -> bool:
    """Whether worker processes may be forked from here.

    Not without ``fork`` (Windows; macOS defaults to spawn but has fork), not from a
    daemonic process (a pool worker may not have children), and not while other Python
    threads run (a lock one of them holds would stay locked in the child).
    """
    import multiprocessing
    import threading

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
        and threading.active_count() == 1
    )


def match_in_parallel(
    matcher: ValueMatcher, values: Sequence[str], top_k: int
) -> dict[str, MatchResult] | None:
    """Match distinct ``values`` in forked worker processes; None: match them serially.

    Chunks come back in order; while the workers rank the next ones, this process builds
    each chunk's results with the chunk calibrated alone. A last calibration pass over all
    candidates at once (exactly the serial one) checks them: a chunk whose confidences
    differ in any bit (a BLAS kernel may sum a row differently by its position) is rebuilt.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import numpy as np

    from harmonize.match.values.fuzzy import is_small

    global _ACTIVE
    workers = worker_count()
    if (
        workers < 2
        or len(values) < max(MIN_VALUES, 2)
        or matcher.feature_log is not None
        or not can_fork()
    ):
        return None
    n_chunks = min(len(values), workers * CHUNKS_PER_WORKER)
    bounds = [
        (len(values) * i // n_chunks, len(values) * (i + 1) // n_chunks) for i in range(n_chunks)
    ]
    import rapidfuzz.process  # noqa: F401  (imported once here, not in every worker)

    from harmonize.match.values.celllines import warm_cell_lines

    warm_cell_lines(values)  # loaded once here, inherited by every worker
    matcher.warm()  # lookups built on first use: built here, not read row by row in each
    # worker (reading every row's objects in a forked worker copies their memory pages)

    out: dict[str, MatchResult] = {}
    chunks: list[RankedChunk] = []
    early: list[npt.NDArray[np.float64]] = []
    _ACTIVE = (matcher, values, top_k)
    try:
        # (an executor, not multiprocessing.Pool: a worker killed by the system, e.g. out of
        # memory, breaks the executor instead of leaving the parent waiting forever)
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for (start, end), chunk in zip(bounds, pool.map(_rank_part, bounds), strict=True):
                confidences = _calibrate(matcher, chunk)
                matcher.build_results(values[start:end], chunk, confidences.tolist(), out)
                chunks.append(chunk)
                early.append(confidences)
    except (OSError, BrokenProcessPool):  # no memory or process slots, a worker died: serial
        return None
    finally:
        _ACTIVE = None
    need = sum(c.need for c in chunks)
    if need and is_small(len(matcher.table), need):
        return None  # the whole batch compares every name (tiny index): serial, same path
    blocks = [c.features for c in chunks if c.features is not None]
    if not blocks:
        return out
    final = matcher.calibrator.batch(np.concatenate(blocks))
    offset = 0
    for (start, end), chunk, confidences in zip(bounds, chunks, early, strict=True):
        mine = final[offset : offset + len(confidences)]
        offset += len(confidences)
        if mine.tobytes() != confidences.tobytes():  # bit for bit
            matcher.build_results(values[start:end], chunk, mine.tolist(), out)
    return out


def _calibrate(matcher: ValueMatcher, chunk: RankedChunk) -> npt.NDArray[np.float64]:
    import numpy as np

    if chunk.features is None:
        return np.zeros(0)
    return matcher.calibrator.batch(chunk.features)


def _rank_part(bounds: tuple[int, int]) -> RankedChunk:
    """In a worker: rank one chunk of the inherited batch (rapidfuzz on one thread)."""
    if _ACTIVE is None:  # pragma: no cover - only reached in a forked worker
        raise RuntimeError("no value batch to rank in this process")
    matcher, values, top_k = _ACTIVE
    start, end = bounds
    return matcher.rank_chunk(values[start:end], top_k, workers=1, small=False)
