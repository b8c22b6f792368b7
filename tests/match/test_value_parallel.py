"""Large value batches ranked in forked worker processes give exactly the serial results.

The real HPO extract is matched twice, serially and through the process pool (thresholds
lowered so that a few hundred values use it), and every result must be equal: the same
candidates in the same order, with the same scores, confidences, predicates and evidence.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import require

from harmonize.match.values import fuzzy as value_fuzzy
from harmonize.match.values import parallel as value_parallel
from harmonize.match.values.candidate import MatchResult
from harmonize.match.values.group_ranks import group_top
from harmonize.match.values.matcher import ValueMatcher
from harmonize.ontology.cache import load_index
from harmonize.ontology.index import OntologyIndex

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "grounding" / "hp-mini.obo"


@pytest.fixture
def fork_only() -> None:
    """The pooled path needs ``fork``: skipped on a platform without it, failed in CI."""
    require("fork" in multiprocessing.get_all_start_methods(), "no fork on this platform")


def _pool_for_small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers from 50 values on, every batch on the large-index fuzzy path (as pooled
    chunks take it: else the pool falls back to serial)."""
    monkeypatch.setattr(value_fuzzy, "_SMALL_PAIRS", 0)
    monkeypatch.setattr(value_parallel, "MIN_VALUES", 50)
    monkeypatch.setenv("HARMONIZE_WORKERS", "2")


@contextmanager
def _no_hang(what: str, seconds: int = 60) -> Iterator[None]:
    """Fail (TimeoutError) if the block runs longer than ``seconds``: ``what`` hung."""

    def hung(*_: object) -> None:
        raise TimeoutError(what)

    previous = signal.signal(signal.SIGALRM, hung)  # (fork implies a Unix signal API)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def hp() -> OntologyIndex:
    return load_index(FIXTURE)


def _values(matcher: ValueMatcher, n: int = 400) -> list[str]:
    """Names of the index perturbed as partners write them (and a few unrelated words)."""
    rng = random.Random(3)
    names = list(matcher.table.text)
    out: list[str] = []
    while len(out) < n:
        text = rng.choice(names)
        kind = rng.random()
        if kind < 0.2:
            out.append(text.upper())
        elif kind < 0.4:
            words = text.split()
            rng.shuffle(words)
            out.append(", ".join(words))
        elif kind < 0.6 and len(text) > 5:
            i = rng.randrange(1, len(text) - 1)
            out.append(text[:i] + rng.choice("aeiourstn") + text[i + 1 :])
        elif kind < 0.7:
            out.append(f"{text} / {rng.choice(names)}")
        elif kind < 0.8:
            out.append(f"{text} (left) nos")
        elif kind < 0.9:
            out.append(f"{text} {rng.choice(['chronic', 'biopsy', 'sample'])}")
        else:
            out.append(rng.choice(["liver", "zzz", "", "x", "unspecified", "cough cough"]))
    return out


def _serial(
    matcher: ValueMatcher, values: list[str], top_k: int, monkeypatch: pytest.MonkeyPatch
) -> list[MatchResult]:
    with monkeypatch.context() as m:
        m.setenv("HARMONIZE_WORKERS", "1")
        return matcher.match_many(values, top_k)


@pytest.mark.usefixtures("fork_only")
@pytest.mark.parametrize("roots", [(), ("HP:0000119",), ("HP:0001626", "HP:0002086")])
def test_parallel_results_equal_serial(
    hp: OntologyIndex, roots: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher = ValueMatcher(hp, roots=roots)
    values = _values(matcher)
    values += values[:50]  # duplicates: matched once, returned at every position
    # the whole batch takes the large-index fuzzy path in both runs (else pool -> serial)
    monkeypatch.setattr(value_fuzzy, "_SMALL_PAIRS", 0)
    monkeypatch.setattr(value_parallel, "MIN_VALUES", 50)
    monkeypatch.setattr(value_parallel, "SMALLEST_SHARE", 3)
    monkeypatch.setenv("HARMONIZE_WORKERS", "2")
    for top_k in (1, 5):
        serial = _serial(matcher, values, top_k, monkeypatch)
        distinct = list(dict.fromkeys(values))
        pooled = value_parallel.match_in_parallel(matcher, distinct, top_k)
        assert pooled is not None, "the pool was not used"
        assert [pooled[v] for v in values] == serial
        assert matcher.match_many(values, top_k) == serial
    assert any(r.candidates for r in serial)
    assert any(c.evidence.method == "fuzzy" for r in serial for c in r.candidates)
    if roots:
        assert any(r.outside_branch is not None for r in serial)


@pytest.fixture
def pool_case(
    hp: OntologyIndex, monkeypatch: pytest.MonkeyPatch
) -> tuple[ValueMatcher, list[str], list[MatchResult]]:
    """A matcher, 200 distinct values set up for the pool, and their serial results."""
    matcher = ValueMatcher(hp)
    values = list(dict.fromkeys(_values(matcher, 200)))
    _pool_for_small_batches(monkeypatch)
    return matcher, values, _serial(matcher, values, 5, monkeypatch)


@pytest.mark.usefixtures("fork_only")
def test_rebuilt_when_chunk_calibration_differs(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk calibrated alone that disagrees with the one full pass is rebuilt from it."""
    matcher, values, serial = pool_case
    real = value_parallel._calibrate
    monkeypatch.setattr(value_parallel, "_calibrate", lambda m, c: real(m, c) * 0.5)
    pooled = value_parallel.match_in_parallel(matcher, values, 5)
    assert pooled is not None
    assert [pooled[v] for v in values] == serial


def _die(batch: object, i: int) -> object:
    """A worker killed by the system (say, out of memory) while ranking its chunk."""
    os._exit(1)


@pytest.mark.usefixtures("fork_only")
def test_dead_worker_chunks_are_ranked_here(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies (its claimed chunk never sent): this process ranks that chunk
    and every other one; the results are the serial ones, and nothing hangs."""
    matcher, values, serial = pool_case
    monkeypatch.setattr(value_parallel, "_rank_part", _die)
    pooled = value_parallel.match_in_parallel(matcher, values, 5)
    assert pooled is not None
    assert [pooled[v] for v in values] == serial
    assert matcher.match_many(values) == serial


def _die_mid_message(conn: object, message: object) -> None:
    """A worker killed while it writes a chunk: the pipe holds a message cut short."""
    import struct

    os.write(conn.fileno(), struct.pack("!i", 1_000_000) + b"\x80" * 1_000)  # type: ignore[attr-defined]
    os._exit(1)


@pytest.mark.usefixtures("fork_only")
def test_worker_dead_mid_message_is_not_waited_for(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies half-way through sending a chunk (its message cut short in the
    pipe): this process reads the end of file instead of waiting for the rest forever,
    drops the partial message and ranks that chunk itself."""
    from multiprocessing.connection import Connection

    matcher, values, serial = pool_case
    monkeypatch.setattr(Connection, "send", _die_mid_message)  # (only workers send)
    monkeypatch.setattr(Connection, "send_bytes", _die_mid_message)

    with _no_hang("match_in_parallel waited for the rest of a cut message"):
        pooled = value_parallel.match_in_parallel(matcher, values, 5)
    assert pooled is not None
    assert [pooled[v] for v in values] == serial
    assert multiprocessing.active_children() == []


def _die_holding_the_counter(batch: object, claims: object, conn: object) -> None:
    """A worker killed between taking the chunk counter's lock and giving it back."""
    claims._next.get_lock().acquire()  # type: ignore[attr-defined]
    os._exit(1)


@pytest.mark.usefixtures("fork_only")
def test_worker_dead_holding_the_counter_is_not_waited_for(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared counter's lock left held by a dead worker: this process stops claiming
    after CLAIM_WAIT and ranks every chunk left itself; nothing hangs."""
    matcher, values, serial = pool_case
    monkeypatch.setattr(value_parallel, "_work", _die_holding_the_counter)
    monkeypatch.setattr(value_parallel, "CLAIM_WAIT", 0.2)
    here = os.getpid()
    real = matcher.rank_chunk

    def rank_chunk(*args: object, **kwargs: object) -> object:
        if os.getpid() == here:
            time.sleep(0.05)  # (the worker takes the lock before this process's next claim)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher, "rank_chunk", rank_chunk)

    with _no_hang("match_in_parallel waited for a lock a dead worker held"):
        pooled = value_parallel.match_in_parallel(matcher, values, 5)
    assert pooled is not None
    assert [pooled[v] for v in values] == serial
    assert multiprocessing.active_children() == []


def _fail(batch: object, i: int) -> object:
    raise MemoryError("a worker could not rank its chunk")


@pytest.mark.usefixtures("fork_only")
def test_failing_worker_chunks_are_ranked_here(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """A worker whose ranking raises sends nothing more and prints nothing: its chunks
    are ranked here (where an error would reach the caller)."""
    matcher, values, serial = pool_case
    monkeypatch.setattr(value_parallel, "_rank_part", _fail)
    pooled = value_parallel.match_in_parallel(matcher, values, 5)
    assert pooled is not None
    assert [pooled[v] for v in values] == serial
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.usefixtures("fork_only")
def test_workers_rank_some_chunks(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunks are shared: a forked worker ranks some (this process, the others)."""
    matcher, values, serial = pool_case
    here = os.getpid()
    real = matcher.rank_chunk
    ranked_by: list[int] = []

    def rank_chunk(*args: object, **kwargs: object) -> object:
        if os.getpid() == here:
            ranked_by.append(here)
            time.sleep(0.02)  # (the worker has time to start and claim its share)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher, "rank_chunk", rank_chunk)
    monkeypatch.setattr(value_parallel, "SMALLEST_SHARE", 20)
    pooled = value_parallel.match_in_parallel(matcher, values, 5)
    assert pooled is not None
    assert [pooled[v] for v in values] == serial
    # (calls in the worker are not seen here: fewer chunks ranked here than there are)
    n_chunks = len(value_parallel.chunk_bounds(len(values), 2))
    assert 0 < ranked_by.count(here) < n_chunks


@pytest.mark.usefixtures("fork_only")
def test_tiny_index_batch_falls_back_to_serial(
    hp: OntologyIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch small enough for the all-names comparison keeps that path (serial)."""
    matcher = ValueMatcher(hp)
    values = list(dict.fromkeys(_values(matcher, 200)))
    monkeypatch.setattr(value_parallel, "MIN_VALUES", 50)
    monkeypatch.setenv("HARMONIZE_WORKERS", "2")
    assert value_fuzzy.is_small(len(matcher.table), len(values))
    assert value_parallel.match_in_parallel(matcher, values, 5) is None
    assert matcher.match_many(values) == _serial(matcher, values, 5, monkeypatch)


def test_small_calls_stay_serial(hp: OntologyIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below MIN_VALUES (and with one worker, or a feature log) no process is started."""

    def no_pool(*_: object, **__: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    monkeypatch.setenv("HARMONIZE_WORKERS", "2")
    matcher = ValueMatcher(hp)
    values = list(dict.fromkeys(_values(matcher, 300)))
    assert len(values) < value_parallel.MIN_VALUES
    assert value_parallel.match_in_parallel(matcher, values, 5) is None
    assert len(matcher.match_many(values)) == len(values)
    monkeypatch.setattr(value_parallel, "MIN_VALUES", 10)
    monkeypatch.setenv("HARMONIZE_WORKERS", "1")
    assert value_parallel.match_in_parallel(matcher, values, 5) is None
    monkeypatch.setenv("HARMONIZE_WORKERS", "2")
    matcher.feature_log = {}
    assert value_parallel.match_in_parallel(matcher, values, 5) is None
    matcher.match_many(values[:20])
    assert matcher.feature_log  # recorded in this process


def test_no_pool_beside_other_threads(hp: OntologyIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking while another thread runs could copy a held lock: such a batch stays serial."""
    matcher = ValueMatcher(hp)
    values = list(dict.fromkeys(_values(matcher, 200)))
    _pool_for_small_batches(monkeypatch)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not value_parallel.can_fork()
        assert value_parallel.match_in_parallel(matcher, values, 5) is None
    finally:
        stop.set()
        other.join()


def test_worker_count_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARMONIZE_WORKERS", "3")
    assert value_parallel.worker_count() == 3
    monkeypatch.setenv("HARMONIZE_WORKERS", "zero")
    assert 1 <= value_parallel.worker_count() <= value_parallel.MAX_AUTO_WORKERS
    monkeypatch.delenv("HARMONIZE_WORKERS")
    assert 1 <= value_parallel.worker_count() <= value_parallel.MAX_AUTO_WORKERS


def test_garbage_collection_restored(hp: OntologyIndex) -> None:
    matcher = ValueMatcher(hp)
    assert gc.isenabled()
    matcher.match_many(["asthma", "coughs"])
    assert gc.isenabled()
    gc.disable()
    try:
        matcher.match_many(["asthma"])
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("n_values", [1, 2, 7, 200, 20_000, 100_003])
@pytest.mark.parametrize("processes", [2, 3, 4])
def test_chunks_cover_the_batch_and_shrink(n_values: int, processes: int) -> None:
    """Contiguous chunks covering every value once, never growing, the last ones small."""
    bounds = value_parallel.chunk_bounds(n_values, processes)
    assert bounds[0][0] == 0 and bounds[-1][1] == n_values
    assert all(a[1] == b[0] for a, b in pairwise(bounds))
    sizes = [end - start for start, end in bounds]
    assert all(size >= 1 for size in sizes)
    assert all(a >= b for a, b in pairwise(sizes))
    assert sizes[-1] <= -(-n_values // (value_parallel.SMALLEST_SHARE * processes))
    if n_values >= 20_000:
        assert sizes[0] > 4 * sizes[-1]  # guided: large first, small last
        assert len(bounds) < 4 * value_parallel.SMALLEST_SHARE * processes


@pytest.mark.usefixtures("fork_only")
def test_no_shared_memory_ranks_every_chunk_here(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system refuses the shared counter or the queue (no /dev/shm, no descriptors):
    no worker starts, this process ranks every chunk, and the results are the serial ones."""
    matcher, values, serial = pool_case

    def refuse(*_: object, **__: object) -> object:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(value_parallel._Claims, "__init__", refuse)
    started: list[object] = []
    monkeypatch.setattr(value_parallel, "_start_workers", lambda *a: started.append(a) or [])
    pooled = value_parallel.match_in_parallel(matcher, values, 5)
    assert pooled is not None and not started
    assert [pooled[v] for v in values] == serial


@pytest.mark.usefixtures("fork_only")
def test_error_here_stops_the_workers(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error while this process ranks its chunk reaches the caller; no worker is left
    running (or waiting to hand over a chunk nobody reads)."""
    matcher, values, _ = pool_case
    here = os.getpid()
    real = matcher.rank_chunk

    def rank_chunk(*args: object, **kwargs: object) -> object:
        if os.getpid() == here:
            raise RuntimeError("ranking failed here")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher, "rank_chunk", rank_chunk)
    with (
        _no_hang("match_in_parallel hung after the error"),
        pytest.raises(RuntimeError, match="ranking failed here"),
    ):
        value_parallel.match_in_parallel(matcher, values, 5)
    assert multiprocessing.active_children() == []


def _reference_group_top(q: np.ndarray, score: np.ndarray, n: int) -> np.ndarray:
    """The plain definition: by query, best score first, ties by position; n per query."""
    order = np.lexsort((-score, q))
    q_sorted = q[order]
    rank = np.arange(len(order)) - np.searchsorted(q_sorted, q_sorted, side="left")
    return order[rank < n]


@pytest.mark.parametrize("seed", range(6))
def test_group_top_matches_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 5000))
    groups = int(rng.integers(1, 300))
    q = rng.integers(0, groups, size)
    if seed % 2:
        q = np.sort(q)  # as the fuzzy tier passes them
    if seed == 5:
        q = q + 70_000  # more query numbers than the histogram takes: one exact sort
    # many exact ties and near ties (in the same score bin)
    score = np.round(rng.random(size), int(rng.integers(1, 6)))
    score[rng.random(size) < 0.1] = 1.0
    score[rng.random(size) < 0.1] = 0.0
    score = score + (rng.random(size) < 0.05) * 1e-12
    score = np.minimum(score, 1.0)
    for n in (1, 2, 30):
        got = group_top(q.astype(np.int64), score, n)
        assert got.tolist() == _reference_group_top(q, score, n).tolist()
