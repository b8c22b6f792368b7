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
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from harmonize.publish.testing import Canary, DyingProxy, tree_stats

HMZ = "https://w3id.org/harmonize/model/"
GRAPHS = "https://w3id.org/harmonize/graph/dataset/"
SECRET = f"SECRET-{secrets.token_hex(6)}"
TOKEN = secrets.token_hex(16)
LOOKUP = f'SELECT ?s WHERE {{ ?s <{HMZ}biosample_id> "P7" }}'
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
BOMBS = [
    "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    "SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?d))) AS ?all) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT DISTINCT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f }",
]


@dataclass
class Tally:
    name: str
    attempts: int = 0
    leaks: int = 0
    crashes: int = 0
    lost: int = 0
    failures: int = 0  # a limit not enforced, or an unexpected status
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------ set-up
def dataset(path: Path, ident: str, samples: int, access: str, value: str) -> None:
    ds = f"<https://ex.org/{ident}>"
    lines = [
        f"{ds} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HMZ}Dataset> .",
        f'{ds} <{HMZ}dataset_id> "{ident}" .',
        f'{ds} <{HMZ}access_level> "{access}" .',
    ]
    for n in range(samples):
        s = f"<https://ex.org/{ident}/sample/{n}>"
        lines += [
            f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HMZ}Biosample> .",
            f'{s} <{HMZ}biosample_id> "{ident[0]}{n}" .',
            f"{s} <{HMZ}part_of_dataset> {ds} .",
            f'{s} <{HMZ}sourceValue> "{value} {n}" .',
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def harmonize(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harmonize", *args], capture_output=True,
                          text=True, check=False, env={**os.environ, **(env or {})})  # fmt: skip


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


# ------------------------------------------------------------------------------ attacks
def leaked(text: str, sent: str = "") -> bool:
    """The secret, or the restricted graph's name when the request did not carry it."""
    name = f"{GRAPHS}SEC-1"
    found = SECRET in text or (name in text and name not in sent)
    if found and os.environ.get("ATTACK_DEBUG"):
        print("LEAK?", sent[:200], "->", text[:300], file=sys.stderr)
    return found


def ssrf(sparql: str, oxigraph: str, canary: Canary) -> Tally:
    tally = Tally("SSRF through SERVICE")
    pattern = f'{{ GRAPH ?g {{ ?s <{HMZ}sourceValue> ?v FILTER(CONTAINS(?v, "{SECRET[:10]}")) }} }}'
    targets = [f"{oxigraph}/query", f"{oxigraph}/query?union-default-graph", f"{canary.url}/sparql"]
    forms = ["SELECT * WHERE {{ SERVICE <{t}> {p} }}", "select * {{ service silent <{t}> {p} }}",
             r"SELECT * {{ \u0053ERVICE <{t}> {p} }}", "SELECT * {{ OPTIONAL {{ SERVICE <{t}> {p} }} }}",
             "SELECT * {{ VALUES ?x {{ <{t}> }} SERVICE ?x {p} }}",
             "SELECT * {{ {{ SELECT * {{ SERVICE <{t}> {p} }} }} }}"]  # fmt: skip
    for target in targets:
        for form in forms:
            query = form.format(t=target, p=pattern)
            for method in ("GET", "POST"):
                tally.attempts += 1
                response = send(sparql, query, method)
                tally.leaks += leaked(response.text)
                tally.failures += response.status_code != 400
    tally.leaks += len(canary.hits)  # any request that left the endpoint
    tally.notes.append(f"canary requests: {len(canary.hits)}")
    return tally


def send(sparql: str, query: str, method: str = "POST", **kwargs: object) -> httpx.Response:
    if method == "GET":
        return httpx.get(sparql, params={"query": query}, timeout=120, **kwargs)  # type: ignore[arg-type]
    return httpx.post(sparql, data={"query": query}, timeout=120, **kwargs)  # type: ignore[arg-type]


def probes(base: str) -> Tally:
    tally = Tally("restricted data without the token")
    sec = f"{GRAPHS}SEC-1"
    queries = [
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }",
        f"SELECT * FROM <{sec}> WHERE {{ ?s ?p ?o }}", f"SELECT * FROM NAMED <{sec}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX g: <{GRAPHS}> SELECT * FROM g:SEC-1 WHERE {{ ?s ?p ?o }}",
        f"# FROM <{GRAPHS}PUB-1>\nSELECT * FROM <{sec}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ GRAPH <{sec}> {{ ?s ?p ?o }} }}", f'ASK {{ ?s ?p "{SECRET} 1" }}',
        f'SELECT ?s WHERE {{ ?s <{HMZ}sourceValue> ?v FILTER(STRSTARTS(?v, "{SECRET[:8]}")) }}',
        "DESCRIBE <https://ex.org/SEC-1/sample/1>", "CONSTRUCT WHERE { ?s ?p ?o }",
        f"SELECT * WHERE {{ VALUES ?g {{ <{sec}> }} GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT ?x WHERE {{ <https://ex.org/SEC-1> (<{HMZ}x>|!<{HMZ}y>)* ?x }}",
        "SELECT * WHERE { ?s (!<urn:none>)+ ?o } LIMIT 50",
    ]  # fmt: skip
    sparql = f"{base}/sparql"
    for query in queries:
        for method in ("GET", "POST"):
            tally.attempts += 1
            text = send(sparql, query, method).text
            tally.leaks += leaked(text, query) or (query.startswith("ASK") and "true" in text)
    gets = [(f"{base}/sparql", {"graph": sec}), (f"{base}/store", {"graph": sec}),
            (f"{base}/store", {"default": ""}), (f"{base}/resource", {"iri": "https://ex.org/SEC-1/sample/1"}),
            (f"{base}/graphs", {}), (f"{base}/void", {}), (f"{base}/", {}),
            (f"{base}/sparql", {"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": sec}),
            (f"{base}/sparql", {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": sec})]  # fmt: skip
    for url, params in gets:
        for headers in (
            {},
            {"Origin": "https://evil.example"},
            {"Authorization": "Bearer wrong-token-0123456789"},
        ):
            tally.attempts += 1
            response = httpx.get(url, params=params, headers=headers, timeout=120)
            tally.leaks += leaked(response.text, str(params))
    return tally


def nesting(sparql: str, server: subprocess.Popen[bytes]) -> Tally:
    tally = Tally("deep nesting (GET and POST)")
    for depth in (1_000, 3_000, 10_000):
        for query in (
            "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth,
            "SELECT * WHERE { ?s ?p ?o FILTER" + "(" * depth + "?o" + ")" * depth + " }",
            "SELECT * WHERE { ?s ?p " + "[ ?p " * depth + "?o" + " ]" * depth + " }",
        ):
            for method in ("GET", "POST") if depth <= 3_000 else ("POST",):  # URL length
                tally.attempts += 1
                try:
                    tally.failures += send(sparql, query, method).status_code != 400
                except httpx.HTTPError:
                    tally.failures += 1
                if server.poll() is not None:
                    tally.crashes += 1
                    return tally
    return tally


def concurrently(sparql: str, queries: list[str], base_pid: int) -> tuple[list[int], float]:
    """Run ``queries`` at once; their statuses and the peak memory of the server's tree."""
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda q=q: statuses.append(send(sparql, q).status_code))
               for q in queries]  # fmt: skip
    for thread in threads:
        thread.start()
    peak = 0.0
    while any(t.is_alive() for t in threads):
        peak = max(peak, tree_stats(base_pid).rss_mb)
        time.sleep(0.1)
    return statuses, peak


def runaways(sparql: str, pid: int) -> Tally:
    tally = Tally("8 runaway queries")
    statuses, _ = concurrently(sparql, [RUNAWAY] * 8, pid)
    tally.attempts = len(statuses)
    time.sleep(1.0)
    before = tree_stats(pid)
    time.sleep(2.0)
    busy = tree_stats(pid).cpu_s - before.cpu_s
    tally.notes.append(f"statuses {sorted(set(statuses))}; CPU after: {busy:.2f} s in 2 s")
    tally.failures += sum(s != 503 for s in statuses) + (busy > 0.5)  # > 0.5: not stopped
    return tally


def bombs(sparql: str, pid: int) -> Tally:
    tally = Tally("memory bombs (4 at once)")
    baseline = tree_stats(pid).rss_mb
    statuses, peak = concurrently(sparql, [*BOMBS, BOMBS[0]], pid)
    tally.attempts = len(statuses)
    tally.notes.append(
        f"statuses {sorted(set(statuses))}; tree RSS {baseline:.0f} -> peak {peak:.0f} MB"
    )
    tally.failures += sum(s not in (200, 503) for s in statuses)
    tally.failures += peak - baseline > len(statuses) * 512 + 300  # over the caps
    return tally


def bodies(sparql: str) -> Tally:
    tally = Tally("oversized body and query")
    big = httpx.post(sparql, content=b"query=" + b"x" * (20 << 20), timeout=120,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    long = httpx.post(sparql, content="ASK {} #" + "x" * 400_000, timeout=120,
                      headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    tally.attempts = 2
    tally.notes.append(f"20 MB body: {big.status_code}; 400 KB query: {long.status_code}")
    tally.failures += (big.status_code != 413) + (long.status_code != 400)
    return tally


def pushes(work: Path, oxigraph: str) -> Tally:
    tally = Tally("pushes cut off midway")
    graph = f"{GRAPHS}PUSHED"
    for version, size in (("v1", 3_000), ("v2", 6_000)):
        (work / version).mkdir()
        dataset(work / version / "pushed.nt", "PUSHED", size, "open", version)
    first = harmonize("publish", str(work / "v1" / "pushed.nt"), "--to", f"{oxigraph}/store")
    assert first.returncode == 0, first.stderr
    expected = count(oxigraph, graph)

    def target_stopped() -> None:
        with DyingProxy(oxigraph, die_after=2).running() as proxy:
            harmonize("publish", str(work / "v2" / "pushed.nt"), "--to", f"{proxy.url}/store",
                      "--batch-size", "2000")  # fmt: skip

    def client_killed() -> None:
        with DyingProxy(oxigraph, die_after=10**6, delay_s=1.0).running() as proxy:
            proc = subprocess.Popen([sys.executable, "-m", "harmonize", "publish",
                                     str(work / "v2" / "pushed.nt"), "--to", f"{proxy.url}/store",
                                     "--batch-size", "2000"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)  # fmt: skip
            deadline = time.monotonic() + 60
            while proxy.forwarded < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            proc.kill()
            proc.wait()

    cut: Callable[[], None]
    for cut in (target_stopped, client_killed, target_stopped):
        tally.attempts += 1
        cut()
        tally.lost += count(oxigraph, graph) != expected
    tally.notes.append(
        f"{graph.rsplit('/', 1)[1]} kept {count(oxigraph, graph):,} of {expected:,} triples"
    )
    return tally


def count(oxigraph: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    data = httpx.post(f"{oxigraph}/query", data={"query": query},
                      headers={"Accept": "application/sparql-results+json"}).json()  # fmt: skip
    return int(data["results"]["bindings"][0]["n"]["value"])


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
        with process(serve, f"{base}/graphs", env={"HARMONIZE_PUBLISH_TOKEN": TOKEN}) as server:
            prober = Prober(f"{base}/sparql")
            prober.start()
            sparql = f"{base}/sparql"
            attacks: list[tuple[str, Callable[[], Tally]]] = [
                ("ssrf", lambda: ssrf(sparql, oxigraph, canary)),
                ("probes", lambda: probes(base)),
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
