"""Pure pieces of convert: literal parsing and the streaming serialisers."""

from __future__ import annotations

import io

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from harmonize.conversion.literals import parse_literal, split_number_unit
from harmonize.conversion.terms import format_for, legacy_repr, literal, named, write_triples
from harmonize.text.values import is_missing

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
    assert is_missing("N/A") and is_missing(" n/a ") and is_missing("") and is_missing(".")
    # "not known" answers are data a schema may code (GDC's Unknown, Not Reported)
    assert not any(is_missing(v) for v in ("none", "Unknown", "Not Reported"))
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
    import pyoxigraph as ox

    subject, p = named(f"https://x.org/r/{local}"), named("https://x.org/p")
    triples = [ox.Triple(subject, p, literal(v)) for v in values] + [
        ox.Triple(
            subject,
            named("https://x.org/q"),
            named(f"http://purl.obolibrary.org/obo/UBERON_{local}"),
        ),
        ox.Triple(subject, named("https://x.org/n"), literal("5", XSD + "integer")),
    ]
    graphs = []
    for fmt, parse_as in (("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld")):
        buf = io.BytesIO()
        prefixes = {"obo": "http://purl.obolibrary.org/obo/", "ex": "https://x.org/"}
        write_triples(fmt, buf, iter(triples), prefixes)  # type: ignore[arg-type]
        graphs.append(rdflib.Graph().parse(data=buf.getvalue().decode(), format=parse_as))
    expected = {rdflib.Literal(v) for v in values}
    assert set(graphs[0].objects(None, rdflib.URIRef("https://x.org/p"))) == expected
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_iris_with_forbidden_characters_are_percent_encoded() -> None:
    assert named("https://x.org/r/a b").value == "https://x.org/r/a%20b"
    assert named("https://x.org/r/50%").value == "https://x.org/r/50%25"
    assert named("https://x.org/r/<x>").value == "https://x.org/r/%3Cx%3E"


def test_coding_digests_keep_the_text_of_earlier_releases() -> None:
    # coding-node IRIs hash this text: a change would rename every coding node
    assert legacy_repr(named("http://x.org/a")) == "Iri(value='http://x.org/a')"
    assert legacy_repr(literal("5")) == "Lit(value='5', datatype=None)"
    assert (
        legacy_repr(literal("5", XSD + "integer"))
        == "Lit(value='5', datatype='http://www.w3.org/2001/XMLSchema#integer')"
    )
