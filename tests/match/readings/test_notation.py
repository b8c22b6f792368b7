"""A chemical's systematic name or a lipid's shorthand is notation: matched as written,
never read for qualifiers, brackets or word order (which only find wrong words in it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.match.values.interpret import _MAX_READ_CHARS, _MAX_READ_WORDS, readable


@pytest.mark.parametrize(
    "value",
    [
        "3,5-dichlorophenol",  # locants
        "(2S,3R)-2-amino-3-hydroxybutanoic acid",  # stereo descriptors (and locants)
        "(24S)-hydroxycholesterol",  # a numbered stereo descriptor
        "PE(16:0/18:1(9Z))",  # a lipid's chain counts
        "TG(18:1/18:1/18:2) sample",  # ... with a word after it
    ],
)
def test_notation_is_matched_as_written(value: str) -> None:
    assert not readable(value)


@pytest.mark.parametrize(
    "value",
    [
        "Lt lung bx 17",
        "CD4+ CD25+ T cells 2",
        "3.CD4 naive",
        "C1-2 spinal cord",
        "type 2 diabetes mellitus",
        "colon (sigmoid)",
        "lymph node (R)",  # the right side, no stereo descriptor
        "Kidney (L) 2",
        "skin punch 4mm",
        "alveolar type II cell (AT2)",
        "breast cancer stage II, grade 3",
        "t(9;22) positive leukemia",
    ],
)
def test_sample_descriptions_with_numbers_are_read(value: str) -> None:
    assert readable(value)


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd", "No", "Nl")), max_size=80))
def test_notation_needs_a_number(value: str) -> None:
    """Without a digit, only the length limits decide (no word is taken for notation)."""
    assert readable(value) == (
        len(value) <= _MAX_READ_CHARS and len(value.split()) <= _MAX_READ_WORDS
    )
