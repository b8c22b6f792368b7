"""Cells named by the structure they were found in: ``zona reticularis cell``.

The first words name an anatomy term, the last a cell word; the cell type named for that
structure, else for the nearest structure it is a part or kind of, is offered: a broader
term, never auto-accepted. A structure whose cells have names of their own ("kidney loop of
Henle epithelial cell") is left to them."""

from __future__ import annotations

import pytest

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher

ADRENAL_CORTEX_CELL, KIDNEY_CELL, MESENCHYMAL_CELL = "CL:0002097", "CL:1000497", "CL:0008019"
STOMACH_SMOOTH_MUSCLE, LOOP_OF_HENLE_CELL = "CL:4047034", "CL:1000909"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # before: "type I cell of adrenal cortex" (a synonym naming the zona glomerulosa)
        ("zona reticularis cell", ADRENAL_CORTEX_CELL),
        # two steps up: comma-shaped body, primitive nephron, kidney; before "fat body cell"
        ("comma-shaped body cell", KIDNEY_CELL),
        # the structure's own name first: "mesenchyme cell", not a word written in its
        # place elsewhere ("mesoderm cell")
        ("lung mesenchyme cell", MESENCHYMAL_CELL),
    ],
)
def test_a_cell_of_a_structure_above_is_a_broader_term(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected, (value, best)
    assert best.predicate == "skos:broadMatch" and best.confidence < AUTO_ACCEPT
    assert "read as a cell of" in best.explain() and "a broader term" in best.explain()


def test_an_organ_adjective_names_the_structure(cl: ValueMatcher) -> None:
    """``gastric`` names no term; the ontology writes it for "stomach"."""
    best = cl.match("gastric smooth muscle cell").best
    assert best is not None and best.id == STOMACH_SMOOTH_MUSCLE, best
    assert "read as a cell of 'gastric (stomach)'" in best.explain()
    assert best.confidence < AUTO_ACCEPT


def test_a_structure_whose_cells_have_names_is_left_to_them(cl: ValueMatcher) -> None:
    best = cl.match("loop of Henle cell").best
    assert best is not None and best.id == LOOP_OF_HENLE_CELL, best
    assert "read as a cell of" not in best.explain()


def test_a_tissue_slot_reads_no_structure_cell(uberon: ValueMatcher) -> None:
    """In an anatomy slot the structure is in the branch: nothing to read across."""
    best = uberon.match("zona reticularis cell").best
    assert best is None or "read as a cell of" not in best.explain()


DERMAL_FIBROBLAST, KIDNEY_EPITHELIAL_CELL, FIBROBLAST = "CL:0002551", "CL:0002518", "CL:0000057"


def test_an_adjective_the_file_pairs_with_no_noun_is_read_by_its_formation(
    cl: ValueMatcher,
) -> None:
    """``dermal`` is written in place of no word in the names, but is formed from
    "dermis" (-al, as anatomy forms it): "fibroblast of dermis", not a fuzzy "dermal
    sheath fibroblast"."""
    best = cl.match("dermal fibroblast").best
    assert best is not None and best.id == DERMAL_FIBROBLAST, best
    assert "read as a cell of 'dermal (dermis)'" in best.explain()
    assert best.confidence < AUTO_ACCEPT


@pytest.mark.parametrize(
    ("value", "expected", "head"),
    [
        ("Fibroblasts (dermal)", DERMAL_FIBROBLAST, FIBROBLAST),  # the noun formed
        ("Epithelial cell (renal)", KIDNEY_EPITHELIAL_CELL, "CL:0000066"),  # the file's pair
    ],
)
def test_a_bracket_adjective_names_the_structure_of_the_head(
    value: str, expected: str, head: str, cl: ValueMatcher
) -> None:
    """A one-word bracket naming no term with the head ("dermal fibroblast" is no name) is
    read before it as the structure the cells are in; the head alone is broader."""
    result = cl.match(value, top_k=3)
    best = result.best
    assert best is not None and best.id == expected, (value, best)
    assert best.predicate == "skos:exactMatch" and best.confidence < AUTO_ACCEPT
    assert f"bracket {value.split('(')[1][:-1]!r}: " in best.explain()
    plain = next(c for c in result.candidates if c.id == head)
    assert plain.predicate == "skos:broadMatch" and "dropped: a broader term" in plain.explain()
