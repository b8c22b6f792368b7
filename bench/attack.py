"""Attack replay: ``harmonize serve`` and ``harmonize publish --to`` as an outsider would
try them, on loopback only, every loop bounded.

Builds a store with a public dataset and a restricted one (its values carry a random
secret), pushes the restricted data to an Oxigraph server (the store a SERVICE clause
would reach), serves the store with a token, then replays: SSRF through SERVICE (to that
store and to a canary that counts requests), restricted-data probes without the token
(query forms, dataset clauses, Graph Store reads, records, CORS), deep nesting (GET and
POST), eight runaway queries, memory bombs, oversized bodies, and pushes cut off midway
(the target stopped; the client killed). A prober asks a simple lookup every 0.5 s the
whole time. Everything is counted; the summary line is made from the counts.

    .venv/bin/python bench/attack.py            # about 2 minutes
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from attack_cases import (
    HMZ,
    Tally,
    bodies,
    bombs,
    dataset,
    harmonize,
    nesting,
    probes,
    pushes,
    runaways,
    ssrf,
)

from harmonize.publishing.testing import Canary

SECRET = f"SECRET-{secrets.token_hex(6)}"
TOKEN = secrets.token_hex(16)
LOOKUP = f'SELECT ?s WHERE {{ ?s <{HMZ}biosample_id> "P7" }}'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def process(
    args: list[str], url: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_http(url)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------------------ prober
class Prober(threading.Thread):
    """Asks the lookup every 0.5 s until stopped; counts answers slower than 1 s."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.latencies, self.missed = url, threading.Event(), [], 0
        self.phase = "start"
        self.slow: dict[str, int] = {}

    def run(self) -> None:
        while not self.stop.wait(0.5):
            started = time.monotonic()
            try:
                ok = httpx.post(self.url, data={"query": LOOKUP}, timeout=10).status_code == 200
            except httpx.HTTPError:
                ok = False
            took = time.monotonic() - started
            self.latencies.append(took)
            if not ok or took >= 1.0:
                self.missed += 1
                self.slow[self.phase] = self.slow.get(self.phase, 0) + 1


# ------------------------------------------------------------------------------ main
def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=5_000, help="public samples (default 5000)")
    args = parser.parse_args()
    oxigraph_bin = Path(sys.executable).with_name("oxigraph")
    if not oxigraph_bin.exists():
        print(
            "needs the Oxigraph server of the bench extra: pip install -e '.[bench]'",
            file=sys.stderr,
        )
        return 2
    work = Path(tempfile.mkdtemp(prefix="harmonize-attack-"))
    try:
        return run(work, args.samples, oxigraph_bin)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, samples: int, oxigraph_bin: Path) -> int:
    dataset(work / "public.nt", "PUB-1", samples, "open", "liver bx")
    dataset(work / "restricted.nt", "SEC-1", 200, "restricted", SECRET)
    store = work / "store"
    done = harmonize(
        "publish", str(work / "public.nt"), str(work / "restricted.nt"), "--store", str(store)
    )
    assert done.returncode == 0, done.stderr
    ox_port, port = free_port(), free_port()
    oxigraph, base = f"http://127.0.0.1:{ox_port}", f"http://127.0.0.1:{port}"
    serve = [sys.executable, "-m", "harmonize", "serve", "--store", str(store), "--port", str(port),
             "--timeout", "5", "--max-memory-mb", "512", "--max-rows", "1000"]  # fmt: skip
    with process([str(oxigraph_bin), "serve", "--location", str(work / "ox"), "--bind",
                  f"127.0.0.1:{ox_port}"], f"{oxigraph}/query?query=ASK%7B%7D"), \
         Canary().running() as canary:  # fmt: skip
        pushed = harmonize(
            "publish",
            str(work / "restricted.nt"),
            "--to",
            f"{oxigraph}/store",
            "--include-restricted",
        )
        assert pushed.returncode == 0, pushed.stderr
        with process(serve, f"{base}/graphs", {"HARMONIZE_PUBLISH_TOKEN": TOKEN}) as server:
            prober = Prober(f"{base}/sparql")
            prober.start()
            sparql = f"{base}/sparql"
            attacks: list[tuple[str, Callable[[], Tally]]] = [
                ("ssrf", lambda: ssrf(sparql, oxigraph, canary, SECRET)),
                ("probes", lambda: probes(base, SECRET)),
                ("nesting", lambda: nesting(sparql, server)),
                ("runaways", lambda: runaways(sparql, server.pid)),
                ("bombs", lambda: bombs(sparql, server.pid)),
                ("bodies", lambda: bodies(sparql)),
                ("pushes", lambda: pushes(work, oxigraph)),
            ]
            tallies = []
            for phase, attack in attacks:
                prober.phase = phase
                tallies.append(attack())
            prober.stop.set()
            prober.join()
            tallies[2].crashes += server.poll() is not None
    return report(tallies, prober)


def report(tallies: list[Tally], prober: Prober) -> int:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; secret {SECRET[:7]}...\n")
    print("| attack | attempts | leaks | crashes | lost graphs | limit failures | notes |")
    print("|---|---|---|---|---|---|---|")
    for t in tallies:
        print(f"| {t.name} | {t.attempts} | {t.leaks} | {t.crashes} | {t.lost} | {t.failures} "
              f"| {'; '.join(t.notes)} |")  # fmt: skip
    leaks, crashes, lost, failures = (
        sum(getattr(t, k) for t in tallies) for k in ("leaks", "crashes", "lost", "failures")
    )
    slowest = max(prober.latencies, default=float("nan"))
    where = ", ".join(f"{k}: {v}" for k, v in prober.slow.items()) or "none"
    print(f"\nlookup probes: {len(prober.latencies)}, slower than 1 s or failed: {prober.missed} "
          f"({where}), slowest {slowest:.2f} s\n")  # fmt: skip
    answered = "server answered throughout" if prober.missed == 0 and prober.latencies else (
        f"server missed {prober.missed} of {len(prober.latencies)} probes")  # fmt: skip
    if failures:
        answered += f"; {failures} limits not enforced (see the table)"
    print(f"{leaks} leaks, {crashes} crashes, {lost} lost graphs, {answered}")
    return 0 if leaks == crashes == lost == prober.missed == failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
