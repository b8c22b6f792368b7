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

    def start(
        *args: str, ledger: Path | None = None, reviewer: str | None = "Ada Steward"
    ) -> Server:
        port = free_port()
        ledger = ledger or tmp_path / "mappings" / "decisions.sqlite"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("HARMONIZE_REVIEWER", None)
        cmd = [
            sys.executable, "-m", "harmonize", "review", *args,
            "--port", str(port), "--ledger", str(ledger),
            *(["--reviewer", reviewer] if reviewer else []),
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


def client(app: Any, host: str = "127.0.0.1:8765") -> Any:
    """A Starlette test client speaking to ``app`` as ``host``."""
    from starlette.testclient import TestClient

    return TestClient(app, base_url=f"http://{host}")


def csrf_of(html: str) -> str:
    import re

    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def workspace(tmp_path: Path) -> Any:
    """Partner 1's tissue values with the anatomy excerpt and the table."""
    from harmonize.review.workspace import load_workspace

    return load_workspace(
        [REVIEW / "partner1_tissue.sssom.tsv"],
        tmp_path / "mappings" / "decisions.sqlite",
        ontologies=[REVIEW / "anatomy.obo"],
        table=REVIEW / "partner1.csv",
        roots=["UBERON:0001062"],
    )


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``harmonize demo -o DIR`` run once: its result and folder."""
    from harmonize.demo.pipeline import run_demo

    folder = tmp_path_factory.mktemp("review-demo")
    return run_demo(folder, say=lambda _line: None)
