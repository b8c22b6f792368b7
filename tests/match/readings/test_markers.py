"""Part 4: cell types by marker notation, read into the Cell Ontology's naming."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.match.values.markers import has_marker, marker_readings
from harmonize.match.values.matcher import ValueMatcher


def test_marker_notation_in_cl_naming() -> None:
    assert marker_readings("CD14+ monocytes") == ["CD14-positive monocytes"]
    assert marker_readings("CD8 T") == ["CD8-positive, alpha-beta T cell", "CD8-positive T cell"]
    assert marker_readings("CD4+")[0] == "CD4-positive, alpha-beta T cell"
    assert marker_readings("CD45-") == ["CD45-negative"]
    assert marker_readings("CD3pos cells") == ["CD3-positive cells"]
    assert marker_readings("liver") == []
    assert not has_marker("CD") and has_marker("CD19+ B cells")


@given(st.text(max_size=40))
def test_marker_readings_never_fail_and_always_change_the_value(value: str) -> None:
    assert all(reading != value for reading in marker_readings(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CD8 T", "CL:0000625"),  # CD8-positive, alpha-beta T cell (not the regulatory one)
        ("CD14+ monocytes", "CL:0001054"),  # CD14-positive monocyte
        ("CD4+", "CL:0000624"),  # CD4-positive, alpha-beta T cell
        ("CD8+ T cells", "CL:0000625"),
    ],
)
def test_marker_values_reach_the_cl_term(value: str, expected: str, cl: ValueMatcher) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected
    assert "marker notation read as" in best.explain()


def test_a_bare_marker_never_meets_a_negative_name(cl: ValueMatcher) -> None:
    """``CD16_Monocytes`` was auto-accepted as CL's "CD16- monocyte" synonym (a CD16-
    *negative* classical monocyte): normalisation dropped the minus sign."""
    found = cl.match("CD16_Monocytes").candidates
    assert found and "CD16-negative" not in (found[0].label or "")
    negative = [c for c in found if c.evidence.matched_text == "CD16- monocyte"]
    assert all(c.evidence.method == "fuzzy" and c.confidence < 0.5 for c in negative)
