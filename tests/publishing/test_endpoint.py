"""The published demo output through the live SPARQL endpoint, with independent clients.

Expected answers are computed separately: counts with rdflib over the input files,
hierarchy membership with harmonize's ontology index — never with the endpoint itself.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pyoxigraph
import pytest
import rdflib
from pyoxigraph import QueryResultsFormat
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException
from tests.publishing.conftest import Endpoint

HMZ = "https://w3id.org/harmonize/model/"
PREFIXES = f"""PREFIX hmz: <{HMZ}>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sssom: <https://w3id.org/sssom/>
"""
LIVER = "http://purl.obolibrary.org/obo/UBERON_0002107"
RESTRICTED_GRAPH = "https://w3id.org/harmonize/graph/dataset/DS-0002"
CLINIC_GRAPH = "https://w3id.org/harmonize/graph/dataset/CLINIC-7"


def client(endpoint: Endpoint, *, token: str | None = None, fmt: str = JSON) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(endpoint.sparql)
    wrapper.setReturnFormat(fmt)
    if token:
        wrapper.addCustomHttpHeader("Authorization", f"Bearer {token}")
    return wrapper


def select(endpoint: Endpoint, query: str, *, token: str | None = None) -> list[dict[str, str]]:
    wrapper = client(endpoint, token=token)
    wrapper.setQuery(PREFIXES + query)
    data = wrapper.queryAndConvert()
    assert isinstance(data, dict)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


@pytest.fixture(scope="module")
def source_graph(demo_inputs: list[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in demo_inputs:
        if path.suffix == ".ttl":
            graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def expected_samples(source_graph: rdflib.Graph) -> dict[str, set[str]]:
    """Biosample IRIs -> tissue, all of them and the public ones (rdflib, not the endpoint)."""
    rows = source_graph.query(
        PREFIXES
        + """SELECT ?s ?tissue ?access WHERE { ?s a hmz:Biosample .
             OPTIONAL { ?s hmz:tissue ?tissue }
             OPTIONAL { ?s hmz:part_of_dataset/hmz:access_level ?access } }"""
    )
    out: dict[str, set[str]] = {"all": set(), "public": set()}
    for s, _tissue, access in rows:  # type: ignore[misc]
        out["all"].add(str(s))
        if str(access) != "restricted":
            out["public"].add(str(s))
    return out


def test_sample_counts_public_and_with_token(
    endpoint: Endpoint, expected_samples: dict[str, set[str]]
) -> None:
    query = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hmz:Biosample }"
    public = int(select(endpoint, query)[0]["n"])
    everything = int(select(endpoint, query, token=endpoint.token)[0]["n"])
    assert public == len(expected_samples["public"])
    assert everything == len(expected_samples["all"])
    assert public < everything  # the demo has a restricted dataset


def test_mapping_sets_are_queryable(endpoint: Endpoint) -> None:
    rows = select(
        endpoint,
        """SELECT ?subject ?object WHERE { ?m a sssom:Mapping ; sssom:subject_id ?subject ;
             sssom:object_id ?object ; sssom:subject_label "rt lobe liver" }""",
    )
    assert rows == [
        {
            "subject": "https://data.example.org/liver-study/local/tissue/rt_lobe_liver",
            "object": "http://purl.obolibrary.org/obo/UBERON_0001114",
        }
    ]
    # a rejected mapping (predicate_modifier Not) never becomes a direct skos triple
    direct = select(
        endpoint,
        """SELECT ?o WHERE { <https://data.example.org/liver-study/local/tissue/kidney>
             <http://www.w3.org/2004/02/skos/core#exactMatch> ?o }""",
    )
    assert direct == []


@pytest.mark.parametrize("root", [LIVER, "http://purl.obolibrary.org/obo/UBERON_0000062"])
def test_hierarchy_query_matches_the_ontology_index(
    endpoint: Endpoint, source_graph: rdflib.Graph, root: str
) -> None:
    from harmonize.ontology.cache import load_index
    from harmonize.publishing.terms import default_ontology_file

    uberon = load_index(default_ontology_file("UBERON"))  # type: ignore[arg-type]
    root_id = "UBERON:" + root.rsplit("_", 1)[1]
    expected = set()
    for sample, tissue in source_graph.query(
        PREFIXES + "SELECT ?s ?t WHERE { ?s a hmz:Biosample ; hmz:tissue ?t }"
    ):  # type: ignore[misc]
        tissue_id = "UBERON:" + str(tissue).rsplit("_", 1)[1]
        access = list(source_graph.objects(None, rdflib.URIRef(HMZ + "access_level")))
        assert access  # datasets carry their access level
        if uberon.is_under(tissue_id, [root_id]):
            expected.add((str(sample), str(tissue)))
    got = select(
        endpoint,
        f"""SELECT ?s ?t WHERE {{ ?s a hmz:Biosample ; hmz:tissue ?t .
              ?t (rdfs:subClassOf|obo:BFO_0000050)* <{root}> }}""",
        token=endpoint.token,
    )
    assert {(r["s"], r["t"]) for r in got} == expected
    assert any(t != root for _, t in expected), "the hierarchy must matter for this root"


def test_right_lobe_sample_found_under_liver_only_through_part_of(endpoint: Endpoint) -> None:
    rows = select(
        endpoint,
        f"""SELECT ?label WHERE {{ <https://data.example.org/liver-study/sample-S02> hmz:tissue ?t .
              ?t rdfs:label ?label ; (rdfs:subClassOf|obo:BFO_0000050)+ <{LIVER}> }}""",
    )
    assert rows == [{"label": "right lobe of liver"}]


def test_restricted_graphs_invisible_without_token(endpoint: Endpoint) -> None:
    graphs = {
        r["g"] for r in select(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    }
    assert "https://w3id.org/harmonize/graph/dataset/DS-0001" in graphs
    assert RESTRICTED_GRAPH not in graphs
    assert CLINIC_GRAPH not in graphs
    assert not any("internal" in g for g in graphs)  # catalog and staging stay hidden
    # naming the graph does not help, nor FROM
    assert select(endpoint, f"SELECT * WHERE {{ GRAPH <{CLINIC_GRAPH}> {{ ?s ?p ?o }} }}") == []
    assert select(endpoint, f"SELECT * FROM <{CLINIC_GRAPH}> WHERE {{ ?s ?p ?o }}") == []
    assert select(endpoint, 'SELECT ?s WHERE { ?s hmz:dataset_id "CLINIC-7" }') == []
    # DESCRIBE and CONSTRUCT see nothing of it either
    for query in (
        "DESCRIBE <https://data.example.org/clinic/sample-B1>",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s hmz:part_of_dataset <https://data.example.org/clinic/dataset> ; ?p ?o }",
    ):
        wrapper = client(endpoint, fmt=TURTLE)
        wrapper.setQuery(PREFIXES + query)
        body = wrapper.query().convert()
        graph = rdflib.Graph().parse(data=body, format="turtle")
        assert len(graph) == 0, query
    # ASK too
    ask = client(endpoint)
    ask.setQuery(PREFIXES + 'ASK { ?s hmz:biosample_id "B1" }')
    assert ask.queryAndConvert()["boolean"] is False  # type: ignore[index]


def test_restricted_graphs_visible_with_token(endpoint: Endpoint) -> None:
    token = endpoint.token
    graphs = {
        r["g"]
        for r in select(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", token=token)
    }
    assert {RESTRICTED_GRAPH, CLINIC_GRAPH} <= graphs
    rows = select(endpoint, 'SELECT ?s WHERE { ?s hmz:dataset_id "CLINIC-7" }', token=token)
    assert rows == [{"s": "https://data.example.org/clinic/dataset"}]
    wrapper = client(endpoint, token=token, fmt=TURTLE)
    wrapper.setQuery("DESCRIBE <https://data.example.org/clinic/sample-B1>")
    graph = rdflib.Graph().parse(data=wrapper.query().convert(), format="turtle")
    assert (
        rdflib.URIRef("https://data.example.org/clinic/sample-B1"),
        rdflib.URIRef(HMZ + "tissue"),
        rdflib.URIRef("http://purl.obolibrary.org/obo/UBERON_0001114"),
    ) in graph


def test_wrong_token_is_rejected_not_downgraded(endpoint: Endpoint) -> None:
    response = httpx.get(
        endpoint.sparql,
        params={"query": "ASK {}"},
        headers={"Authorization": "Bearer not-the-token-at-all"},
    )
    assert response.status_code == 401
    assert "token" in response.text


@pytest.mark.parametrize(
    ("kind", "request_kwargs"),
    [
        ("form", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        (
            "sparql-update",
            {
                "content": "DROP ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
        ),
        ("query-param", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
    ],
)
def test_updates_are_refused(endpoint: Endpoint, kind: str, request_kwargs: dict) -> None:  # type: ignore[type-arg]
    before = select(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", token=endpoint.token)
    response = httpx.post(endpoint.sparql, **request_kwargs)
    assert response.status_code == 403, kind
    assert "read-only" in response.text
    after = select(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", token=endpoint.token)
    assert before == after
    # SPARQLWrapper's own update path is refused too
    wrapper = SPARQLWrapper(endpoint.sparql)
    wrapper.setMethod("POST")
    wrapper.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, Exception)):
        wrapper.query()


def test_result_formats_by_content_negotiation(endpoint: Endpoint) -> None:
    query = (
        PREFIXES
        + 'SELECT ?id WHERE { ?s hmz:biosample_id ?id FILTER(STRSTARTS(?id, "S0")) } ORDER BY ?id'
    )
    wrapper = client(endpoint, fmt=CSV)
    wrapper.setQuery(query)
    csv_text = wrapper.query().convert().decode()
    assert csv_text.splitlines()[:3] == ["id", "S01", "S02"]
    wrapper = client(endpoint, fmt=XML)
    wrapper.setQuery(query)
    xml = wrapper.query().convert()
    assert len(xml.getElementsByTagName("result")) == 6  # type: ignore[union-attr]
    tsv = httpx.get(
        endpoint.sparql, params={"query": query}, headers={"Accept": "text/tab-separated-values"}
    )
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text.splitlines()[1] == '"S01"'
    construct = (
        PREFIXES
        + 'CONSTRUCT { ?s hmz:tissue ?t } WHERE { ?s hmz:tissue ?t ; hmz:biosample_id ?id FILTER(STRSTARTS(?id, "S0")) }'
    )
    graphs = []
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ):
        response = httpx.get(
            endpoint.sparql, params={"query": construct}, headers={"Accept": accept}
        )
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(accept)
        graphs.append(rdflib.Graph().parse(data=response.text, format=fmt))
    assert len(graphs[0]) == 6
    from rdflib.compare import isomorphic

    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_result_cap_is_reported_never_silent(endpoint: Endpoint) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    response = httpx.get(
        endpoint.sparql,
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.headers["X-Harmonize-Result-Limit"] == "500"
    assert response.headers["X-Harmonize-Truncated"] == "true"
    assert "truncated" in response.headers["Warning"]
    data = response.json()
    assert len(data["results"]["bindings"]) == 500
    assert set(data) == {"head", "results"}  # no extra top-level member
    assert data["head"]["link"] == ["https://w3id.org/harmonize/note/result-truncated"]
    # a strict SPARQL results parser (Oxigraph's) reads the truncated answer
    parsed = pyoxigraph.parse_query_results(response.content, format=QueryResultsFormat.JSON)
    assert len(list(parsed)) == 500  # type: ignore[arg-type]
    small = httpx.get(endpoint.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert small.headers["X-Harmonize-Truncated"] == "false"
    assert "Warning" not in small.headers


def test_post_query_forms(endpoint: Endpoint) -> None:
    query = PREFIXES + 'SELECT ?s WHERE { ?s hmz:biosample_id "S01" }'
    direct = httpx.post(
        endpoint.sparql, content=query, headers={"Content-Type": "application/sparql-query"}
    )
    form = httpx.post(endpoint.sparql, data={"query": query})
    assert direct.status_code == form.status_code == 200
    assert direct.json()["results"] == form.json()["results"]
    assert len(direct.json()["results"]["bindings"]) == 1
    bad = httpx.post(endpoint.sparql, data={"query": "SELECT WHERE {"})
    assert bad.status_code == 400 and "syntax" in bad.text.lower()


def test_query_page_void_and_service_description(endpoint: Endpoint) -> None:
    page = httpx.get(f"{endpoint.url}/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Samples from any part of the liver" in page.text
    assert CLINIC_GRAPH not in page.text
    void = rdflib.Graph().parse(data=httpx.get(f"{endpoint.url}/void").text, format="turtle")
    subsets = {str(o) for o in void.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#subset"))}
    assert "https://w3id.org/harmonize/graph/dataset/DS-0001" in subsets
    assert CLINIC_GRAPH not in subsets and RESTRICTED_GRAPH not in subsets
    void_token = httpx.get(
        f"{endpoint.url}/.well-known/void", headers={"Authorization": f"Bearer {endpoint.token}"}
    )
    assert CLINIC_GRAPH in void_token.text
    sd = httpx.get(endpoint.sparql, headers={"Accept": "text/turtle"})
    sd_graph = rdflib.Graph().parse(data=sd.text, format="turtle")
    sd_ns = "http://www.w3.org/ns/sparql-service-description#"
    assert (
        rdflib.URIRef(endpoint.sparql),
        rdflib.URIRef(sd_ns + "supportedLanguage"),
        rdflib.URIRef(sd_ns + "SPARQL11Query"),
    ) in sd_graph


def test_records_dereference_by_accept(endpoint: Endpoint) -> None:
    iri = "https://data.example.org/liver-study/sample-S01"
    html = httpx.get(
        f"{endpoint.url}/resource", params={"iri": iri}, headers={"Accept": "text/html"}
    )
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "UBERON_0002107" in html.text
    turtle = httpx.get(
        f"{endpoint.url}/resource", params={"iri": iri}, headers={"Accept": "text/turtle"}
    )
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.URIRef(HMZ + "biosample_id"), rdflib.Literal("S01")) in graph
    jsonld = httpx.get(
        f"{endpoint.url}/resource", params={"iri": iri}, headers={"Accept": "application/ld+json"}
    )
    assert any(node.get("@id") == iri for node in json.loads(jsonld.text))
    hidden = "https://data.example.org/clinic/sample-B1"
    assert httpx.get(f"{endpoint.url}/resource", params={"iri": hidden}).status_code == 404
    shown = httpx.get(
        f"{endpoint.url}/resource",
        params={"iri": hidden},
        headers={"Accept": "text/turtle", "Authorization": f"Bearer {endpoint.token}"},
    )
    assert shown.status_code == 200 and "UBERON_0001114" in shown.text


def test_demo_records_resolve_with_provenance(endpoint: Endpoint) -> None:
    rows = select(
        endpoint,
        "SELECT ?s ?src WHERE { ?s a hmz:Biosample ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src } LIMIT 1",
    )
    assert rows and rows[0]["src"]
    response = httpx.get(
        f"{endpoint.url}/resource", params={"iri": rows[0]["s"]}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert len(rdflib.Graph().parse(data=response.text, format="turtle")) > 3


def test_time_cap_answers_503_with_the_limit(
    demo_output: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.publishing.conftest import harmonize, running_server

    store = tmp_path_factory.mktemp("slow") / "store"
    result = harmonize("publish", str(demo_output / "harmonized.ttl"), "--store", str(store))
    assert result.returncode == 0, result.stderr
    with running_server(store, "--timeout", "1", "--max-rows", "100000000") as slow:
        start = time.monotonic()
        response = httpx.get(
            slow.sparql,
            params={"query": "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?c FILTER(?a != ?d) }"},
            timeout=60,
        )
        assert response.status_code == 503
        assert "time limit of 1 s" in response.text
        assert response.headers["X-Harmonize-Time-Limit"] == "1"
        assert time.monotonic() - start < 30
        quick = httpx.get(slow.sparql, params={"query": "ASK { ?s ?p ?o }"})
        assert quick.status_code == 200
