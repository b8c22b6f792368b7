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
