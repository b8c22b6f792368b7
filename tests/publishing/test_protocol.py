"""SPARQL protocol details a client relies on: CORS, 406, 400 that keeps the connection,
Graph Store reads, ``/query``, valid truncated answers; restricted graphs stay invisible
through each of them. A live ``harmonize serve`` in a subprocess."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph
import pytest
import rdflib
from tests.publishing.conftest import Endpoint, running_server
from tests.publishing.test_endpoint import CLINIC_GRAPH, RESTRICTED_GRAPH

from harmonize.publishing.vocab import CATALOG_GRAPH, ONTOLOGY_GRAPH

ORIGIN = "https://yasgui.example"
TISSUE_GRAPH = "https://w3id.org/harmonize/graph/mappings/tissue"
ALL_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def cors(demo_store: Path) -> Iterator[Endpoint]:
    with running_server(demo_store, "--cors-origin", ORIGIN, "--max-rows", "500") as live:
        yield live


def _graphs(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {row["g"]["value"] for row in response.json()["results"]["bindings"]}


# -- CORS -----------------------------------------------------------------------------
def test_cors_preflight_and_request_from_an_allowed_origin(cors: Endpoint) -> None:
    preflight = httpx.options(
        cors.sparql,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert "POST" in preflight.headers["access-control-allow-methods"]
    answer = httpx.get(cors.sparql, params={"query": ALL_GRAPHS}, headers={"Origin": ORIGIN})
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    assert "x-harmonize-truncated" in answer.headers["access-control-expose-headers"].lower()
    # a page of another origin gets no CORS grant at all
    other = httpx.get(
        cors.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_cors_never_lets_restricted_graphs_out(cors: Endpoint) -> None:
    anonymous = httpx.get(cors.sparql, params={"query": ALL_GRAPHS}, headers={"Origin": ORIGIN})
    graphs = _graphs(anonymous)
    assert ONTOLOGY_GRAPH in graphs
    assert CLINIC_GRAPH not in graphs and RESTRICTED_GRAPH not in graphs
    # credentials are never granted to a browser: a page must send the token itself
    assert "access-control-allow-credentials" not in anonymous.headers
    for url in (f"{cors.url}/store", cors.sparql):
        read = httpx.get(url, params={"graph": CLINIC_GRAPH}, headers={"Origin": ORIGIN})
        assert read.status_code == 404 and "UBERON" not in read.text
    with_token = httpx.get(
        cors.sparql,
        params={"query": ALL_GRAPHS},
        headers={"Origin": ORIGIN, "Authorization": f"Bearer {cors.token}"},
    )
    assert CLINIC_GRAPH in _graphs(with_token)


def test_options_is_answered_without_cors_too(endpoint: Endpoint) -> None:
    response = httpx.options(endpoint.sparql)
    assert response.status_code == 204
    assert "POST" in response.headers["allow"]
    preflight = httpx.options(
        endpoint.sparql, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


# -- status codes ------------------------------------------------------------------------
def test_unsupported_accept_is_406(endpoint: Endpoint) -> None:
    select = httpx.get(
        endpoint.sparql,
        params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"},
        headers={"Accept": "image/png"},
    )
    assert select.status_code == 406 and "application/sparql-results+json" in select.text
    construct = httpx.get(
        endpoint.sparql,
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
        headers={"Accept": "text/csv"},
    )
    assert construct.status_code == 406 and "text/turtle" in construct.text


def test_unknown_function_is_400_and_keeps_the_connection(endpoint: Endpoint) -> None:
    parts = urlsplit(endpoint.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        path = "/sparql?" + urlencode({"query": "SELECT (<urn:x:f>(1) AS ?x) WHERE {}"})
        connection.request("GET", path)
        first = connection.getresponse()
        body = first.read().decode()
        assert first.status == 400 and "not supported" in body
        assert not first.will_close
        socket_before = connection.sock
        connection.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}))
        second = connection.getresponse()
        assert second.status == 200 and b"true" in second.read()
        assert connection.sock is socket_before  # the same keep-alive connection
    finally:
        connection.close()


# -- Graph Store reads and /query ----------------------------------------------------------
def test_graph_store_get_serves_public_graphs_only(endpoint: Endpoint) -> None:
    catalog = {g["graph"]: g["triples"] for g in httpx.get(f"{endpoint.url}/graphs").json()}
    assert TISSUE_GRAPH in catalog and catalog[TISSUE_GRAPH] < 500
    for url in (endpoint.sparql, f"{endpoint.url}/store"):
        response = httpx.get(url, params={"graph": TISSUE_GRAPH}, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/turtle")
        assert (
            len(rdflib.Graph().parse(data=response.text, format="turtle")) == catalog[TISSUE_GRAPH]
        )
    for hidden in (CLINIC_GRAPH, RESTRICTED_GRAPH, CATALOG_GRAPH, "not an iri"):
        assert httpx.get(endpoint.sparql, params={"graph": hidden}).status_code == 404, hidden
    token = {"Authorization": f"Bearer {endpoint.token}"}
    shown = httpx.get(f"{endpoint.url}/store", params={"graph": CLINIC_GRAPH}, headers=token)
    assert shown.status_code == 200 and "UBERON_0001114" in shown.text
    internal = httpx.get(f"{endpoint.url}/store", params={"graph": CATALOG_GRAPH}, headers=token)
    assert internal.status_code == 404
    union = httpx.get(
        f"{endpoint.url}/store", params={"default": ""}, headers={"Accept": "application/n-triples"}
    )
    assert union.status_code == 200 and union.headers["X-Harmonize-Truncated"] == "true"
    assert "clinic" not in union.text
    assert (
        httpx.put(f"{endpoint.url}/store", params={"graph": TISSUE_GRAPH}, content=b"").status_code
        == 403
    )


def test_query_is_an_alias_of_sparql(endpoint: Endpoint) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    via_sparql = httpx.get(endpoint.sparql, params={"query": query}).json()
    via_query = httpx.post(f"{endpoint.url}/query", data={"query": query}).json()
    assert via_query == via_sparql


def test_truncated_xml_answer_is_valid_sparql_xml(endpoint: Endpoint) -> None:
    response = httpx.get(
        endpoint.sparql,
        params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.headers["X-Harmonize-Truncated"] == "true"
    assert response.headers["Warning"].startswith("199 harmonize")
    rows = pyoxigraph.parse_query_results(
        response.content, format=pyoxigraph.QueryResultsFormat.XML
    )
    assert len(list(rows)) == 500  # type: ignore[arg-type]
