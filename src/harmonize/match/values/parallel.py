"""Use every core for large value batches: this process and forked workers share the chunks.

The matcher (its name table: hundreds of MB) is inherited by the forked workers
copy-on-write, never pickled. The batch of distinct values is cut into contiguous chunks;
this process and ``workers - 1`` forked ones each take the next unclaimed chunk (a shared
counter) until none is left, so all finish together. A chunk is ranked (lexical tiers, fuzzy
tier with rapidfuzz on one thread, ranking, predicates, calibration features) into a
compact columnar :class:`~harmonize.match.values.hits.RankedChunk`; a worker sends it
back through a pipe of its own, and this process builds the results of every chunk
between its own.
This process ranks at full speed (a forked worker first copies each memory page it
writes, even a reference count), and one fewer process shares the cores.

Results are identical to a serial run: each value's candidates depend on that value only
(the fuzzy tier's tiny-index path is decided for the whole batch), and one calibration
pass over all candidates in the serial order checks every confidence.

Small batches (under :data:`MIN_VALUES`), one-core machines, platforms without ``fork``,
a daemonic process or one running other threads (see :func:`can_fork`), a matcher
recording calibration features, and ``HARMONIZE_WORKERS=1`` stay serial. A chunk whose
worker could not be forked or died (killed out of memory, say) is ranked here, also when
the worker died half-way through sending it (each worker has a pipe of its own, whose end of
file this process sees) or while it held the chunk counter (claims then stop after
:data:`CLAIM_WAIT` seconds).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import queue
    from multiprocessing.connection import Connection

    import numpy as np
    import numpy.typing as npt

    from harmonize.match.values.candidate import MatchResult
    from harmonize.match.values.hits import RankedChunk
    from harmonize.match.values.matcher import ValueMatcher

__all__ = [
    "CLAIM_WAIT",
    "GUIDED_SHARE",
    "MAX_AUTO_WORKERS",
    "MIN_VALUES",
    "SMALLEST_SHARE",
    "can_fork",
    "match_in_parallel",
    "worker_count",
]

#: distinct values below which a batch is matched in this process alone (forking costs ~0.1 s)
MIN_VALUES = 20_000
#: processes (this one and forked workers) used without ``HARMONIZE_WORKERS`` (memory: see
#: :func:`worker_count`)
MAX_AUTO_WORKERS = 4
#: chunk sizes, guided: each chunk is 1/(GUIDED_SHARE * processes) of the values left ...
GUIDED_SHARE = 4
#: ... and at least 1/(SMALLEST_SHARE * processes) of the batch: the last chunks are small,
#: so every process ends at nearly the same time
SMALLEST_SHARE = 32
#: seconds a process waits for the chunk counter (held for microseconds by a live process);
#: longer, and it stops claiming: a wrong guess costs speed, never results
CLAIM_WAIT = 5.0


def worker_count() -> int:
    """Processes to use, this one included: ``HARMONIZE_WORKERS`` if set (>= 1), else the
    usable cores, at most :data:`MAX_AUTO_WORKERS` (each forked worker privately copies
    a share of a large matcher's memory pages as it reads them)."""
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
    """Match distinct ``values`` here and in forked worker processes; None: match them
    serially.

    Each chunk's results are built with the chunk calibrated alone, as it arrives. A last
    calibration pass over all candidates at once (exactly the serial one) checks them: a
    chunk whose confidences differ in any bit (a BLAS kernel may sum a row differently by
    its position) is rebuilt.
    """
    workers = worker_count()
    if (
        workers < 2
        or len(values) < max(MIN_VALUES, 2)
        or matcher.feature_log is not None
        or not can_fork()
    ):
        return None
    import rapidfuzz.process  # noqa: F401  (imported once here, not in every worker)

    from harmonize.match.values.celllines import warm_cell_lines

    warm_cell_lines(values)  # loaded once here, inherited by every worker
    matcher.warm()  # lookups built on first use: built here, not read row by row in each
    # worker (reading every row's objects in a forked worker copies their memory pages)
    batch = _Batch(matcher, values, top_k, chunk_bounds(len(values), workers))
    _share(batch, workers - 1)
    for i in range(len(batch.bounds)):  # a worker died (or never started) with these claimed
        if i not in batch.chunks:
            batch.finish(i, batch.rank(i))
    return batch.checked()


class _Batch:
    """The chunks of one batch, and the results built from them so far."""

    def __init__(
        self,
        matcher: ValueMatcher,
        values: Sequence[str],
        top_k: int,
        bounds: list[tuple[int, int]],
    ) -> None:
        self.matcher = matcher
        self.values = values
        self.top_k = top_k
        self.bounds = bounds
        self.out: dict[str, MatchResult] = {}
        self.chunks: dict[int, RankedChunk] = {}
        self.early: dict[int, npt.NDArray[np.float64]] = {}  # each chunk calibrated alone

    def rank(self, i: int) -> RankedChunk:
        """Rank chunk ``i`` in this process (rapidfuzz on one thread)."""
        start, end = self.bounds[i]
        return self.matcher.rank_chunk(self.values[start:end], self.top_k, workers=1, small=False)

    def finish(self, i: int, chunk: RankedChunk) -> None:
        """The results of ranked chunk ``i``, calibrated alone, into :attr:`out`."""
        start, end = self.bounds[i]
        confidences = _calibrate(self.matcher, chunk)
        self.matcher.build_results(self.values[start:end], chunk, confidences.tolist(), self.out)
        self.chunks[i] = chunk
        self.early[i] = confidences

    def checked(self) -> dict[str, MatchResult] | None:
        """The results, every confidence as one serial calibration pass gives it; None: the
        batch takes the tiny-index fuzzy path as a whole (a serial run, then)."""
        import numpy as np

        from harmonize.match.values.fuzzy import is_small

        ordered = [self.chunks[i] for i in range(len(self.bounds))]
        need = sum(c.need for c in ordered)
        if need and is_small(len(self.matcher.table), need):
            return None
        blocks = [c.features for c in ordered if c.features is not None]
        if not blocks:
            return self.out
        final = self.matcher.calibrator.batch(np.concatenate(blocks))
        offset = 0
        for i, chunk in enumerate(ordered):
            confidences = self.early[i]
            mine = final[offset : offset + len(confidences)]
            offset += len(confidences)
            if mine.tobytes() != confidences.tobytes():  # bit for bit
                start, end = self.bounds[i]
                self.matcher.build_results(self.values[start:end], chunk, mine.tolist(), self.out)
        return self.out


def _share(batch: _Batch, n_workers: int) -> None:
    """Rank the chunks of ``batch`` here and in ``n_workers`` forked processes, each taking
    the next unclaimed one; build each chunk's results here as it comes."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    try:
        claims = _Claims(context, len(batch.bounds))
    except OSError:  # no shared memory or file descriptors: the caller ranks every chunk
        return
    workers = _start_workers(context, n_workers, batch, claims)
    inbox = _Inbox([conn for _, conn in workers])
    try:
        while (i := claims.next()) is not None:
            batch.finish(i, batch.rank(i))
            for j, chunk in inbox.arrived(wait=False):
                batch.finish(j, chunk)
        for j, chunk in inbox.arrived(wait=True):
            batch.finish(j, chunk)
    except BaseException:  # an error here, or an interrupt: the workers' work is moot
        for proc, _ in workers:
            proc.terminate()
        raise
    finally:
        for proc, _ in workers:
            proc.join()
        inbox.close()


def chunk_bounds(n_values: int, processes: int) -> list[tuple[int, int]]:
    """Contiguous chunks of ``n_values``, large first and smaller as fewer are left
    (guided self-scheduling): few chunks, and no process left alone with a large one."""
    smallest = max(1, -(-n_values // (SMALLEST_SHARE * processes)))
    bounds = []
    start = 0
    while start < n_values:
        size = max(smallest, -(-(n_values - start) // (GUIDED_SHARE * processes)))
        bounds.append((start, min(n_values, start + size)))
        start += size
    return bounds


class _Claims:
    """The next unclaimed chunk, shared by this process and its forked workers."""

    def __init__(self, context: Any, n_chunks: int) -> None:
        self._next = context.Value("i", 0)
        self._n = n_chunks

    def next(self) -> int | None:
        """The next chunk to rank; None: none is left, or the counter's lock stayed held
        for :data:`CLAIM_WAIT` seconds (a process died holding it: the rest of the batch is
        then ranked by this process, after the workers have ended)."""
        lock = self._next.get_lock()
        if not lock.acquire(timeout=CLAIM_WAIT):
            return None
        try:
            i = int(self._next.value)
            if i >= self._n:
                return None
            self._next.value = i + 1
            return i
        finally:
            lock.release()


def _start_workers(
    context: Any, n: int, batch: _Batch, claims: _Claims
) -> list[tuple[Any, Connection]]:
    """Fork up to ``n`` workers ranking claimed chunks of ``batch``, each with a pipe of its
    own to this process (fewer, or none, when the system refuses: this process then ranks
    what they would have). The batch, its matcher included, is inherited by the fork, never
    pickled. This process closes its copy of each pipe's sending end at once, and forks the
    next worker only then: a worker's end of file is seen here when it ends, or dies, even
    in the middle of a message."""
    workers = []
    for _ in range(n):
        try:
            receive, send = context.Pipe(duplex=False)
        except OSError:  # no file descriptors
            break
        proc = context.Process(target=_work, args=(batch, claims, send), daemon=True)
        try:
            proc.start()
        except OSError:  # no memory or process slots
            receive.close()
            break
        finally:
            send.close()
        workers.append((proc, receive))
    return workers


class _Inbox:
    """The chunks the workers send, read between this process's own chunks; a worker's end
    of file says it has ended (or died, perhaps half-way through a message)."""

    def __init__(self, conns: list[Connection]) -> None:
        self._open = list(conns)

    def arrived(self, *, wait: bool) -> list[tuple[int, RankedChunk]]:
        """Chunks sent so far; ``wait``: every chunk, until each worker has ended (a worker
        that died mid-way sends nothing more: its claimed chunk is ranked by the caller)."""
        from multiprocessing.connection import wait as readable

        got: list[tuple[int, RankedChunk]] = []
        while self._open:
            ready = readable(self._open, timeout=None if wait else 0)
            if not ready:
                break
            for conn in cast("list[Connection]", ready):  # (only our connections wait)
                try:
                    got.append(conn.recv())
                except (EOFError, OSError):  # ended; a message cut short is dropped
                    self._open.remove(conn)
                    conn.close()
        return got

    def close(self) -> None:
        """Close the pipes of workers that ended before this process read to their end."""
        for conn in self._open:
            conn.close()
        self._open = []


def _work(batch: _Batch, claims: _Claims, conn: Connection) -> None:
    """In a forked worker: rank claimed chunks until none is left, sending each back (a
    thread writes them, so that this one ranks on while this process is busy).

    A chunk that fails here is left unsent (and this worker stops): the parent ranks it
    itself, so the error, if it is one, is raised where the caller sees it.
    """
    import queue
    import threading

    outbox: queue.SimpleQueue[tuple[int, RankedChunk] | None] = queue.SimpleQueue()
    writer = threading.Thread(target=_write, args=(outbox, conn))
    writer.start()
    try:
        while (i := claims.next()) is not None:
            outbox.put((i, _rank_part(batch, i)))
    except Exception:  # the parent ranks the chunk again (and raises, if it is an error)
        pass
    outbox.put(None)
    writer.join()  # every chunk written to the pipe before this process ends
    conn.close()


def _write(outbox: queue.SimpleQueue[tuple[int, RankedChunk] | None], conn: Connection) -> None:
    """In a worker's thread: send each ranked chunk of ``outbox`` through the pipe (the
    connection serialises it, as a queue between processes would), until None."""
    while (message := outbox.get()) is not None:
        try:
            conn.send(message)
        except OSError:  # this process is gone: nobody reads
            return


def _calibrate(matcher: ValueMatcher, chunk: RankedChunk) -> npt.NDArray[np.float64]:
    import numpy as np

    if chunk.features is None:
        return np.zeros(0)
    return matcher.calibrator.batch(chunk.features)


def _rank_part(batch: _Batch, i: int) -> RankedChunk:
    """In a worker: rank chunk ``i`` of the inherited batch."""
    return batch.rank(i)
