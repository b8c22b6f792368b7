"""Progress bars for long work that switch off when stderr is not a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar

__all__ = ["byte_bar", "progress", "progress_enabled"]

T = TypeVar("T")


def progress_enabled() -> bool:
    """Bars only on an interactive terminal (never in pipes, logs or CI)."""
    return sys.stderr.isatty()


def _tqdm() -> Any:
    from tqdm import tqdm  # lazy: only when a bar is drawn

    # no monitor thread: a running thread keeps the value matcher from forking workers
    tqdm.monitor_interval = 0
    return tqdm


def byte_bar(total: int, desc: str) -> AbstractContextManager[Any]:
    """A bar over ``total`` bytes (its ``update(n)`` advances it) on a terminal; a no-op
    context otherwise."""
    if not progress_enabled():
        return contextlib.nullcontext(_NoBar())
    bar: AbstractContextManager[Any] = _tqdm()(
        total=total, desc=desc, unit="B", unit_scale=True, leave=False, file=sys.stderr
    )
    return bar


class _NoBar:
    def update(self, n: int = 1) -> None:
        """Nothing to draw."""


def progress(iterable: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar on a terminal; a plain pass-through otherwise."""
    if not progress_enabled():
        yield from iterable
        return
    yield from _tqdm()(iterable, desc=desc, total=total, unit="", leave=False, file=sys.stderr)
