"""Ontology terms only restricted data uses stay as hidden as that data.

The clinic fixture (restricted) records a donor with autoimmune hepatitis (MONDO:0016264),
which no public fixture or demo dataset uses; both the clinic and the liver study use the
liver (UBERON:0002107); liver disease (MONDO:0005154) is an ancestor of the liver study's
hepatocellular carcinoma, so it is public hierarchy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import TURTLE
from tests.publishing.conftest import PUBLISH_DATA, Endpoint, harmonize
from tests.publishing.test_endpoint import PREFIXES, client, select

from harmonize.errors import PrivacyError
from harmonize.publishing.api import publish_files, push_files
from harmonize.publishing.query import run_query
from harmonize.publishing.store import PublishedStore
from harmonize.publishing.vocab import ONTOLOGY_GRAPH, ONTOLOGY_RESTRICTED_GRAPH

OBO = "http://purl.obolibrary.org/obo/"
HIDDEN = f"{OBO}MONDO_0016264"  # autoimmune hepatitis: clinic (restricted) only
SHARED = f"{OBO}UBERON_0002107"  # liver: clinic and liver study
ANCESTOR = f"{OBO}MONDO_0005154"  # liver disease: above the public HCC
HZ_USES = "https://w3id.org/harmonize/catalog/uses"
CLINIC_DONOR = "https://data.example.org/clinic/donor-P1"
LIVER = PUBLISH_DATA / "liver_study.ttl"
CLINIC = PUBLISH_DATA / "clinic_restricted.ttl"
UNDER_LIVER_DISEASE = f"""SELECT DISTINCT ?d WHERE {{ ?d hmz:disease ?x .
    ?x (rdfs:subClassOf|obo:BFO_0000050)* <{ANCESTOR}> }}"""


def _describe(endpoint: Endpoint, iri: str, token: str | None = None) -> rdflib.Graph:
    wrapper = client(endpoint, token=token, fmt=TURTLE)
    wrapper.setQuery(f"DESCRIBE <{iri}>")
    body = wrapper.query().convert()
    assert isinstance(body, (bytes, str))
    return rdflib.Graph().parse(data=body, format="turtle")


# -- through the live endpoint (demo + fixtures) -------------------------------------------
def test_restricted_only_term_is_invisible_anonymously(endpoint: Endpoint) -> None:
    assert select(endpoint, f"SELECT * WHERE {{ <{HIDDEN}> ?p ?o }}") == []
    assert select(endpoint, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{HIDDEN}> ?p ?o }} }}") == []
    assert select(endpoint, f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p <{HIDDEN}> }} }}") == []
    assert select(endpoint, 'SELECT ?t WHERE { ?t rdfs:label "autoimmune hepatitis" }') == []
    assert len(_describe(endpoint, HIDDEN)) == 0
    graphs = {r["g"] for r in select(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
    graphs |= {
        r["g"] for r in select(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    }
    assert ONTOLOGY_GRAPH in graphs and ONTOLOGY_RESTRICTED_GRAPH not in graphs


def test_restricted_only_term_is_visible_with_the_token(endpoint: Endpoint) -> None:
    token = endpoint.token
    rows = select(
        endpoint, f"SELECT ?g ?l WHERE {{ GRAPH ?g {{ <{HIDDEN}> rdfs:label ?l }} }}", token=token
    )
    assert rows == [{"g": ONTOLOGY_RESTRICTED_GRAPH, "l": "autoimmune hepatitis"}]
    described = _describe(endpoint, HIDDEN, token)
    label = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert (rdflib.URIRef(HIDDEN), label, rdflib.Literal("autoimmune hepatitis")) in described


def test_shared_and_ancestor_terms_stay_public(endpoint: Endpoint) -> None:
    for iri, label in ((SHARED, "liver"), (ANCESTOR, "liver disorder")):
        rows = select(endpoint, f"SELECT ?g ?l WHERE {{ GRAPH ?g {{ <{iri}> rdfs:label ?l }} }}")
        assert rows == [{"g": ONTOLOGY_GRAPH, "l": label}], iri
        # and only once with the token: the restricted terms graph does not repeat it
        rows = select(
            endpoint, f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}", token=endpoint.token
        )
        assert rows == [{"l": label}], iri


def test_hierarchy_query_spans_both_terms_graphs_with_the_token(endpoint: Endpoint) -> None:
    public = {r["d"] for r in select(endpoint, UNDER_LIVER_DISEASE)}
    everything = {r["d"] for r in select(endpoint, UNDER_LIVER_DISEASE, token=endpoint.token)}
    assert "https://data.example.org/liver-study/donor-D01" in public  # HCC, public
    assert CLINIC_DONOR not in public
    # autoimmune hepatitis -> ... -> liver disease: restricted terms graph, then public one
    assert CLINIC_DONOR in everything and public < everything


# -- the embedded store, in process ------------------------------------------------------
def _visible(store: PublishedStore, query: str, *, authorized: bool) -> list[str]:
    outcome = run_query(store, PREFIXES + query, authorized=authorized, select_format="tsv")
    return outcome.body.decode().splitlines()[1:]


def _graphs_of(store: PublishedStore, iri: str, *, authorized: bool) -> set[str]:
    rows = _visible(
        store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}", authorized=authorized
    )
    return {r.strip("<>") for r in rows}


def test_republishing_public_data_as_restricted_takes_its_terms_along(tmp_path: Path) -> None:
    data = tmp_path / "aih.ttl"
    data.write_text(
        CLINIC.read_text(encoding="utf-8").replace('hmz:access_level "restricted"', ""),
        encoding="utf-8",
    )
    store_dir = tmp_path / "store"
    publish_files([LIVER, data], store_dir)
    store = PublishedStore.open(store_dir)
    assert _graphs_of(store, HIDDEN, authorized=False) == {ONTOLOGY_GRAPH}
    store.close()
    publish_files([data], store_dir, restricted=True)
    store = PublishedStore.open(store_dir)
    assert _graphs_of(store, HIDDEN, authorized=False) == set()
    assert _graphs_of(store, HIDDEN, authorized=True) == {ONTOLOGY_RESTRICTED_GRAPH}
    assert _graphs_of(store, SHARED, authorized=False) == {ONTOLOGY_GRAPH}
    info = {g.iri: g for g in store.graphs()}
    assert info[ONTOLOGY_RESTRICTED_GRAPH].restricted and not info[ONTOLOGY_GRAPH].restricted
    # unpublishing the dataset drops its terms too
    clinic_graph = next(g.iri for g in store.graphs() if g.iri.endswith("CLINIC-7"))
    assert store.remove(clinic_graph)
    assert _graphs_of(store, HIDDEN, authorized=True) == set()
    assert ONTOLOGY_RESTRICTED_GRAPH not in {g.iri for g in store.graphs()}


def test_a_public_dataset_split_from_a_mixed_file_uses_only_its_own_terms(
    tmp_path: Path,
) -> None:
    from harmonize.publishing.loader import read_input

    combined = tmp_path / "combined.ttl"
    combined.write_text(
        LIVER.read_text(encoding="utf-8")
        + "\n".join(
            line.replace("ex:", "clinic:")
            for line in CLINIC.read_text(encoding="utf-8").splitlines()
            if not line.startswith("@prefix ex:")
        ).replace(
            "@prefix hmz:", "@prefix clinic: <https://data.example.org/clinic/> .\n@prefix hmz:"
        ),
        encoding="utf-8",
    )
    split = {g.graph.rsplit("/", 1)[1]: g for g in read_input(combined)}
    assert "MONDO:0016264" in split["CLINIC-7"].terms
    assert "MONDO:0016264" not in split["LIVER-2024"].terms
    publish_files([combined], tmp_path / "store")
    store = PublishedStore.open(tmp_path / "store")
    assert _graphs_of(store, HIDDEN, authorized=False) == set()
    assert _graphs_of(store, HIDDEN, authorized=True) == {ONTOLOGY_RESTRICTED_GRAPH}


def _mapping_set(path: Path) -> Path:
    path.write_text(
        "#curie_map:\n"
        "#  MONDO: http://purl.obolibrary.org/obo/MONDO_\n"
        "#  local: https://data.example.org/clinic/local/\n"
        "#mapping_set_id: https://data.example.org/clinic/mappings/disease\n"
        "#license: https://creativecommons.org/publicdomain/zero/1.0/\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\tsubject_label\n"
        "local:disease/aih\tskos:exactMatch\tMONDO:0016264\tsemapv:LexicalMatching\tAIH\n",
        encoding="utf-8",
    )
    return path


def test_public_mapping_set_naming_a_restricted_only_term_is_refused(tmp_path: Path) -> None:
    mappings = _mapping_set(tmp_path / "disease.sssom.tsv")
    store_dir = tmp_path / "store"
    with pytest.raises(PrivacyError, match=r"MONDO:0016264.*--restricted"):
        publish_files([LIVER, CLINIC, mappings], store_dir)
    # also when the restricted dataset was published by an earlier run
    publish_files([LIVER, CLINIC], store_dir)
    with pytest.raises(PrivacyError, match="MONDO:0016264"):
        publish_files([mappings], store_dir)
    result = harmonize("publish", str(mappings), "--store", str(store_dir))
    assert result.returncode != 0 and "disease.sssom.tsv" in result.stderr
    assert "Traceback" not in result.stderr
    # published restricted, the mapping set and the term stay hidden
    publish_files([mappings], store_dir, restricted=True)
    store = PublishedStore.open(store_dir)
    assert _graphs_of(store, HIDDEN, authorized=False) == set()
    assert _visible(store, 'SELECT ?s WHERE { ?s ?p "AIH" }', authorized=False) == []
    assert len(_visible(store, 'SELECT ?s WHERE { ?s ?p "AIH" }', authorized=True)) == 1
    # and a push is refused the same way, before any request is made
    with pytest.raises(PrivacyError, match="MONDO:0016264"):
        push_files([CLINIC, mappings], "http://127.0.0.1:9/store", include_restricted=True)


def test_push_sends_restricted_terms_only_with_include_restricted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from harmonize.publishing import gsp

    sent: dict[str, set[str]] = {}

    def fake_push(url: str, graph: str, triples, **_: object) -> gsp.PushResult:  # type: ignore[no-untyped-def]
        rows = list(triples)
        sent.setdefault(graph, set()).update(t.subject.value for t in rows)
        return gsp.PushResult(graph, len(rows), 1)

    monkeypatch.setattr(gsp, "push_graph", fake_push)
    push_files([LIVER], "http://127.0.0.1:9/store")
    assert ONTOLOGY_RESTRICTED_GRAPH not in sent and HIDDEN not in sent[ONTOLOGY_GRAPH]
    assert SHARED in sent[ONTOLOGY_GRAPH]
    sent.clear()
    push_files([LIVER, CLINIC], "http://127.0.0.1:9/store", include_restricted=True)
    assert HIDDEN in sent[ONTOLOGY_RESTRICTED_GRAPH]
    assert HIDDEN not in sent[ONTOLOGY_GRAPH]
    assert SHARED in sent[ONTOLOGY_GRAPH] and SHARED not in sent[ONTOLOGY_RESTRICTED_GRAPH]
    assert ANCESTOR in sent[ONTOLOGY_GRAPH]


def test_a_store_published_before_term_uses_gets_them_on_republish(tmp_path: Path) -> None:
    from harmonize.publishing.loader import read_input
    from harmonize.publishing.vocab import CATALOG_GRAPH

    publish_files([LIVER], tmp_path / "store")
    store = PublishedStore.open(tmp_path / "store")
    assert _graphs_of(store, SHARED, authorized=False) == {ONTOLOGY_GRAPH}
    store.store.update(  # what an older harmonize left: no uses in the catalog
        f"DELETE WHERE {{ GRAPH <{CATALOG_GRAPH}> {{ ?g <{HZ_USES}> ?u }} }}"
    )
    store.add_terms([])
    assert store.uses() == {} and _graphs_of(store, SHARED, authorized=False) == set()
    again = store.publish(read_input(LIVER)[0])  # same file: skipped, but uses recorded
    assert again.unchanged
    assert _graphs_of(store, SHARED, authorized=False) == {ONTOLOGY_GRAPH}
