"""Partner values compared for re-use: the same value, and words that hedge it."""

from __future__ import annotations

import pytest

from harmonize.text.values import hedge, value_key, without_hedges


def test_the_same_value_differs_in_case_and_spacing_only() -> None:
    assert value_key(" Liver\tBiopsy ") == value_key("liver biopsy")
    assert value_key("HCC?") != value_key("HCC")
    assert value_key("HCC (suspected)") != value_key("HCC")


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("HCC?", "?"), ("? HCC", "?"), ("HCC (suspected)", "suspected"),
        ("suspected HCC", "suspected"), ("possible HCC", "possible"), ("probable NASH", "probable"),
        ("r/o HCC", "r/o"), ("rule out HCC", "rule out"), ("history of HCC", "history of"),
        ("h/o stroke", "h/o"), ("no HCC", "no"), ("not HCC", "not"), ("NOT diabetic", "not"),
        ("negative for malignancy", "negative for"), ("without fibrosis", "without"),
        ("HCC vs cholangiocarcinoma", "vs"),
    ],
)  # fmt: skip
def test_hedging_words_are_found(value: str, word: str) -> None:
    assert hedge(value) == word


@pytest.mark.parametrize(
    "value",
    ["HCC", "hepatocellular carcinoma", "Non-Hodgkin lymphoma", "nodular sclerosis", "Notochord",
     "No", "not", "normal", "node", "sclerosis", "T2D", "whole blood", "h. sapiens"],
)  # fmt: skip
def test_plain_values_are_not_hedged(value: str) -> None:
    assert hedge(value) is None


def test_without_hedges_keeps_the_rest() -> None:
    assert value_key(without_hedges("r/o HCC")) == "hcc"
    assert value_key(without_hedges("HCC?")) == "hcc"
