"""The endpoint under attack, on loopback: no outbound request (SERVICE), no crash (deep
nesting), runaway queries stopped for real while lookups keep being answered, memory and
sizes capped. A live ``harmonize serve`` in a subprocess, queried with httpx."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from tests.publishing.conftest import Endpoint, running_server

from harmonize.publishing.testing import Canary, tree_stats

LOOKUP = (
    'PREFIX hmz: <https://w3id.org/harmonize/model/> SELECT ?s WHERE { ?s hmz:biosample_id "S01" }'
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_BOMB = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with Canary().running() as live:
        yield live


@pytest.fixture(scope="module")
def guarded(demo_store: Path, canary: Canary) -> Iterator[Endpoint]:
    with running_server(
        demo_store,
        "--timeout", "4",
        "--max-memory-mb", "256",
        "--allow-service", f"{canary.url}/allowed/",
    ) as live:  # fmt: skip
        yield live


def _post(endpoint: Endpoint, query: str, **kwargs: object) -> httpx.Response:
    return httpx.post(endpoint.sparql, data={"query": query}, timeout=60, **kwargs)  # type: ignore[arg-type]


# -- 1. SERVICE: refused unless allowed, and then only there -------------------------------
@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "select * {{ optional {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }} }}",
        r"SELECT * {{ \u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "PREFIX c: <{url}/> SELECT * {{ {{ SELECT * {{ SERVICE c:sparql {{ ?s ?p ?o }} }} }} }}",
        "SELECT * {{ VALUES ?where {{ <{url}/allowed/x> }} SERVICE ?where {{ ?s ?p ?o }} }}",
        "SELECT * {{ SERVICE <{url}/allowed/../sparql> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_nothing_goes_out(
    guarded: Endpoint, canary: Canary, template: str
) -> None:
    before = len(canary.hits)
    response = _post(guarded, template.format(url=canary.url))
    assert response.status_code == 400, response.text
    assert "SERVICE" in response.text and "not allowed" in response.text
    assert len(canary.hits) == before, canary.hits  # no request left the endpoint


def test_an_allowed_service_prefix_is_called(guarded: Endpoint, canary: Canary) -> None:
    before = len(canary.hits)
    query = f"SELECT * WHERE {{ SERVICE <{canary.url}/allowed/sparql> {{ ?s ?p ?o }} }}"
    response = _post(guarded, query)
    assert response.status_code == 200, response.text
    assert len(canary.hits) == before + 1


# -- 2. nesting: refused before anything recursive reads it; the server stays up ------------
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("bracket", ["{}", "()"])
def test_deep_nesting_is_refused_and_the_server_stays_up(
    endpoint: Endpoint, method: str, bracket: str
) -> None:
    if bracket == "{}":
        query = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    else:
        query = "SELECT * WHERE { ?s ?p ?o FILTER" + "(" * 3000 + "?o" + ")" * 3000 + "}"
    if method == "GET":
        response = httpx.get(endpoint.sparql, params={"query": query}, timeout=60)
    else:
        response = _post(endpoint, query)
    assert response.status_code == 400, response.text
    assert "nests" in response.text and "limit of 100" in response.text
    assert httpx.get(endpoint.sparql, params={"query": "ASK {}"}).status_code == 200


def test_oversized_query_and_body_are_refused(endpoint: Endpoint) -> None:
    padded = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 300_000
    response = httpx.post(
        endpoint.sparql, content=padded, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400 and "bytes" in response.text
    huge = httpx.post(
        endpoint.sparql,
        content=b"query=" + b"x" * (3 << 20),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=60,
    )
    assert huge.status_code == 413
    assert httpx.get(endpoint.sparql, params={"query": "ASK {}"}).status_code == 200


# -- 3. runaway queries: stopped at the limit, lookups answered meanwhile -------------------
def test_eight_runaway_queries_do_not_stop_a_lookup(guarded: Endpoint) -> None:
    statuses: list[int] = []

    def runaway() -> None:
        statuses.append(_post(guarded, RUNAWAY).status_code)

    threads = [threading.Thread(target=runaway) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # all eight are evaluating now
    assert tree_stats(guarded.pid).processes >= 8 + 1
    waits = []
    for _ in range(3):
        started = time.monotonic()
        response = _post(guarded, LOOKUP)
        waits.append(time.monotonic() - started)
        assert response.status_code == 200, response.text
        assert len(response.json()["results"]["bindings"]) == 1
        time.sleep(0.3)
    assert max(waits) < 1.0, waits
    for thread in threads:
        thread.join()
    assert statuses == [503] * 8
    # stopped for real: the server's process tree is idle again, its workers gone
    time.sleep(1.0)
    first = tree_stats(guarded.pid)
    time.sleep(2.0)
    second = tree_stats(guarded.pid)
    assert second.cpu_s - first.cpu_s < 0.5, (first, second)
    # server, forkserver, its resource tracker, 4 ready workers (one may be starting)
    assert second.processes <= 3 + 4 + 1, second


def test_time_limit_message_names_the_limit(guarded: Endpoint) -> None:
    response = _post(guarded, RUNAWAY)
    assert response.status_code == 503
    assert "time limit of 4 s" in response.text and "stopped" in response.text
    assert response.headers["X-Harmonize-Time-Limit"] == "4"


# -- 4. memory: a query past its ceiling stops alone --------------------------------------
def test_memory_bomb_stops_at_the_ceiling(guarded: Endpoint) -> None:
    baseline = tree_stats(guarded.pid).rss_mb
    peak = baseline
    done = threading.Event()
    answer: list[httpx.Response] = []

    def bomb() -> None:
        answer.append(_post(guarded, MEMORY_BOMB))
        done.set()

    thread = threading.Thread(target=bomb)
    thread.start()
    while not done.wait(0.05):
        peak = max(peak, tree_stats(guarded.pid).rss_mb)
    thread.join()
    response = answer[0]
    assert response.status_code == 503, response.text
    assert "memory" in response.text and "256 MiB" in response.text
    assert peak - baseline < 256 + 150, (baseline, peak)
    assert _post(guarded, LOOKUP).status_code == 200


def test_every_memory_bomb_is_told_it_was_memory(guarded: Endpoint) -> None:
    """A worker killed by its memory cap is reported as such every time: its exit status
    was read by two threads at once (a start polls every child), and the loser got 255,
    a crash (500), about one bomb in six."""
    answers = [_post(guarded, MEMORY_BOMB) for _ in range(8)]
    assert [a.status_code for a in answers] == [503] * 8, [a.text for a in answers]
    assert all("256 MiB" in a.text for a in answers)


def test_large_answers_are_streamed_whole(guarded: Endpoint) -> None:
    """An answer over 1 MiB leaves its worker as a file the server streams (chunked)."""
    with httpx.stream(
        "POST", guarded.sparql, data={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=60
    ) as response:
        assert response.status_code == 200
        assert response.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in response.headers
        chunks = list(response.iter_raw())
    body = b"".join(chunks)
    assert len(body) > 1 << 20 and len(chunks) > 1
    assert response.headers["X-Harmonize-Rows"] == "10000"
    rows = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    assert len(list(rows)) == 10_000  # type: ignore[arg-type]
