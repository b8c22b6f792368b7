"""A clause after the value's head: what else the sample holds, what it does not, where.

``Bronchus with surrounding parenchyma``: the head names what was sampled; names the fuzzy
tier met through the clause's words alone ("space surrounding organism") go after the
head's term, a broader term (words dropped), never auto-accepted. A name saying both the
clause and the head stands (``plasma cells with IgG``: IgG plasma cell); after
``without``, a name saying the clause says what the sample does not hold."""

from __future__ import annotations

import pytest

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher

BRONCHUS, STOMACH, LUNG = "UBERON:0002185", "UBERON:0000945", "UBERON:0002048"
SPACE_SURROUNDING_ORGANISM, STOMACH_MUCOSA = "UBERON:0013514", "UBERON:0001199"
T_CELL, NEURON, IGG_PLASMA_CELL, LUNG_MACROPHAGE = (
    "CL:0000084",
    "CL:0000540",
    "CL:0000985",
    "CL:1001603",
)


@pytest.mark.parametrize(
    ("value", "expected", "not_first"),
    [
        ("Bronchus with surrounding parenchyma", BRONCHUS, SPACE_SURROUNDING_ORGANISM),
        ("stomach without mucosa", STOMACH, STOMACH_MUCOSA),
        ("stomach excluding mucosa", STOMACH, STOMACH_MUCOSA),
    ],
)
def test_the_head_before_a_clause_names_what_was_sampled(
    value: str, expected: str, not_first: str, uberon: ValueMatcher
) -> None:
    result = uberon.match(value, top_k=5)
    best = result.best
    assert best is not None and best.id == expected, (value, best)
    assert best.predicate == "skos:broadMatch" and best.confidence < AUTO_ACCEPT
    assert "words dropped" in best.explain()
    ids = [c.id for c in result.candidates]
    assert not_first not in ids[:1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # before: "endothelial cell of high endothelial venule" (a name of "high" and "cell")
        ("T cells with high mitochondrial content", T_CELL),
        ("neurons without dendrites", NEURON),
    ],
)
def test_a_cell_type_slot_reads_the_cells_before_the_clause(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected, (value, best)
    assert best.predicate == "skos:broadMatch" and best.confidence < AUTO_ACCEPT


@pytest.mark.parametrize(
    ("value", "expected"),
    [("plasma cells with IgG", IGG_PLASMA_CELL), ("macrophages in lung", LUNG_MACROPHAGE)],
)
def test_a_name_saying_the_head_and_the_clause_stands(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected, (value, best)


def test_a_qualifier_after_without_leaves_no_dangling_word(uberon: ValueMatcher) -> None:
    """``lung without tumour``: "tumour" set aside, the head is "lung" (not "lung
    without", which the fuzzy tier read as "right lung")."""
    best = uberon.match("lung without tumour").best
    assert best is not None and best.id == LUNG, best
    assert "set aside 'tumour'" in best.explain()


def test_a_branch_whose_names_have_clauses_keeps_the_clause(disease: ValueMatcher) -> None:
    """MONDO writes its names with such clauses (6.9 % of them): the clause is part of
    what the value names. Read as an aside, the misspelt name met "syndromic disease"."""
    best = disease.match("Nooan syndrome with multiple lentigines").best
    assert best is not None and best.label == "Noonan syndrome with multiple lentigines", best
