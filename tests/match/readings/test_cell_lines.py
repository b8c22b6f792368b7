"""Part 5: cell lines (Cellosaurus, as CELLxGENE ships it)."""

from __future__ import annotations

import warnings

from harmonize.match.values.celllines import find_cell_line, looks_like_cell_line
from harmonize.match.values.matcher import ValueMatcher


def test_cell_line_names_are_found_whatever_their_punctuation() -> None:
    assert find_cell_line("HeLa") == ("CVCL:0030", "HeLa")
    assert find_cell_line("K562") == ("CVCL:0004", "K-562")
    assert find_cell_line("k-562") == ("CVCL:0004", "K-562")
    assert find_cell_line("Liver") is None  # no digit, no inner capital: a word
    assert not looks_like_cell_line("liver") and not looks_like_cell_line("left lung")


def test_with_cellosaurus_loaded_the_line_is_the_answer() -> None:
    from harmonize.ontology.cache import load_index

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matcher = ValueMatcher(load_index("CVCL"))
    for value, expected in (("HeLa", "CVCL:0030"), ("K562", "CVCL:0004")):
        best = matcher.match(value).best
        assert best is not None and best.id == expected


def test_in_an_anatomy_or_cell_slot_it_says_it_is_a_cell_line(
    uberon: ValueMatcher, cl: ValueMatcher
) -> None:
    for matcher in (uberon, cl):
        result = matcher.match("HeLa")
        assert result.candidates == ()
        assert result.note == (
            "'HeLa' is the cell line HeLa (CVCL:0030, Cellosaurus), not a term of this branch;"
            " the Cellosaurus file records no cell type or site for it"
        )


def test_an_abbreviation_is_no_cell_line_of_other_case(uberon: ValueMatcher) -> None:
    """``DRG`` (three capitals, no digit) is written as an abbreviation: Cellosaurus's "DrG"
    and "NAC" are not it, so the tissue slot offers the anatomy's term and says nothing of
    a cell line. A name of more letters, or with a digit, is found whatever its case."""
    assert find_cell_line("DRG") is None and find_cell_line("NAc") is None
    assert find_cell_line("DG") == ("CVCL:S101", "DG")  # the same case: that line
    assert find_cell_line("HELA") == ("CVCL:0030", "HeLa")
    result = uberon.match("DRG")
    assert result.note is None
    assert result.best is not None and result.best.id == "UBERON:0000044"  # dorsal root ganglion
