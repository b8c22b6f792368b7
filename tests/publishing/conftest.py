"""Fixtures for publishing: the demo output published into a store, and a live endpoint.

The endpoint is ``harmonize serve`` in a subprocess on a free loopback port, queried by
independent clients (SPARQLWrapper, httpx).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from tests.conftest import DATA

PUBLISH_DATA = DATA / "publish"
TOKEN = "test-token-5f2c9a7e81d34b6a"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def harmonize(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harmonize", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
        check=False,
    )


@dataclass(frozen=True)
class Endpoint:
    url: str
    token: str
    pid: int = 0  # of the ``harmonize serve`` process

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"


@contextlib.contextmanager
def running_server(store: Path, *extra: str, token: str | None = TOKEN) -> Iterator[Endpoint]:
    """``harmonize serve`` in a subprocess until the block ends."""
    port = free_port()
    env = {**os.environ}
    env.pop("HARMONIZE_PUBLISH_TOKEN", None)
    if token:
        env["HARMONIZE_PUBLISH_TOKEN"] = token
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harmonize",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read() if proc.stdout else ""
                raise RuntimeError(f"harmonize serve exited: {out}")
            try:
                if httpx.get(f"{url}/graphs", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("harmonize serve did not start within 60 s")
            time.sleep(0.2)
        yield Endpoint(url, token or "", proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``harmonize demo -o DIR``: the pipeline's real output (RDF + mapping sets)."""
    folder = tmp_path_factory.mktemp("demo")
    result = harmonize("demo", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    assert (folder / "harmonized.ttl").is_file()
    return folder


@pytest.fixture(scope="session")
def demo_inputs(demo_output: Path) -> list[Path]:
    """What a consortium publishes: the demo's RDF, its mapping sets, plus the liver study
    (public) and the clinic study (restricted by its access_level) fixtures."""
    return [
        demo_output / "harmonized.ttl",
        demo_output / "values.sssom.tsv",
        demo_output / "columns.sssom.tsv",
        PUBLISH_DATA / "liver_study.ttl",
        PUBLISH_DATA / "clinic_restricted.ttl",
        PUBLISH_DATA / "tissue.sssom.tsv",
    ]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_inputs: list[Path]) -> Path:
    store = tmp_path_factory.mktemp("store") / "store"
    result = harmonize("publish", *map(str, demo_inputs), "--store", str(store))
    assert result.returncode == 0, result.stderr
    return store


@pytest.fixture(scope="session")
def endpoint(demo_store: Path) -> Iterator[Endpoint]:
    with running_server(demo_store, "--max-rows", "500") as live:
        yield live
