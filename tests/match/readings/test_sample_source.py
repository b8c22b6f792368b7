"""A sample described by where it came from: ``CD19+ B cell sorted from fresh PBMC``.

A tissue slot reads the source (blood); a cell-type slot reads what was sampled (B cell).
Neither is auto-accepted: both set words aside."""

from __future__ import annotations

import pytest

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.interpret import source_of
from harmonize.match.values.matcher import ValueMatcher

BLOOD, BONE_MARROW, LIVER = "UBERON:0000178", "UBERON:0002371", "UBERON:0002107"
T_CELL = "CL:0000084"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CD19+ B cell sorted from fresh PBMC (FACS)", BLOOD),
        ("cells isolated from bone marrow", BONE_MARROW),
        ("hepatocytes from liver", LIVER),
    ],
)
def test_a_tissue_slot_reads_where_the_sample_came_from(
    value: str, expected: str, uberon: ValueMatcher
) -> None:
    best = uberon.match(value).best
    assert best is not None and best.id == expected, value
    assert "where it came from" in best.explain()
    assert best.confidence < AUTO_ACCEPT and best.predicate != "skos:exactMatch"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # the marker names a kind of B cell: "B cell, CD19-positive" (marker_kinds.py)
        ("CD19+ B cell sorted from fresh PBMC (FACS)", "CL:0001201"),
        ("T cells from blood", T_CELL),
    ],
)
def test_a_cell_type_slot_reads_what_was_sampled(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "where it came from" in best.explain() and best.confidence < AUTO_ACCEPT


def test_source_of_needs_text_on_both_sides() -> None:
    assert source_of("B cells from PBMC") == ("B cells", "PBMC")
    assert source_of("from PBMC") is None
    assert source_of("Fromm cells") is None


def test_a_term_reached_by_dropping_words_says_so_whatever_its_species_synonym(
    uberon: ValueMatcher,
) -> None:
    """ "peripheral blood" is blood with a word dropped: a broader term, said so; its
    human-specific synonym ("vertebrate blood") does not make it a close match."""
    for value in ("peripheral blood", "PB"):
        best = uberon.match(value).best
        assert best is not None and best.id == BLOOD, value
        assert best.predicate == "skos:broadMatch", (value, best.explain())
        assert "words dropped" in best.explain() or "shorthand" in best.explain()


def test_only_qualifiers_before_from_say_nothing_sampled(uberon: ValueMatcher) -> None:
    """``tissue from patient 12``: "tissue" is how it was sampled, not an anatomy term."""
    best = uberon.match("tissue from patient 12").best
    assert best is None or best.id != "UBERON:0000479"  # tissue


def test_a_name_with_from_in_it_is_not_read_as_a_source(uberon: ValueMatcher) -> None:
    """UBERON names structures "X from Y": a value before "from" that is not cells nor a
    sample is a name of its own (here with a typo), never "ectoderm"."""
    best = uberon.match("oral epithelim from ectoderm").best
    assert best is not None and uberon.index.label(best.id) == "oral epithelium from ectoderm"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("iPSC-derived neurons", "CL:0000540"),  # neuron (had met "LGE-derived neuron")
        ("iPSC derived cardiomyocytes", "CL:0000746"),  # cardiac muscle cell
        ("iPSC-derived microglia", "CL:0000129"),  # microglial cell, read as the cell
        ("ESC-derived hepatocytes", "CL:0000182"),  # hepatocyte
    ],
)
def test_cells_derived_from_a_source_are_the_cells(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """``<source>-derived <cells>`` names the cells; the source is set aside as where they
    came from (never offered in a cell-type slot: ``hESC-derived beta cells`` are not
    embryonic stem cells). A name of its own stays ("monocyte-derived dendritic cell")."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "where it came from" in best.explain() and best.confidence < AUTO_ACCEPT
    found = cl.match("hESC-derived beta cells", top_k=5).candidates
    assert all(c.id != "CL:0002322" for c in found)  # embryonic stem cell
    named = cl.match("Monocyte-derived dendritic cells").best
    assert named is not None and named.id == "CL:0011031"
    assert source_of("iPSC-derived neurons") == ("neurons", "iPSC")


@pytest.mark.parametrize("source", ["hiPSC", "xyz", "patient-iPSC"])
def test_a_source_no_name_has_does_not_hide_the_cells(source: str, cl: ValueMatcher) -> None:
    """``hiPSC-derived cardiomyocytes``: a word of the source no name has (a typo, a lab's
    code) is dropped with the source, so the cells are read (had "His-Purkinje system
    cell" from the source's initials, or nothing)."""
    best = cl.match(f"{source}-derived cardiomyocytes").best
    assert best is not None and best.id == "CL:0000746", source  # cardiac muscle cell
    assert "where it came from" in best.explain() and best.confidence < AUTO_ACCEPT
