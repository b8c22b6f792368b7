"""Content negotiation and query-form detection (pure functions)."""

from __future__ import annotations

import pytest

from harmonize.publishing.negotiate import graph_format, select_format, wants_html
from harmonize.publishing.parsing import is_update as looks_like_update


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "tsv"),
        ("text/csv;q=0.9, application/sparql-results+json;q=0.1", "csv"),
        ("text/*", "csv"),
        ("image/png", None),
    ],
)
def test_select_format(accept: str | None, expected: str | None) -> None:
    assert select_format(accept) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "turtle"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "ntriples"),
        ("application/rdf+xml;q=0.2, text/turtle;q=0.8", "turtle"),
    ],
)
def test_graph_format(accept: str | None, expected: str) -> None:
    assert graph_format(accept) == expected


def test_format_parameter_wins() -> None:
    assert select_format("text/csv", "json") == "json"
    assert graph_format("text/turtle", "nt") == "ntriples"


def test_browser_gets_html_rdf_clients_do_not() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert wants_html(browser)
    assert not wants_html("text/turtle")
    assert not wants_html("application/ld+json, text/html;q=0.5")


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "PREFIX ex: <http://ex.org/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
        "drop all",
        "BASE <http://ex.org/> LOAD <http://ex.org/x.ttl>",
    ],
)
def test_updates_detected(text: str) -> None:
    assert looks_like_update(text)


@pytest.mark.parametrize(
    "text",
    ["SELECT * WHERE { ?s ?p ?o }", "PREFIX insert: <http://ex.org/> ASK { ?s insert:p ?o }"],
)
def test_queries_not_mistaken_for_updates(text: str) -> None:
    assert not looks_like_update(text)
