"""The garbage-collector pause around bulk work: off inside, restored after, and what the
block kept moved to the oldest generation (no young collection walking it afterwards)."""

from __future__ import annotations

import gc

from harmonize.gc_pause import paused_gc


class _Node:
    def __init__(self, n: int) -> None:
        self.n = n


def test_collector_is_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_what_the_block_kept_is_in_the_oldest_generation() -> None:
    with paused_gc():
        kept = [_Node(i) for i in range(5000)]
        assert gc.get_count()[0] >= 5000  # young: a collection would walk them all
    assert gc.get_count()[0] < 100  # no young collection pending on them
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in kept[::500])
    assert not any(id(node) in {id(o) for o in gc.get_objects(generation=0)} for node in kept)


def test_the_callers_frozen_objects_stay_frozen() -> None:
    gc.collect()
    before_block = _Node(-1)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with paused_gc():
            kept = [_Node(i) for i in range(100)]
        assert gc.get_freeze_count() == frozen  # nothing released, nothing added
        assert gc.isenabled()
        assert kept and before_block.n == -1
    finally:
        gc.unfreeze()
