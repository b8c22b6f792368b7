"""Part 4: cell types by marker notation, read into the Cell Ontology's naming."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.match.values.markers import has_marker, marker_readings, marker_words
from harmonize.match.values.matcher import ValueMatcher


def test_marker_notation_in_cl_naming() -> None:
    assert marker_readings("CD14+ monocytes") == ["CD14-positive monocytes"]
    assert marker_readings("CD8 T") == ["CD8-positive, alpha-beta T cell", "CD8-positive T cell"]
    assert marker_readings("CD8 cytotoxic T cell")[0] == "CD8-positive, alpha-beta cytotoxic T cell"
    assert marker_readings("CD14+CD16+ monocytes") == ["CD14-positive CD16-positive monocytes"]
    assert marker_readings("CD19+ B cells") == ["CD19-positive B cell"]  # no alpha-beta form
    # a level is a level as CL writes it, never the opposite sign ("CD56dim" was "CD56-negative")
    assert marker_readings("CD56dim NK") == ["CD56-dim natural killer cell"]
    assert marker_readings("CD56bright NK") == ["CD56-bright natural killer cell"]
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
        # CL's "CD8-positive, alpha-beta <kind> T cell": the kind's words stay in place
        ("CD8 cytotoxic T cell", "CL:0000794"),  # not the plain cytotoxic T cell
        ("CD4+ memory T cells", "CL:0000897"),  # CD4-positive, alpha-beta memory T cell
        # markers written together, and beside CD4 / CD8 ("CD4+CD25+" was "CD4-positiveCD25-
        # positive": a CD8-positive regulatory T cell by spelling)
        ("CD4+CD25+ Treg", "CL:0000792"),  # CD4-positive, CD25-positive, ... regulatory T cell
        ("CD14+CD16+ monocytes", "CL:0002397"),  # CD14-positive, CD16-positive monocyte
        ("CD14lo CD16+ monocytes", "CL:0002396"),  # CD14-low, CD16-positive monocyte
    ],
)
def test_marker_values_reach_the_cl_term(value: str, expected: str, cl: ValueMatcher) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected
    assert "marker notation" in best.explain()


def test_a_bare_marker_never_meets_a_negative_name(cl: ValueMatcher) -> None:
    """``CD16_Monocytes`` was auto-accepted as CL's "CD16- monocyte" synonym (a CD16-
    *negative* classical monocyte): normalisation dropped the minus sign."""
    found = cl.match("CD16_Monocytes").candidates
    assert found and "CD16-negative" not in (found[0].label or "")
    negative = [c for c in found if c.evidence.matched_text == "CD16- monocyte"]
    assert all(c.evidence.method == "fuzzy" and c.confidence < 0.5 for c in negative)


TEMRA_CD8 = "CL:0001062"  # effector memory CD8-positive, alpha-beta T cell, terminally diff.


def test_marker_words_without_an_added_cell_word() -> None:
    """ "CD8 TEMRA" is read "CD8-positive TEMRA T cell" (a T-cell marker with no cell word);
    the value's own words, "CD8-positive TEMRA", are offered too: CL writes it so."""
    assert marker_readings("CD8 TEMRA") == ["CD8-positive TEMRA T cell"]
    assert marker_words("CD8 TEMRA") == "CD8-positive TEMRA"
    assert marker_words("CD8 T") is None  # a cell word of the value was read, not added
    assert marker_words("CD4+") is None
    assert marker_words("CD14+ monocytes") is None


@pytest.mark.parametrize("value", ["CD8 TEMRA", "CD8TEMRA", "3.CD8TEMRA"])
def test_a_marker_before_the_cells_short_name_keeps_the_marker(
    value: str, cl: ValueMatcher
) -> None:
    """The CD8 TEMRA term (CL's synonym "CD8-positive TEMRA"), not the CD45RA TEMRA term
    reached by setting the marker aside; also written together ("CD8TEMRA") and after a
    cluster's index ("3.")."""
    best = cl.match(value).best
    assert best is not None and best.id == TEMRA_CD8
    assert "marker notation read as 'CD8-positive TEMRA'" in best.explain()


def test_cd3_beside_a_t_cell_reading_adds_nothing(cl: ValueMatcher) -> None:
    """Every T cell carries CD3 and CL names no kind of T cell by it: ``CD3+ CD8+ T
    cells`` are CD8-positive T cells (had "T cell", both markers set aside), said so;
    "CD3-" (NK and B cells) and CD3 without a T-cell reading are kept."""
    assert marker_readings("CD3+ CD8+ T cells")[0] == "CD8-positive, alpha-beta T cell"
    assert marker_readings("CD3+CD4+")[0] == "CD4-positive, alpha-beta T cell"
    assert marker_readings("CD3- CD56+ NK cells") == [
        "CD3-negative CD56-positive natural killer cell"
    ]
    assert marker_readings("CD3pos cells") == ["CD3-positive cells"]
    for value, expected in (("CD3+ CD8+ T cells", "CL:0000625"), ("CD3+CD4+", "CL:0000624")):
        best = cl.match(value).best
        assert best is not None and best.id == expected, (value, best)
        assert "'CD3+' set aside: every T cell carries CD3" in best.explain()
        assert best.confidence < 0.95


def test_cd4_or_cd8_cells_are_the_t_cells_that_carry_them(cl: ValueMatcher) -> None:
    """``CD4 cells`` (a CD4 cell count) had met the slot's root, "cell", at 0.3."""
    assert marker_readings("CD4 cells")[0] == "CD4-positive, alpha-beta T cell"
    assert marker_readings("CD14+ cells") == ["CD14-positive cells"]  # no T-cell marker
    for value, expected in (("CD4 cells", "CL:0000624"), ("CD8+ cells", "CL:0000625")):
        best = cl.match(value).best
        assert best is not None and best.id == expected, (value, best)
