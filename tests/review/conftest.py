"""Fixtures for the review workbench: a real server subprocess and headless Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import DATA, require

REVIEW = DATA / "review"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A ``harmonize review`` subprocess."""

    def __init__(self, proc: subprocess.Popen[str], url: str, ledger: Path, folder: Path) -> None:
        self.proc = proc
        self.url = url
        self.ledger = ledger
        self.folder = folder

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # SIGKILL
            self.proc.wait(timeout=10)


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start ``harmonize review`` in a subprocess; stopped at teardown."""
    started: list[Server] = []

    def start(*args: str, ledger: Path | None = None, reviewer: str = "Ada Steward") -> Server:
        port = free_port()
        ledger = ledger or tmp_path / "mappings" / "decisions.sqlite"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        cmd = [
            sys.executable, "-m", "harmonize", "review", *args,
            "--port", str(port), "--ledger", str(ledger), "--reviewer", reviewer,
        ]  # fmt: skip
        log = (tmp_path / f"server-{port}.log").open("w")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        server = Server(proc, f"http://127.0.0.1:{port}", ledger, tmp_path)
        started.append(server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(
                    f"server exited: {(tmp_path / f'server-{port}.log').read_text()}"
                )
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(server.url + "/health", timeout=2) as resp,
            ):
                if resp.status == 200:
                    return server
            time.sleep(0.1)
        raise AssertionError("server did not start within 60 s")

    yield start
    for server in started:
        if server.proc.poll() is None:
            server.proc.terminate()
            try:
                server.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    path = shutil.which("chromium")
    require(path is not None, "Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def review_data() -> Path:
    return REVIEW
