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
import threading
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import require

from harmonize.match.values import fuzzy as value_fuzzy
from harmonize.match.values import parallel as value_parallel
from harmonize.match.values.candidate import MatchResult
from harmonize.match.values.fuzzy import _group_top
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
    monkeypatch.setattr(value_parallel, "CHUNKS_PER_WORKER", 3)
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


def _die(bounds: tuple[int, int]) -> object:
    """A worker killed by the system (say, out of memory) while ranking its chunk."""
    os._exit(1)


@pytest.mark.usefixtures("fork_only")
def test_dead_worker_falls_back_to_serial(
    pool_case: tuple[ValueMatcher, list[str], list[MatchResult]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies breaks the pool: the batch is matched serially, never hangs."""
    matcher, values, serial = pool_case
    monkeypatch.setattr(value_parallel, "_rank_part", _die)
    assert value_parallel.match_in_parallel(matcher, values, 5) is None
    assert matcher.match_many(values) == serial


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
        q = q + 70_000  # beyond 16-bit query numbers
    # many exact ties and near ties (rounded to the same 16-bit bucket)
    score = np.round(rng.random(size), int(rng.integers(1, 6)))
    score[rng.random(size) < 0.1] = 1.0
    score[rng.random(size) < 0.1] = 0.0
    score = score + (rng.random(size) < 0.05) * 1e-12
    score = np.minimum(score, 1.0)
    for n in (1, 2, 30):
        got = _group_top(q.astype(np.int64), score, n)
        assert got.tolist() == _reference_group_top(q, score, n).tolist()
