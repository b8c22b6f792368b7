"""Pause Python's cyclic garbage collector around bulk work that builds many objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after, if it was on).

    Loading an index or matching a batch allocates millions of acyclic objects (freed by
    reference counting); each allocation burst would otherwise trigger full collections
    that walk every container already built, again and again.

    What the block built and kept (an index, a batch's results) is long-lived: it is moved
    to the oldest generation when the block ends. Otherwise the first allocation after it
    runs a young collection that walks every one of those objects (a quarter of a second
    after 100,000 matched values) only to find them alive. Objects frozen by the caller
    (``gc.freeze()``, say before forking) stay frozen: then nothing is moved.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _promote_young()
            gc.enable()


def _promote_young() -> None:
    """Every tracked object to the oldest generation, without walking them (O(1))."""
    if gc.get_freeze_count() == 0:  # ``unfreeze`` would release the caller's frozen objects
        gc.freeze()  # young and old generations into the permanent one ...
        gc.unfreeze()  # ... and all of it back into the oldest
