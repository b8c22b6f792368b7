"""Where the work runs: a Dask scheduler's address, or a LocalCluster of N processes."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from harmonize.errors import HarmonizeError

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["DaskError", "cluster", "gather_as_completed", "parse_target"]

_LOCAL = re.compile(r"^local(?::(\d+))?$")


class DaskError(HarmonizeError):
    """The Dask cluster cannot be reached or is missing."""


def parse_target(spec: str) -> tuple[str, int | None]:
    """``local`` / ``local:N`` -> ("local", N or None); anything else is an address."""
    match = _LOCAL.match(spec.strip())
    if match is not None:
        workers = int(match.group(1)) if match.group(1) else None
        if workers is not None and workers < 1:
            raise DaskError("a local cluster needs at least one worker", value=spec)
        return "local", workers
    if "://" not in spec and ":" not in spec:
        raise DaskError("not a Dask scheduler address (tcp://host:8786) or local[:N]", value=spec)
    return spec.strip(), None


@contextlib.contextmanager
def cluster(spec: str, *, on_ready: Callable[[Client], None] | None = None) -> Iterator[Client]:
    """A Dask client for ``spec``; a LocalCluster is started (and stopped) for ``local``.

    Local workers are processes with one thread each (the work is pure Python).
    ``on_ready`` sees the client first (the CLI prints the dashboard address with it).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - the extra is not installed
        raise DaskError("--dask needs the 'dask' extra: pip install 'harmonize[dask]'") from None
    address, workers = parse_target(spec)
    with contextlib.ExitStack() as stack:
        if address == "local":
            import logging
            import os

            local = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,  # a failed task is raised here, once
            )
            stack.enter_context(local)
            client = stack.enter_context(Client(local))
        else:
            try:
                client = stack.enter_context(Client(address, timeout="20s"))
            except (OSError, TimeoutError) as exc:
                raise DaskError(f"cannot reach the Dask scheduler: {exc}", value=address) from None
        if on_ready is not None:
            on_ready(client)
        yield client


def gather_as_completed(
    futures: Iterable[Future[Any]], desc: str, on_result: Callable[[Any], None] | None = None
) -> list[Any]:
    """Results as tasks finish (a progress bar over them); the first error is raised."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    from harmonize.progress import progress

    pending = list(futures)
    out = []
    for future in progress(as_completed(pending), desc=desc, total=len(pending)):
        try:
            result = future.result()
        except (KilledWorker, FutureCancelledError, CommClosedError) as exc:
            raise DaskError(f"{desc}: the cluster lost the task ({type(exc).__name__}: {exc})") from None  # fmt: skip
        if on_result is not None:
            on_result(result)
        out.append(result)
    return out
