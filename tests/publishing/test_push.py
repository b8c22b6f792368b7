"""``harmonize publish --to URL``: the same graphs in the Oxigraph server and in Virtuoso
answer the same queries as the embedded endpoint.

The servers come from ``.ci/services.sh`` (loopback only); without them these tests skip
on a user's machine and fail in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from tests.conftest import require
from tests.publishing.conftest import Endpoint, harmonize

from harmonize.publishing.gsp import PushAuth, push_graph

pytestmark = pytest.mark.triplestore

# {dataset} becomes FROM / FROM NAMED clauses naming the graphs this test pushed, so other
# data in a shared store (e.g. a benchmark run) cannot change the answers.
QUERIES = {
    "samples": """PREFIX hmz: <https://w3id.org/harmonize/model/>
        SELECT (COUNT(DISTINCT ?s) AS ?n) {dataset} WHERE { ?s a hmz:Biosample }""",
    "samples per tissue": """PREFIX hmz: <https://w3id.org/harmonize/model/>
        SELECT ?t (COUNT(DISTINCT ?s) AS ?n) {dataset}
        WHERE { ?s a hmz:Biosample ; hmz:tissue ?t } GROUP BY ?t ORDER BY ?t""",
    "liver hierarchy": """PREFIX hmz: <https://w3id.org/harmonize/model/>
        PREFIX obo: <http://purl.obolibrary.org/obo/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?s ?label {dataset} WHERE { ?s hmz:tissue ?t .
          ?t (rdfs:subClassOf|obo:BFO_0000050)* obo:UBERON_0002107 ; rdfs:label ?label }
        ORDER BY ?s""",
    "mappings": """PREFIX sssom: <https://w3id.org/sssom/>
        SELECT ?subject ?object {dataset} WHERE { ?m a sssom:Mapping ;
          sssom:subject_id ?subject ; sssom:object_id ?object } ORDER BY ?subject ?object""",
    "graphs": """SELECT ?g (COUNT(*) AS ?n) {dataset} WHERE { GRAPH ?g { ?s ?p ?o }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/harmonize/graph/dataset/")) }
        GROUP BY ?g ORDER BY ?g""",
}


def _query(endpoint: Endpoint, name: str) -> str:
    """``QUERIES[name]`` with the graphs published from the demo inputs as its dataset."""
    import httpx

    graphs = httpx.get(
        f"{endpoint.url}/graphs", headers={"Authorization": f"Bearer {endpoint.token}"}
    ).json()
    assert len(graphs) >= 5
    clauses = " ".join(f"FROM <{g['graph']}> FROM NAMED <{g['graph']}>" for g in graphs)
    return QUERIES[name].replace("{dataset}", clauses)


def _rows(url: str, query: str, token: str | None = None) -> list[tuple[str, ...]]:
    wrapper = SPARQLWrapper(url)
    wrapper.setReturnFormat(JSON)
    wrapper.setQuery(query)
    if token:
        wrapper.addCustomHttpHeader("Authorization", f"Bearer {token}")
    data = wrapper.queryAndConvert()
    assert isinstance(data, dict)
    names = data["head"]["vars"]
    return [
        tuple(row[v]["value"] if v in row else "" for v in names)
        for row in data["results"]["bindings"]
    ]


def _push(demo_inputs: list[Path], url: str, *auth: str) -> None:
    result = harmonize(
        "publish", *map(str, demo_inputs), "--to", url, "--include-restricted", *auth
    )
    assert result.returncode == 0, result.stderr
    assert "graph(s) sent to" in result.stdout


@pytest.fixture(scope="module")
def oxigraph_url() -> str:
    url = os.environ.get("HARMONIZE_TEST_OXIGRAPH_URL")
    require(bool(url), "no Oxigraph server (run: source .ci/services.sh)")
    assert url is not None
    return url


@pytest.fixture(scope="module")
def virtuoso() -> tuple[str, str, str]:
    url = os.environ.get("HARMONIZE_TEST_VIRTUOSO_URL")
    user = os.environ.get("HARMONIZE_TEST_VIRTUOSO_USER")
    password = os.environ.get("HARMONIZE_TEST_VIRTUOSO_PASSWORD")
    require(bool(url and user and password), "no Virtuoso (run: source .ci/services.sh)")
    assert url and user and password
    return url, user, password


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_oxigraph_server_answers_like_the_embedded_endpoint(
    demo_inputs: list[Path], endpoint: Endpoint, oxigraph_url: str, name: str
) -> None:
    _push_once(demo_inputs, f"{oxigraph_url}/store", ())
    query = _query(endpoint, name)
    expected = _rows(endpoint.sparql, query, endpoint.token)
    assert expected, name
    got = _rows(f"{oxigraph_url}/query", query)
    assert len(got) == len(expected)
    assert got == expected


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_virtuoso_answers_like_the_embedded_endpoint(
    demo_inputs: list[Path], endpoint: Endpoint, virtuoso: tuple[str, str, str], name: str
) -> None:
    url, user, password = virtuoso
    _push_once(
        demo_inputs,
        f"{url}/sparql-graph-crud-auth",
        ("--user", user, "--password", password),
    )
    query = _query(endpoint, name)
    expected = _rows(endpoint.sparql, query, endpoint.token)
    assert expected, name
    got = _rows(f"{url}/sparql", query)
    assert len(got) == len(expected)
    assert got == expected


_PUSHED: set[str] = set()


def _push_once(demo_inputs: list[Path], url: str, auth: tuple[str, ...]) -> None:
    if url not in _PUSHED:
        _push(demo_inputs, url, *auth)
        _PUSHED.add(url)


def test_virtuoso_refuses_a_push_without_credentials(virtuoso: tuple[str, str, str]) -> None:
    import pyoxigraph as ox

    from harmonize.errors import PublishError

    url, user, _password = virtuoso
    triple = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))
    with pytest.raises(PublishError) as info:
        push_graph(f"{url}/sparql-graph-crud-auth", "urn:harmonize:test", [triple],
                   auth=PushAuth(user=user, password="wrong"))  # fmt: skip
    assert "HTTP 401" in str(info.value) and "\n" not in str(info.value)


def test_republishing_replaces_the_graph_in_both_stores(
    tmp_path: Path, oxigraph_url: str, virtuoso: tuple[str, str, str]
) -> None:
    import pyoxigraph as ox

    url, user, password = virtuoso
    targets = [
        (f"{oxigraph_url}/store", f"{oxigraph_url}/query", PushAuth()),
        (f"{url}/sparql-graph-crud-auth", f"{url}/sparql", PushAuth(user=user, password=password)),
    ]
    graph = "https://w3id.org/harmonize/graph/test/replace"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    for store_url, query_url, auth in targets:
        for size in (50, 20):
            triples = [
                ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)))
                for i in range(size)
            ]
            result = push_graph(store_url, graph, triples, auth=auth, batch_size=15)
            assert result.requests == -(-size // 15)  # PUT then POSTs
            assert _rows(query_url, query) == [(str(size),)]


def test_restricted_data_is_not_pushed_by_default(demo_inputs: list[Path], tmp_path: Path) -> None:
    result = harmonize("publish", str(demo_inputs[0]), "--to", "http://127.0.0.1:9/store")
    assert result.returncode == 2
    assert "--include-restricted" in result.stderr


def test_virtuoso_cuts_results_at_10000_rows_without_saying_so(
    demo_inputs: list[Path], virtuoso: tuple[str, str, str]
) -> None:
    """Why the docs warn about Virtuoso: its ResultSetMaxRows cap is silent."""
    import httpx

    url, user, password = virtuoso
    _push_once(
        demo_inputs,
        f"{url}/sparql-graph-crud-auth",
        ("--user", user, "--password", password),
    )
    total = _rows(
        f"{url}/sparql",
        'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/harmonize/graph/")) }',
    )
    assert int(total[0][0]) > 10_000
    response = httpx.get(
        f"{url}/sparql",
        params={
            "query": 'SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/harmonize/graph/")) }'
        },
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    assert len(response.json()["results"]["bindings"]) == 10_000


# -- atomic pushes ---------------------------------------------------------------------------
def _targets(oxigraph_url: str, virtuoso: tuple[str, str, str]) -> list[tuple[str, str, PushAuth]]:
    """(Graph Store URL, query URL, credentials) of both stores."""
    url, user, password = virtuoso
    return [
        (f"{oxigraph_url}/store", f"{oxigraph_url}/query", PushAuth()),
        (f"{url}/sparql-graph-crud-auth", f"{url}/sparql", PushAuth(user=user, password=password)),
    ]


def _version(tag: str, size: int) -> list[object]:
    import pyoxigraph as ox

    return [
        ox.Triple(ox.NamedNode(f"urn:{tag}:s{i}"), ox.NamedNode("urn:p"), ox.Literal(f"{tag}{i}"))
        for i in range(size)
    ]


def _count(query_url: str, graph: str) -> int:
    rows = _rows(query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0][0])


def test_push_counts_what_the_target_stored(
    oxigraph_url: str, virtuoso: tuple[str, str, str]
) -> None:
    graph = "https://w3id.org/harmonize/graph/test/duplicates"
    triples = _version("dup", 40)
    for store_url, query_url, auth in _targets(oxigraph_url, virtuoso):
        result = push_graph(store_url, graph, [*triples, *triples[:7]], auth=auth, batch_size=10)
        assert result.sent == 47 and result.triples == 40 == _count(query_url, graph)


def test_a_target_stopped_midway_keeps_the_old_version(
    oxigraph_url: str, virtuoso: tuple[str, str, str]
) -> None:
    from harmonize.errors import PublishError
    from harmonize.publishing.testing import DyingProxy

    graph = "https://w3id.org/harmonize/graph/test/cut"
    for store_url, query_url, auth in _targets(oxigraph_url, virtuoso):
        assert push_graph(store_url, graph, _version("old", 60), auth=auth).triples == 60
        split = store_url.split("/", 3)
        with DyingProxy(f"{split[0]}//{split[2]}", die_after=3).running() as proxy:
            through = f"{proxy.url}/{split[3]}"
            with pytest.raises(PublishError) as info:
                push_graph(through, graph, _version("new", 100), auth=auth, batch_size=20)
            assert proxy.refused >= 1  # the target "died" after three requests
        message = str(info.value)
        assert "unchanged" in message and "previous version intact" in message, message
        assert "\n" not in message
        assert _count(query_url, graph) == 60  # the old version, whole
        probe = f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p "new0" }} }}'
        assert _rows(query_url, probe) == [("0",)]  # nothing of the new version in it
        # the next push replaces the graph (and whatever the cut push left in staging)
        assert push_graph(store_url, graph, _version("new", 100), auth=auth).triples == 100
        assert _count(query_url, graph) == 100


def test_a_push_killed_midway_keeps_the_old_version(
    tmp_path: Path, oxigraph_url: str, virtuoso: tuple[str, str, str]
) -> None:
    import subprocess
    import sys
    import time

    from harmonize.publishing.testing import DyingProxy

    old, new = tmp_path / "old" / "killed.nt", tmp_path / "new" / "killed.nt"
    for path, tag, size in ((old, "old", 500), (new, "new", 1200)):
        path.parent.mkdir()
        path.write_text(
            "".join(f'<urn:{tag}:s{i}> <urn:p> "{tag}{i}" .\n' for i in range(size)),
            encoding="utf-8",
        )
    graph = "https://w3id.org/harmonize/graph/dataset/killed"
    for store_url, query_url, auth in _targets(oxigraph_url, virtuoso):
        credentials = ("--user", auth.user, "--password", auth.password) if auth.user else ()
        first = harmonize("publish", str(old), "--to", store_url, *credentials)  # type: ignore[arg-type]
        assert first.returncode == 0, first.stderr
        assert _count(query_url, graph) == 500
        split = store_url.split("/", 3)
        with DyingProxy(f"{split[0]}//{split[2]}", die_after=10**6, delay_s=1.0).running() as proxy:
            process = subprocess.Popen(
                [sys.executable, "-m", "harmonize", "publish", str(new), "--to",
                 f"{proxy.url}/{split[3]}", "--batch-size", "100", *credentials],  # type: ignore[list-item]
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            deadline = time.monotonic() + 120
            while proxy.forwarded < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            process.kill()  # midway through its batches
            process.wait()
            assert proxy.forwarded >= 2
        assert _count(query_url, graph) == 500


def test_service_cannot_reach_the_store_restricted_data_was_pushed_to(
    demo_inputs: list[Path], endpoint: Endpoint, oxigraph_url: str
) -> None:
    """The SSRF of issue #14: the endpoint must not proxy into the pushed store."""
    import httpx

    _push_once(demo_inputs, f"{oxigraph_url}/store", ())
    pattern = '{ GRAPH ?g { ?s <https://w3id.org/harmonize/model/dataset_id> "CLINIC-7" } }'
    assert _rows(f"{oxigraph_url}/query", f"SELECT ?s WHERE {pattern}")  # the data is there
    query = f"SELECT * WHERE {{ SERVICE <{oxigraph_url}/query> {pattern} }}"
    response = httpx.post(endpoint.sparql, data={"query": query}, timeout=60)
    assert response.status_code == 400
    assert "clinic" not in response.text
