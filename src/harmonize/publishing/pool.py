"""The pool of query worker processes behind ``harmonize serve``.

Workers are forked from a server process that has the parser and the store library loaded
already (multiprocessing's ``forkserver``), so a new one is ready in tens of milliseconds.
A few wait ready; when all are busy a new one starts, up to ``max_workers`` queries at once
(then a query waits for a free slot, within its time limit). A worker goes back to wait
after its query, so after a burst up to ``max_workers`` stay (about 18 MB of their own
memory each; one that grew by more than 256 MB leaves instead). A query still running after
``slow_after_s`` gets a lower CPU priority, so quick queries and the server itself go first
while the worst ones run (its worker gets the normal priority back afterwards where the
system allows that, else it is replaced); at the time limit its worker is killed — the query stops for
real, its memory is freed — and the client gets 503. A worker that died (its memory cap,
a crash) costs only its own query.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harmonize.errors import PublishError
from harmonize.publishing.limits import (
    Limits,
    QueryBusyError,
    QueryMemoryError,
    QueryTimeoutError,
)
from harmonize.publishing.worker import Job, Reply, worker_main

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = ["PoolConfig", "QueryPool"]

_PRELOAD = ["pyoxigraph", "rdflib.plugins.sparql.parser", "harmonize.publishing.query"]
_SIGABRT = 6  # how a worker ends when an allocation fails past its memory cap
_SIGKILL = 9


@dataclass(frozen=True, slots=True)
class PoolConfig:
    """How many workers: ``ready`` kept waiting, at most ``max_workers`` at once."""

    ready: int = 4
    max_workers: int = 16
    #: A query running longer than this gets a lower CPU priority (niceness 10).
    slow_after_s: float = 1.0


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    niced: bool = False


class QueryPool:
    """Runs :class:`~harmonize.publishing.worker.Job` s in worker processes (asyncio side)."""

    def __init__(self, store_path: str, limits: Limits, config: PoolConfig | None = None) -> None:
        import multiprocessing

        self.store_path = store_path
        self.limits = limits
        self.config = config or PoolConfig()
        method = (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        self._context: Any = multiprocessing.get_context(method)
        if method == "forkserver":
            self._context.set_forkserver_preload(_PRELOAD)
        self.folder = tempfile.mkdtemp(prefix="harmonize-serve-")
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()  # guards _idle, _all, _starting (used from pool threads)
        self._starting = 0  # workers being started to refill the ready ones
        # multiprocessing polls every child when it starts one; two threads polling one
        # forkserver child race for its exit status (the loser reads 255, "unknown"), so
        # a memory kill looked like a crash: starts and exit-status reads take turns
        self._reaping = threading.Lock()
        self._closed = False
        self._slots = asyncio.Semaphore(self.config.max_workers)
        self._threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.config.max_workers + 2, thread_name_prefix="sparql-pool"
        )
        self.crashes = 0  # workers that died of something other than our kill

    # -- life cycle --------------------------------------------------------------
    async def start(self) -> None:
        """Start the ready workers (fails with a clear error if the store cannot open)."""
        loop = asyncio.get_running_loop()
        workers = [
            await loop.run_in_executor(self._threads, self._spawn) for _ in range(self.config.ready)
        ]
        with self._lock:
            self._idle.extend(workers)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._idle.clear()
        for worker in workers:
            await loop.run_in_executor(self._threads, self._stop, worker)
        self._threads.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=worker_main,
            args=(child, self.store_path, self.limits, self.folder),
            name="harmonize-sparql-worker",
            daemon=True,
        )
        with self._reaping:
            process.start()
        child.close()
        if not parent.poll(60):
            process.kill()
            raise PublishError("a query worker did not start within 60 s")
        try:
            state, detail = parent.recv()
        except EOFError:
            raise PublishError("a query worker stopped while starting") from None
        if state != "ready":
            raise PublishError(str(detail), path=self.store_path)
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _take(self) -> _Worker:
        """A ready worker, or a new one. When it was the last ready one, another is
        started in the background, so the next query finds one ready too. (Workers go
        back to the ready ones after their query: starting one for every query cost a
        fork and a shutdown per query, ~4x the latency of a lookup under load.)"""
        with self._lock:
            worker = self._idle.pop() if self._idle else None
            last = not self._idle
        if last:
            self._refill_later()
        return worker if worker is not None else self._spawn()

    def _refill_later(self) -> None:
        with contextlib.suppress(RuntimeError):  # the pool is closing
            self._threads.submit(self._refill)

    def _refill(self) -> None:
        with self._lock:
            wanted = self.config.ready - len(self._idle) - self._starting
            room = self.config.max_workers + self.config.ready - len(self._all) - self._starting
            if self._closed or wanted <= 0 or room <= 0:
                return
            self._starting += 1
        try:
            worker = self._spawn()
        except PublishError:
            return
        finally:
            with self._lock:
                self._starting -= 1
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
        self._stop(worker)

    def _give_back(self, worker: _Worker) -> bool:
        """Keep ``worker`` for the next query (up to ``max_workers`` wait; a pool that
        stopped a worker whenever more than ``ready`` waited started one per query when
        as many clients as ready workers queried at once)."""
        with self._lock:
            if len(self._idle) < max(self.config.ready, self.config.max_workers):
                self._idle.append(worker)
                return True
        return False

    def _stop(self, worker: _Worker, *, kill: bool = False) -> None:
        with self._lock:
            self._all.discard(worker)
            refill = not self._closed and len(self._idle) < self.config.ready
        if refill:  # it will not come back: keep the ready ones ready
            self._refill_later()
        if not kill:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        with self._reaping:
            if not kill:
                worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(5)
        worker.conn.close()

    # -- queries -------------------------------------------------------------------
    async def run(self, job: Job) -> Reply:
        """The worker's reply to ``job``; raise a ``QueryError`` for the time limit (the
        worker is killed), the memory limit, a busy pool, or a worker that crashed."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + self.limits.timeout_s
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=self.limits.timeout_s)
        except TimeoutError:
            raise QueryBusyError(
                f"every query slot stayed busy for {self.limits.timeout_s:g} s; try again later"
            ) from None
        try:
            return await loop.run_in_executor(self._threads, self._exchange, job, deadline)
        finally:
            self._slots.release()

    def _exchange(self, job: Job, deadline: float) -> Reply:
        """Runs in a thread: take a worker, send ``job``, wait for the reply or the deadline."""
        worker = self._take()
        try:
            worker.conn.send(job)
        except (OSError, ValueError):  # it died while idle: one retry on a fresh one
            self._stop(worker, kill=True)
            worker = self._spawn()
            worker.conn.send(job)
        reply = self._wait(worker, deadline)
        if worker.niced and _restore_priority(worker.process.pid):
            worker.niced = False
        if reply.last or worker.niced or not self._give_back(worker):
            with contextlib.suppress(RuntimeError):  # not waited for
                self._threads.submit(self._stop, worker, kill=worker.niced)
        return reply

    def _wait(self, worker: _Worker, deadline: float) -> Reply:
        started = time.monotonic()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._stop(worker, kill=True)
                raise QueryTimeoutError(
                    f"query exceeded the endpoint's time limit of {self.limits.timeout_s:g} s "
                    "and was stopped; narrow it (LIMIT, more specific patterns)"
                )
            if worker.conn.poll(min(left, 0.1)):
                break
            if not worker.niced and time.monotonic() - started > self.config.slow_after_s:
                worker.niced = _lower_priority(worker.process.pid)
        try:
            reply: Reply = worker.conn.recv()
        except (EOFError, OSError):
            self._stop(worker, kill=True)
            raise self._death(worker.process.exitcode) from None
        return reply

    def _death(self, exitcode: int | None) -> PublishError:
        """The error for a worker that ended without answering."""
        if exitcode in (-_SIGABRT, -_SIGKILL):  # allocation failure, or the system's OOM kill
            return QueryMemoryError(
                "query needed more memory than the endpoint's limit of "
                f"{self.limits.max_memory_mb} MiB per query and was stopped; narrow it "
                "(fewer rows to sort or group, LIMIT)"
            )
        self.crashes += 1
        return PublishError(
            f"the query stopped its worker process (exit code {exitcode}); "
            "the endpoint goes on, but this query cannot be answered"
        )


def _set_priority(pid: int | None, niceness: int) -> bool:
    """Set a worker's niceness; raising it back to 0 is allowed to root only (others
    retire the worker instead)."""
    if pid is None:
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except (OSError, AttributeError):
        return False
    return True


def _restore_priority(pid: int | None) -> bool:
    return _set_priority(pid, 0)


def _lower_priority(pid: int | None) -> bool:
    return _set_priority(pid, 10)
