"""Labels in code style: words written together read apart (``glued_words.py``), and
shortened words read as the words they begin (``truncated.py``), on the CL harmonize ships.

Cluster labels and plot names glue and cut words ("PancreasDuctal", "NaiveCD8Tcells",
"Prolif macrophage"); before, such values had no candidate or a guess by similarity on
the glued text. Measured on besca's short cell-type names (bench/RESULTS.md)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.glued_words import words_apart
from harmonize.match.values.matcher import ValueMatcher


@pytest.mark.parametrize(
    ("text", "apart"),
    [
        ("VenousEndothelium", "Venous Endothelium"),  # a capital starts a word
        ("GranulosaPC", "Granulosa PC"),  # an acronym after a word
        ("TypeIIFiber", "Type II Fiber"),  # a Roman numeral after a word
        ("NaiveCD8Tcells", "Naive CD8 T cells"),  # a CD marker; "cells" after "T"
        ("DerivedhESC", "Derived hESC"),  # a short form of the list keeps its letter
        ("FibroPC", "Fibro PC"),  # ... only as the list writes it ("OPC": no "oPC")
    ],
)
def test_code_style_words_are_read_apart(text: str, apart: str) -> None:
    assert words_apart(text) == apart


@pytest.mark.parametrize("text", ["iPSC", "hiPSC", "MyoD", "NKp46", "CD45RA", "BeWo", "mtDNA"])
def test_names_written_so_on_purpose_are_kept(text: str) -> None:
    assert words_apart(text) == text


@given(st.text(alphabet="aBcDeIVCDT0148 _-cells", max_size=30))
def test_reading_apart_only_moves_spaces(text: str) -> None:
    """Whatever the text, reading it apart adds or moves spaces and changes no letter."""
    assert words_apart(text).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PancreasDuctal", "CL:0002079"),  # pancreatic ductal cell (had no candidate)
        ("RetinaAmacrine", "CL:0000561"),  # amacrine cell (had no candidate)
    ],
)
def test_the_similarity_tier_reads_glued_words_apart(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected, (value, best)
    assert "words written together read apart" in best.explain()
    assert best.confidence < AUTO_ACCEPT


@pytest.mark.parametrize("value", ["EMCD8Tcells", "VenousEndothelium"])
def test_words_read_apart_are_said_once(value: str, cl: ValueMatcher) -> None:
    """The similarity tier's step and a reading's note both say the words were read
    apart: the steward reads it once."""
    best = cl.match(value).best
    assert best is not None and best.explain().count("read apart") == 1, best


def test_an_identifier_read_apart_stays_as_written(cl: ValueMatcher) -> None:
    """An identifier's pieces are words no name has: no similarity guess on them."""
    result = cl.match("ZDB_Fish42")
    assert all("read apart" not in c.explain() for c in result.candidates)


@pytest.mark.parametrize(
    ("value", "expected", "read"),
    [
        ("Prolif macrophage", "CL:4033076", "'prolif' as 'proliferating'"),  # had macrophage
        # the word in most names ("microglia") names nothing with "cell": the next one
        ("Microgl cell", "CL:0000129", "'microgl' as 'microglial'"),  # had muscle cell, 0.06
        ("Eosin granulocyte", "CL:0000771", "'eosin' as 'eosinophilic'"),  # had granulocyte
        ("NaiveCD8Tcells", "CL:0000900", None),  # naive CD8 T cell (had no candidate)
    ],
)
def test_shortened_and_glued_words_name_the_term(
    value: str, expected: str, read: str | None, cl: ValueMatcher
) -> None:
    """A word no name has that begins words of the branch's names is read as the one it
    begins in most of them, when the text so read names a term: a guess (``truncated``),
    said, never auto-accepted."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, (value, best and best.explain())
    assert read is None or f"shortened words read: {read}" in best.explain()
    assert best.confidence < AUTO_ACCEPT


def test_a_word_the_names_have_only_as_a_short_form_in_capitals_is_read_as_cut(
    disease: ValueMatcher,
) -> None:
    """``Hep B``: MONDO has "hep" only as the abbreviation "HEP" (hepatoerythropoietic
    porphyria, which the value had as a broader match); written otherwise, it is a word
    cut short, read as "hepatitis" (a guess, said). Written in capitals, it stays the
    porphyria's short form."""
    for value, expected in (
        ("Hep B", "MONDO:0005344"),  # hepatitis B virus infection
        ("chronic hep C", "MONDO:0005354"),  # chronic hepatitis C virus infection
    ):
        best = disease.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert "shortened words read: 'hep' as 'hepatitis'" in best.explain()
        assert best.confidence < AUTO_ACCEPT
    for candidate in disease.match("HEP B").candidates:
        assert "shortened words read" not in candidate.explain(), candidate


def test_a_code_style_label_is_read_as_a_value_once_its_words_are_whole(
    cl: ValueMatcher,
) -> None:
    """``RegulCD4Tcells``: "regulatory CD4 T cells" names no term as written; read as a
    value of its own, its marker names CL's CD4 regulatory T cell (had the CD4 helper T
    cell by similarity). Only labels in code style are read again so."""
    best = cl.match("RegulCD4Tcells").best
    assert best is not None and best.id == "CL:0000792", best
    assert "shortened words read: 'regul' as 'regulatory'" in best.explain()
    assert best.confidence < AUTO_ACCEPT


def test_a_word_of_the_names_is_not_read_as_shortened(cl: ValueMatcher) -> None:
    """A word of names ("class", of "class switched memory B cell") is never replaced by
    a word it begins ("classical"), whatever the value meant."""
    result = cl.match("Class monocyte")
    assert all("shortened words read" not in c.explain() for c in result.candidates)
