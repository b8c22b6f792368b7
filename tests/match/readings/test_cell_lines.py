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
    assert find_cell_line("OSA") is None  # (sleep apnoea) is not the line "OS-A" either
    assert find_cell_line("DG") == ("CVCL:S101", "DG")  # the same case: that line
    assert find_cell_line("HELA") == ("CVCL:0030", "HeLa")
    result = uberon.match("DRG")
    assert result.note is None
    assert result.best is not None and result.best.id == "UBERON:0000044"  # dorsal root ganglion


def test_a_cell_line_written_with_cells_or_a_bracket_after_it_is_found(
    cl: ValueMatcher,
) -> None:
    """``HEK293T cells``, ``A549 (lung adenocarcinoma)``, ``K562 cell line``: the line's
    name, then "cells" or a bracket (had "heart cell" by similarity, or nothing). In a CL
    slot it is said to be the line; with Cellosaurus loaded the line is the answer."""
    from harmonize.ontology.cache import load_index

    for value, expected in (
        ("HEK293T cells", "CVCL:0063"),
        ("A549 (lung adenocarcinoma)", "CVCL:0023"),
        ("K562 cell line", "CVCL:0004"),
    ):
        assert find_cell_line(value) is not None and find_cell_line(value)[0] == expected
        result = cl.match(value)
        assert result.candidates == () and result.note is not None, value
        assert f"({expected}, Cellosaurus)" in result.note
    assert find_cell_line("Kupffer cells") is None  # a word, not a line's name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cvcl = ValueMatcher(load_index("CVCL"))
    best = cvcl.match("HEK293T cells").best
    assert best is not None and best.id == "CVCL:0063", best
    assert "read as the cell line's name" in best.explain() and best.confidence < 0.95


def test_a_slot_whose_ontology_names_the_line_keeps_its_own_term() -> None:
    """EFO names cell lines itself ("HeLa cell", "LS174T"): a value naming one is left to
    the tiers that find that term, not told it is a Cellosaurus line outside the branch."""
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Term

    terms = [Term("X:1", "LS174T"), Term("X:2", "HeLa cell"), Term("X:3", "liver")]
    matcher = ValueMatcher(
        OntologyIndex(meta=OntologyMeta(name="t"), terms={t.id: t for t in terms})
    )
    for value in ("LS-174T cell", "HeLa"):  # (the similarity tiers then look for it)
        assert matcher.match(value).note is None, value
    best = matcher.match("HeLa").best
    assert best is not None and best.id == "X:2"
    assert matcher.match("K562 cells").note is not None  # a line the ontology does not name
