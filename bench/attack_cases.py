"""The attacks ``bench/attack.py`` replays, each returning a :class:`Tally` of what it
saw (see that script). Loopback only; every loop is bounded."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from harmonize.publishing.testing import Canary, DyingProxy, tree_stats

HMZ = "https://w3id.org/harmonize/model/"
GRAPHS = "https://w3id.org/harmonize/graph/dataset/"
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


def dataset(path: Path, ident: str, samples: int, access: str, value: str) -> None:
    """N-Triples of one dataset in the common model; ``value`` marks its samples."""
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


def harmonize(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harmonize", *args], capture_output=True,
                          text=True, check=False)  # fmt: skip


# ------------------------------------------------------------------------------ attacks
def leaked(secret: str, text: str, sent: str = "") -> bool:
    """The secret, or the restricted graph's name when the request did not carry it."""
    name = f"{GRAPHS}SEC-1"
    return secret in text or (name in text and name not in sent)


def ssrf(sparql: str, oxigraph: str, canary: Canary, secret: str) -> Tally:
    tally = Tally("SSRF through SERVICE")
    pattern = f'{{ GRAPH ?g {{ ?s <{HMZ}sourceValue> ?v FILTER(CONTAINS(?v, "{secret[:10]}")) }} }}'
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
                tally.leaks += leaked(secret, response.text)
                tally.failures += response.status_code != 400
    tally.leaks += len(canary.hits)  # any request that left the endpoint
    tally.notes.append(f"canary requests: {len(canary.hits)}")
    return tally


def send(sparql: str, query: str, method: str = "POST", **kwargs: object) -> httpx.Response:
    if method == "GET":
        return httpx.get(sparql, params={"query": query}, timeout=120, **kwargs)  # type: ignore[arg-type]
    return httpx.post(sparql, data={"query": query}, timeout=120, **kwargs)  # type: ignore[arg-type]


def probes(base: str, secret: str) -> Tally:
    tally = Tally("restricted data without the token")
    sec = f"{GRAPHS}SEC-1"
    queries = [
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }",
        f"SELECT * FROM <{sec}> WHERE {{ ?s ?p ?o }}", f"SELECT * FROM NAMED <{sec}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX g: <{GRAPHS}> SELECT * FROM g:SEC-1 WHERE {{ ?s ?p ?o }}",
        f"# FROM <{GRAPHS}PUB-1>\nSELECT * FROM <{sec}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ GRAPH <{sec}> {{ ?s ?p ?o }} }}", f'ASK {{ ?s ?p "{secret} 1" }}',
        f'SELECT ?s WHERE {{ ?s <{HMZ}sourceValue> ?v FILTER(STRSTARTS(?v, "{secret[:8]}")) }}',
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
            tally.leaks += leaked(secret, text, query) or (
                query.startswith("ASK") and "true" in text
            )
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
            tally.leaks += leaked(secret, response.text, str(params))
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
