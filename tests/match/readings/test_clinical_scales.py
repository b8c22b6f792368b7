"""How far a disease has gone, on the scales of clinical records: its class, grade and a
tumour's TNM stage are set aside as states; a step written in the other numerals than a
name's ("grade 2" / "grade II") is read as that name's."""

from __future__ import annotations

import pytest

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.qualifiers import Qualifier, split_qualifiers


def kinds(value: str) -> list[tuple[str, str]]:
    split = split_qualifiers(value)
    return [] if split is None else [(q.text, q.kind) for q in split.qualifiers]


def test_class_grade_and_tnm_stage_are_states() -> None:
    assert kinds("lupus nephritis class IV") == [("class IV", "state")]
    assert kinds("NYHA class 3 heart failure") == [("class 3", "state")]
    assert kinds("astrocytoma, grade 2") == [("grade 2", "state")]
    assert kinds("pT2N0 breast carcinoma") == [("pT2N0", "state")]
    assert kinds("ypT1N0M0 rectal adenocarcinoma") == [("ypT1N0M0", "state")]
    assert kinds("T3N1M0 gastric cancer") == [("T3N1M0", "state"), ("cancer", "state")]


@pytest.mark.parametrize("value", ["T2 weighted", "t2n0", "Treg", "CD4 T cells", "TNF"])
def test_no_tnm_stage_without_its_notation(value: str) -> None:
    """A tumour's stage is written in capitals with its node count (or a p / c / y
    prefix): "T2" alone, lower case, or a word beginning with T is none."""
    assert all(kind != "state" for _, kind in kinds(value)), kinds(value)


def test_a_scale_step_in_the_other_numerals() -> None:
    assert Qualifier("grade 2", "state").renumbered() == "grade II"
    assert Qualifier("class IV", "state").renumbered() == "class 4"
    assert Qualifier("Stage IIIB", "state").renumbered() == "Stage 3B"
    assert Qualifier("severe", "state").renumbered() is None
    assert Qualifier("2", "count").renumbered() is None


def test_a_disease_with_its_class_or_stage_is_found(disease: ValueMatcher) -> None:
    """``lupus nephritis class IV`` and ``pT2N0 breast ca`` had their disease only by
    similarity, as broader matches (0.45, 0.50); now it is found, the stage said."""
    for value, expected, aside in (
        ("Lupus nephritis class IV", "MONDO:0005556", "'class IV' (state)"),  # lupus nephritis
        ("pT2N0 breast ca", "MONDO:0004989", "'pT2N0' (state)"),  # breast carcinoma
        ("ypT1N0M0 rectal adenocarcinoma", "MONDO:0002169", "'ypT1N0M0' (state)"),
    ):
        best = disease.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert aside in best.explain() and best.predicate == "skos:closeMatch", value
        assert best.confidence < AUTO_ACCEPT, value


def test_a_grade_in_other_numerals_names_the_graded_term(disease: ValueMatcher) -> None:
    """``grade 2 astrocytoma``: MONDO names "grade II astrocytoma" (diffuse astrocytoma);
    setting the grade aside would give the broader "astrocytoma" instead."""
    best = disease.match("grade 2 astrocytoma").best
    assert best is not None and best.id == "MONDO:0016686", best and best.explain()
    assert "'grade 2' read as 'grade II'" in best.explain()
    assert best.predicate != "skos:exactMatch" and best.confidence < AUTO_ACCEPT


@pytest.mark.parametrize("value", ["stage IV", "severe", "relapsed", "class IV", "pT2N0", "FFPE"])
def test_a_stage_or_severity_alone_is_never_normal(value: str, disease: ValueMatcher) -> None:
    """A value of such states alone names no term, and says nothing of normality: PATO's
    "normal" had been offered for it at 0.90 (as for ``healthy control``, which still is)."""
    result = disease.match(value)
    assert result.note is not None and "only qualifiers" in result.note, result.note
    assert all(c.id != "PATO:0000461" for c in result.candidates), result.candidates
