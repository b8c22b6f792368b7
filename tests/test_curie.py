"""CURIE/IRI conversion through curies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.curie import compress, expand, is_curie, local_curie
from harmonize.errors import CurieError


@pytest.mark.parametrize(
    ("curie", "iri"),
    [
        ("UBERON:0002107", "http://purl.obolibrary.org/obo/UBERON_0002107"),
        ("MONDO:0004975", "http://purl.obolibrary.org/obo/MONDO_0004975"),
        ("EFO:0000249", "http://www.ebi.ac.uk/efo/EFO_0000249"),
        ("NCBITaxon:9606", "http://purl.obolibrary.org/obo/NCBITaxon_9606"),
        ("HsapDv:0000087", "http://purl.obolibrary.org/obo/HsapDv_0000087"),
    ],
)
def test_round_trip(curie: str, iri: str) -> None:
    assert expand(curie) == iri
    assert compress(iri) == curie


def test_unknown_prefix() -> None:
    with pytest.raises(CurieError, match="unknown CURIE prefix 'NOPE'"):
        expand("NOPE:1")
    assert expand("NOPE:1", strict=False) is None
    assert compress("http://example.org/x", strict=False) is None


@given(st.text(max_size=30), st.text(max_size=30))
def test_local_curie_stable_unique_and_valid(namespace: str, text: str) -> None:
    first = local_curie(namespace, text)
    assert first == local_curie(namespace, text)
    assert is_curie(first)
    assert expand(first).startswith("https://w3id.org/harmonize/local/")
    assert local_curie(namespace, text + "x") != first


@pytest.mark.parametrize("name", ["obo", "bioregistry.upper"])
def test_contexts_built_without_the_pairwise_check_equal_the_strict_build(name: str) -> None:
    from prefixmaps import load_converter

    from harmonize.curie import _context_converter

    strict = load_converter(name)  # raises on duplicate prefixes or URI prefixes
    assert _context_converter(name).records == strict.records
