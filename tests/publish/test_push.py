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
from tests.publish.conftest import Endpoint, harmonize

from harmonize.publish.gsp import PushAuth, push_graph

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
