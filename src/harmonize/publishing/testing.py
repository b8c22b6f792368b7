"""Loopback helpers for testing an endpoint and a push the way an attacker or a failure
would: a canary HTTP server that records every request it gets, a forwarding proxy that
dies after a number of requests (a target stopped mid-push), and the CPU time and memory
of a process tree. Used by the test suite and ``bench/attack.py``; they bind to 127.0.0.1
only and stop with their ``with`` block.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["Canary", "DyingProxy", "TreeStats", "process_tree", "tree_stats"]

_HOP_HEADERS = frozenset({"host", "connection", "content-length", "transfer-encoding"})


@dataclass
class Canary:
    """An HTTP server that answers every request with ``body`` and counts them."""

    body: bytes = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
    hits: list[str] = field(default_factory=list)
    url: str = ""

    @contextlib.contextmanager
    def running(self) -> Iterator[Canary]:
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.hits.append(f"{self.command} {self.path}")
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(canary.body)))
                self.end_headers()
                self.wfile.write(canary.body)

            do_GET = do_POST = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        with _serving(Handler) as port:
            self.url = f"http://127.0.0.1:{port}"
            yield self


@dataclass
class DyingProxy:
    """Forwards HTTP requests to ``target`` until ``die_after`` requests that carry a body
    went through; from then on it cuts every connection without an answer, as a stopped
    server would. ``delay_s`` slows each forwarded request (to stop a client midway)."""

    target: str
    die_after: int
    delay_s: float = 0.0
    forwarded: int = 0
    refused: int = 0
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextlib.contextmanager
    def running(self) -> Iterator[DyingProxy]:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy._lock:
                    dead = proxy.forwarded >= proxy.die_after
                    if body and not dead:
                        proxy.forwarded += 1
                    if dead:
                        proxy.refused += 1
                if dead:
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                time.sleep(proxy.delay_s)
                with contextlib.suppress(OSError):  # the client went away meanwhile
                    self._relay(body)

            def _relay(self, body: bytes) -> None:
                request = urllib.request.Request(
                    proxy.target + self.path, data=body or None, method=self.command
                )
                for key, value in self.headers.items():
                    if key.lower() not in _HOP_HEADERS:
                        request.add_header(key, value)
                try:
                    with urllib.request.urlopen(request, timeout=300) as response:
                        status, headers, data = response.status, response.headers, response.read()
                except urllib.error.HTTPError as exc:
                    status, headers, data = exc.code, exc.headers, exc.read()
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in _HOP_HEADERS:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        with _serving(Handler) as port:
            self.url = f"http://127.0.0.1:{port}"
            yield self


@contextlib.contextmanager
def _serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class TreeStats:
    processes: int
    cpu_s: float  # user + system time of every process of the tree
    rss_mb: float  # resident memory of every process of the tree


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux ``/proc``; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():  # noqa: PTH112,PTH208
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as handle:  # noqa: PTH123
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
    return tree


def tree_stats(pid: int) -> TreeStats:
    """CPU time and resident memory of ``pid`` and its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    cpu = rss = 0.0
    count = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat", encoding="ascii") as handle:  # noqa: PTH123
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        count += 1
        cpu += (int(fields[11]) + int(fields[12])) / ticks
        rss += int(fields[21]) * page / (1 << 20)
    return TreeStats(count, cpu, rss)
