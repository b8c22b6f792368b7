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
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
