"""Pure pieces of convert: literal parsing and the streaming serialisers."""

from __future__ import annotations

import io

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from harmonize.convert.literals import parse_literal, split_number_unit
from harmonize.convert.terms import Iri, Lit, format_for, make_writer
from harmonize.text.cells import is_missing

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("text", "datatype", "expected"),
    [
        ("54", "xsd:decimal", "54"),
        ("54,5", "xsd:decimal", "54.5"),
        ("45.0", "xsd:integer", "45"),
        ("2021/03/05", "xsd:date", "2021-03-05"),
        ("2021-03-05T10:00:00", "xsd:date", "2021-03-05"),
        ("Yes", "xsd:boolean", "true"),
        (" liver ", "xsd:string", "liver"),
    ],
)
def test_parse_literal(text: str, datatype: str, expected: str) -> None:
    assert parse_literal(text, datatype) == expected


@pytest.mark.parametrize(
    ("text", "datatype"),
    [
        ("abc", "xsd:decimal"),
        ("4.5", "xsd:integer"),
        ("05/03/2021", "xsd:date"),
        ("maybe", "xsd:boolean"),
        ("nan", "xsd:decimal"),
    ],
)
def test_parse_literal_rejects(text: str, datatype: str) -> None:
    with pytest.raises(ValueError):
        parse_literal(text, datatype)


def test_missing_and_units() -> None:
    assert is_missing("N/A") and is_missing(" n/a ") and is_missing("") and not is_missing("none")
    assert split_number_unit("6 months") == ("6", "months")
    assert split_number_unit("62 y.") == ("62", "y")
    assert split_number_unit("54") == ("54", None)
    assert split_number_unit("2x150") is None


def test_format_from_extension() -> None:
    assert format_for("a.nt", None) == "nt"
    assert format_for("a.jsonld", None) == "jsonld"
    assert format_for("a.ttl", None) == "ttl"
    assert format_for("a.ttl", "nt") == "nt"


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(_text, min_size=1, max_size=5),
    local=st.from_regex(r"[A-Za-z0-9_]{1,8}", fullmatch=True),
)
def test_writers_round_trip_any_literal(values: list[str], local: str) -> None:
    triples = [(f"https://x.org/r/{local}", "https://x.org/p", Lit(v)) for v in values] + [
        (
            f"https://x.org/r/{local}",
            "https://x.org/q",
            Iri(f"http://purl.obolibrary.org/obo/UBERON_{local}"),
        )
    ]
    triples.append((f"https://x.org/r/{local}", "https://x.org/n", Lit("5", XSD + "integer")))
    graphs = []
    for fmt, parse_as in (("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld")):
        buf = io.StringIO()
        writer = make_writer(
            fmt, buf, {"obo": "http://purl.obolibrary.org/obo/", "ex": "https://x.org/"}
        )  # type: ignore[arg-type]
        writer.write(triples)
        writer.close()
        graphs.append(rdflib.Graph().parse(data=buf.getvalue(), format=parse_as))
    expected = {rdflib.Literal(v) for v in values}
    assert set(graphs[0].objects(None, rdflib.URIRef("https://x.org/p"))) == expected
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])
