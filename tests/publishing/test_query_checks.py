"""What the endpoint decides before evaluating a query: size and nesting, the parsed
dataset and SERVICE clauses, the answer format; and answers capped by bytes (pure
functions and the in-process query path)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from tests.publishing.conftest import PUBLISH_DATA

from harmonize.publishing.guard import nesting_depth
from harmonize.publishing.limits import (
    Limits,
    NotAcceptableError,
    QueryRefusedError,
    QueryRejectedError,
    service_allowed,
)
from harmonize.publishing.parsing import parse_query
from harmonize.publishing.query import run_query
from harmonize.publishing.results import write_solutions
from harmonize.publishing.store import PublishedStore

LIVER_GRAPH = "https://w3id.org/harmonize/graph/dataset/LIVER-2024"
CLINIC_GRAPH = "https://w3id.org/harmonize/graph/dataset/CLINIC-7"


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 1),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o = '{{{{((((') }", 2),
        ('SELECT * WHERE { ?s ?p """{{{\n{{{""" }', 1),
        ("SELECT * WHERE { ?s ?p ?o } # {{{{{{{{{{{{", 1),
        ("SELECT * WHERE { ?s <http://ex.org/a{b> ?o }", 2),  # no IRI holds "{": it counts
        ("SELECT * WHERE { ?s ?p <http://dbpedia.org/resource/Paris_(France)> }", 2),
        (r"SELECT * WHERE \u007B\u007B ?s ?p ?o } }", 2),  # escapes expanded first
        ("SELECT * WHERE { ?s ?p ?o FILTER(?a<((((?b))))>?c) }", 6),  # '<' as less-than
        ("SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, 3000),
    ],
)
def test_nesting_depth_skips_strings_and_comments_only(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth


def test_dataset_clauses_come_from_the_parsed_query() -> None:
    parsed = parse_query(
        "PREFIX g: <https://w3id.org/harmonize/graph/dataset/>\n"
        "BASE <https://w3id.org/harmonize/graph/dataset/>\n"
        f"# FROM <{CLINIC_GRAPH}>\n"  # a comment is no clause
        "SELECT * FROM g:LIVER-2024 FROM NAMED <DS-0001> WHERE { ?s ?p 'FROM <x:y>' }"
    )
    assert parsed.default_graphs == (LIVER_GRAPH,)
    assert parsed.named_graphs == ("https://w3id.org/harmonize/graph/dataset/DS-0001",)
    assert parsed.form == "select" and parsed.services == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }",
            ("http://127.0.0.1:7878/query",),
        ),
        ("select * { optional { service silent <http://a.org/s> {} } }", ("http://a.org/s",)),
        (r"SELECT * { \u0053ERVICE <http://a.org/s> {} }", ("http://a.org/s",)),
        ("SELECT * { { SELECT ?s { SERVICE ?where { ?s ?p ?o } } } }", (None,)),
        ("PREFIX e: <http://a.org/> ASK { SERVICE e:s {} }", ("http://a.org/s",)),
        ("SELECT * { ?s ?p 'SERVICE <http://a.org/s> {}' } # SERVICE <http://b.org/>", ()),
    ],
)
def test_every_service_clause_is_found(text: str, expected: tuple[str | None, ...]) -> None:
    assert parse_query(text).services == expected


def test_service_allow_list_matches_at_url_boundaries() -> None:
    allow = ("https://query.wikidata.org/sparql", "http://127.0.0.1:7878/")
    assert service_allowed("https://query.wikidata.org/sparql", allow)
    assert service_allowed("https://query.wikidata.org/sparql?x=1", allow)
    assert service_allowed("http://127.0.0.1:7878/query", allow)
    assert not service_allowed("https://query.wikidata.org/sparql-other", allow)
    assert not service_allowed("http://127.0.0.1:78780/query", allow)
    assert not service_allowed("http://127.0.0.1:7879/query", ())


def test_updates_are_told_from_syntax_errors() -> None:
    with pytest.raises(QueryRefusedError, match="read-only"):
        parse_query("PREFIX ex: <http://ex.org/>\n# hi\nDELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryRejectedError, match="syntax") as info:
        parse_query("SELECT WHERE {")
    assert "\n" not in str(info.value)
    with pytest.raises(QueryRejectedError, match="prefix"):
        parse_query("SELECT * FROM nope:graph WHERE { ?s ?p ?o }")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> PublishedStore:
    from harmonize.publishing.api import publish_files

    folder = tmp_path_factory.mktemp("checks") / "store"
    publish_files(
        [PUBLISH_DATA / "liver_study.ttl", PUBLISH_DATA / "clinic_restricted.ttl"], folder
    )
    return PublishedStore.open(folder)


def _count(store: PublishedStore, query: str, *, authorized: bool = False) -> int:
    outcome = run_query(store, query, authorized=authorized, select_format="json")
    rows = json.loads(outcome.body)["results"]["bindings"]
    return int(rows[0]["n"]["value"])


def test_from_narrows_by_prefixed_name_and_never_by_a_comment(store: PublishedStore) -> None:
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    liver = f"SELECT (COUNT(*) AS ?n) FROM <{LIVER_GRAPH}> WHERE {{ ?s ?p ?o }}"
    pname = (
        "PREFIX g: <https://w3id.org/harmonize/graph/dataset/>\n"
        "SELECT (COUNT(*) AS ?n) FROM g:LIVER-2024 WHERE { ?s ?p ?o }"
    )
    commented = f"# FROM <{LIVER_GRAPH}>\n" + everything
    total, narrowed = _count(store, everything), _count(store, liver)
    assert 0 < narrowed < total  # the ontology-terms graph is public too
    assert _count(store, pname) == narrowed
    assert _count(store, commented) == total
    # a restricted graph named by a prefixed name stays invisible without the token
    hidden = (
        "PREFIX g: <https://w3id.org/harmonize/graph/dataset/>\n"
        "SELECT (COUNT(*) AS ?n) FROM g:CLINIC-7 WHERE { ?s ?p ?o }"
    )
    assert _count(store, hidden) == 0
    assert _count(store, hidden, authorized=True) > 0


def test_unknown_function_and_unsupported_format_are_client_errors(
    store: PublishedStore,
) -> None:
    with pytest.raises(QueryRejectedError, match="not supported"):
        run_query(store, "SELECT (<urn:f>(1) AS ?x) WHERE {}", authorized=False)
    with pytest.raises(NotAcceptableError):
        run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }", authorized=False, graph_format=None)
    with pytest.raises(QueryRejectedError, match="SERVICE"):
        run_query(store, "SELECT * { SERVICE <http://127.0.0.1:9/> {} }", authorized=False)


def test_result_bytes_are_capped_at_a_row_boundary(store: PublishedStore) -> None:
    limits = Limits(max_result_bytes=4096)
    outcome = run_query(store, "SELECT * WHERE { ?s ?p ?o }", authorized=True, limits=limits)
    assert outcome.truncated and len(outcome.body) <= 4096
    assert outcome.note is not None and "4,096 bytes" in outcome.note
    rows = list(ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON))  # type: ignore[arg-type]
    assert len(rows) == outcome.rows > 0
    # one value larger than the cap: no row, still a valid answer that says so
    bomb = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    outcome = run_query(store, bomb, authorized=True, limits=Limits(max_result_bytes=600))
    assert outcome.truncated and outcome.rows == 0
    assert json.loads(outcome.body)["head"]["link"]
    for fmt in ("xml", "csv", "tsv"):
        body = run_query(
            store, "SELECT * WHERE { ?s ?p ?o }", authorized=True, select_format=fmt, limits=limits
        ).body
        assert len(body) <= 4096, fmt
    xml = run_query(
        store, "SELECT * WHERE { ?s ?p ?o }", authorized=True, select_format="xml", limits=limits
    ).body
    assert len(list(ox.parse_query_results(xml, format=ox.QueryResultsFormat.XML))) > 0  # type: ignore[arg-type]


def test_writer_never_exceeds_the_byte_cap_for_any_size() -> None:
    variables = ["s"]
    rows = [[ox.Literal("x" * n)] for n in range(0, 300, 7)]
    for cap in (200, 300, 1000, 5000):
        written = write_solutions(variables, rows, "json", max_rows=1000, max_bytes=cap,
                                  note=lambda cause, n: f"cut by {cause} after {n}")  # fmt: skip
        assert len(written.body) <= cap
        assert json.loads(written.body)["results"]["bindings"] is not None


def test_mapping_set_with_a_bad_subject_iri_names_file_row_and_column(tmp_path: Path) -> None:
    from harmonize.errors import MappingFileError
    from harmonize.publishing.api import publish_files

    for bad in ("local:rt lobe", "local:<x>"):
        path = tmp_path / "bad.sssom.tsv"
        path.write_text(
            "#curie_map:\n#  local: https://ex.org/local/\n"
            "#  UBERON: http://purl.obolibrary.org/obo/UBERON_\n"
            "#mapping_set_id: https://ex.org/mappings/t\n"
            "#license: https://creativecommons.org/publicdomain/zero/1.0/\n"
            "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"
            "local:liver\tskos:exactMatch\tUBERON:0002107\tsemapv:LexicalMatching\n"
            f"{bad}\tskos:exactMatch\tUBERON:0001114\tsemapv:LexicalMatching\n",
            encoding="utf-8",
        )
        with pytest.raises(MappingFileError) as info:
            publish_files([path], tmp_path / "store")
        message = str(info.value)
        assert "bad.sssom.tsv" in message and "row 2" in message and "subject_id" in message
        assert bad in message and "\n" not in message
