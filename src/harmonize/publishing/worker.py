"""A query worker: its own process, the store opened read-only, one query at a time.

The endpoint never evaluates SPARQL in the server process. Each query goes to a worker
(:class:`harmonize.publishing.pool.QueryPool` keeps a few ready), which parses, checks and
evaluates it with :func:`harmonize.publishing.query.run_query` and sends back the capped
answer: inline when small, else in a file of the server's temporary folder that the server
streams to the client and deletes (so a slow reader never holds a worker).

Limits that only a process boundary enforces: the server kills a worker that runs past
the time limit; a worker's address space is capped at what it used when ready plus
:attr:`Limits.max_memory_mb` (an allocation past it aborts the worker, never the server);
the recursion budget of the parser is raised to :data:`parsing.RECURSION_LIMIT`. A worker
that grew leaves after answering, and a fresh one takes its place.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from harmonize.publishing.limits import Limits

__all__ = ["INLINE_BYTES", "Job", "Reply", "worker_main"]

#: Answers up to this size travel over the pipe; larger ones through a file.
INLINE_BYTES = 1 << 20
#: A worker whose resident memory grew by more than this (MiB) leaves after its answer.
_RECYCLE_GROWTH_MB = 256


@dataclass(frozen=True)
class Job:
    """One query for a worker (what the server read from the request)."""

    text: str
    authorized: bool
    select_format: str | None = "json"
    graph_format: str | None = "turtle"
    default_graph_uri: tuple[str, ...] = ()
    named_graph_uri: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reply:
    """A worker's answer: an outcome (body inline or in ``body_file``) or an error."""

    status: int
    message: str | None = None
    media_type: str = "text/plain"
    form: str = ""
    rows: int = 0
    truncated: bool = False
    elapsed_s: float = 0.0
    note: str | None = None
    body: bytes = b""
    body_file: str | None = None
    last: bool = False  # the worker leaves after this reply


def _statm_mb(index: int) -> int:
    """Field ``index`` of /proc/self/statm (0: address space, 1: resident) in MiB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:  # noqa: PTH123
            pages = int(handle.read().split()[index])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") >> 20


def _cap_memory(budget_mb: int) -> None:
    """Cap this process's address space at what it uses now plus ``budget_mb``."""
    try:
        import resource
    except ImportError:  # not a POSIX system: no cap
        return
    now = _statm_mb(0)
    if now <= 0 or budget_mb <= 0:
        return
    limit = (now + budget_mb) << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _answer(store: Any, visible: dict[bool, list[Any]], job: Job, limits: Limits) -> Reply:
    from harmonize.errors import PublishError
    from harmonize.publishing.limits import QueryError, QueryMemoryError
    from harmonize.publishing.query import run_query

    try:
        outcome = run_query(
            store,
            job.text,
            authorized=job.authorized,
            select_format=job.select_format,
            graph_format=job.graph_format,
            default_graph_uri=job.default_graph_uri,
            named_graph_uri=job.named_graph_uri,
            limits=limits,
            visible=visible[job.authorized],
        )
    except QueryError as exc:
        return Reply(exc.status, exc.message)
    except PublishError as exc:
        return Reply(500, exc.message)
    except MemoryError:
        message = QueryMemoryError(_memory_message(limits)).message
        return Reply(503, message)
    return Reply(
        200,
        media_type=outcome.media_type,
        form=outcome.form,
        rows=outcome.rows,
        truncated=outcome.truncated,
        elapsed_s=outcome.elapsed_s,
        note=outcome.note,
        body=outcome.body,
    )


def _memory_message(limits: Limits) -> str:
    return (
        f"query needed more memory than the endpoint's limit of {limits.max_memory_mb} MiB "
        "per query; narrow it (fewer rows to sort or group, LIMIT)"
    )


def _spill(reply: Reply, folder: str) -> Reply:
    """Move a large body into a file of ``folder`` (the server streams and deletes it)."""
    if len(reply.body) <= INLINE_BYTES:
        return reply
    handle, name = tempfile.mkstemp(prefix="answer-", dir=folder)
    with os.fdopen(handle, "wb") as out:
        out.write(reply.body)
    return replace(reply, body=b"", body_file=name)


def worker_main(conn: Connection, store_path: str, limits: Limits, folder: str) -> None:
    """Serve jobs from ``conn`` until it closes or sends ``None``."""
    import pyoxigraph as ox

    from harmonize.publishing.parsing import RECURSION_LIMIT
    from harmonize.publishing.store import PublishedStore

    sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        store = PublishedStore(ox.Store.read_only(store_path), Path(store_path))
        visible = {flag: store.dataset(authorized=flag) for flag in (True, False)}
    except OSError as exc:
        conn.send(("failed", f"cannot open the store read-only: {exc}"))
        return
    _cap_memory(limits.max_memory_mb)
    resident = _statm_mb(1)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        reply = _answer(store, visible, job, limits)
        leaving = reply.status == 503 or _statm_mb(1) - resident > _RECYCLE_GROWTH_MB
        try:
            conn.send(replace(_spill(reply, folder), last=leaving))
        except (OSError, MemoryError):
            return
        if leaving:
            return  # a fresh worker takes this one's place
