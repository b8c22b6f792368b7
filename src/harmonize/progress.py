"""Progress bars for long work that switch off when stderr is not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["progress", "progress_enabled"]

T = TypeVar("T")


def progress_enabled() -> bool:
    """Bars only on an interactive terminal (never in pipes, logs or CI)."""
    return sys.stderr.isatty()


def progress(iterable: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar on a terminal; a plain pass-through otherwise."""
    if not progress_enabled():
        yield from iterable
        return
    from tqdm import tqdm  # lazy: only when a bar is drawn

    # no monitor thread: a running thread keeps the value matcher from forking workers
    tqdm.monitor_interval = 0
    yield from tqdm(iterable, desc=desc, total=total, unit="", leave=False, file=sys.stderr)
