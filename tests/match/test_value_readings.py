"""Readings of a partner's value: alternatives and disease wording (pure text rules)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from harmonize.match.values.readings import (
    FRAGMENT_WEIGHT,
    PART_WEIGHT,
    alternative_readings,
    says_disease,
)


def test_a_one_word_alternative_swaps_the_last_or_first_word() -> None:
    assert alternative_readings("fracture patella / knee") == [
        [
            ("fracture patella", PART_WEIGHT),
            ("fracture knee", PART_WEIGHT),
            ("knee", FRAGMENT_WEIGHT),
        ],
        [("fracture patella", PART_WEIGHT), ("knee", PART_WEIGHT)],
    ]
    assert alternative_readings("infective/viral hepatitis")[0][1] == (
        "infective hepatitis",
        PART_WEIGHT,
    )


def test_plain_alternatives_and_titles() -> None:
    assert alternative_readings("Synovitis and tenosynovitis") == [
        [("Synovitis", PART_WEIGHT), ("tenosynovitis", PART_WEIGHT)]
    ]
    assert alternative_readings("pulmonary embolism +/- dvt")[-1][0] == (
        "pulmonary embolism",
        PART_WEIGHT,
    )
    assert alternative_readings("asthma") == []
    assert alternative_readings("a/b/c/d/e/f") == []  # too many parts to be alternatives


def test_disease_wording() -> None:
    assert says_disease("cartilage disease")
    assert says_disease("disorder of ear")
    assert not says_disease("cartilage")


@given(st.text(max_size=60))
def test_readings_never_fail_and_never_outweigh_a_part(value: str) -> None:
    for reading in alternative_readings(value):
        assert reading
        assert all(part.strip() and 0 < weight <= PART_WEIGHT for part, weight in reading)
