"""Words before a name that name a kind of its term (``modifier_kinds.py``): on small
ontologies that isolate the rule, and on the CL that harmonize ships."""

from __future__ import annotations

import pytest

from harmonize.match.values.ground import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import OntologyMeta, Synonym, Term

CARDIAC_MUSCLE_CELL = "CL:0000746"


def _index(*kinds: Term) -> OntologyIndex:
    """A heart muscle cell (exact synonym "cardiomyocyte") under a root, and ``kinds``."""
    terms = [
        Term("X:0", "cell"),
        Term("X:1", "heart muscle cell", synonyms=(Synonym("cardiomyocyte", "EXACT"),),
             parents=("X:0",)),
        *kinds,
    ]  # fmt: skip
    return OntologyIndex(meta=OntologyMeta(name="t"), terms={t.id: t for t in terms})


def test_the_kind_the_modifier_names_comes_first() -> None:
    """No name says "atrial cardiomyocyte"; the kind of the term "cardiomyocyte" names
    whose name says "atrial" and otherwise only that term's words comes first."""
    matcher = ValueMatcher(
        _index(Term("X:2", "atrial heart muscle cell", parents=("X:1",))), fill=True
    )
    found = matcher.match("Atrial cardiomyocytes", top_k=3).candidates
    assert found[0].id == "X:2" and "'atrial' before 'cardiomyocyte'" in found[0].explain()
    assert found[0].confidence < AUTO_ACCEPT


def test_a_kind_that_says_more_is_not_offered() -> None:
    """ "left atrial appendage heart muscle cell" says more than the value: not this
    reading's answer (the similarity tier's, if any)."""
    matcher = ValueMatcher(
        _index(Term("X:2", "left atrial appendage heart muscle cell", parents=("X:1",)))
    )
    for candidate in matcher.match("Atrial cardiomyocyte", top_k=3).candidates:
        assert "before 'cardiomyocyte' names" not in candidate.explain()


def test_kinds_as_close_leave_the_broader_term_first() -> None:
    """Two unrelated kinds one step down say the modifier and nothing else: it does not
    decide, so the term found comes first, as words dropped (a broader term), and the
    kinds after it."""
    matcher = ValueMatcher(
        _index(
            Term("X:2", "nodal heart muscle cell", parents=("X:1",)),
            Term("X:3", "heart muscle cell, nodal", parents=("X:1",)),
        ),
        fill=True,
    )
    found = matcher.match("Nodal cardiomyocytes", top_k=3).candidates
    assert [c.id for c in found] == ["X:1", "X:2", "X:3"]
    assert found[0].predicate == "skos:broadMatch" and "several of its kinds" in found[0].explain()


def test_a_root_is_never_the_term_modified() -> None:
    """``Fibroblast cell``: "cell" names the root; every kind of cell saying "fibroblast"
    is no specialisation of what the value says."""
    matcher = ValueMatcher(
        _index(
            Term("X:2", "fibroblast", parents=("X:0",)),
            Term("X:3", "fibroblast cell of heart", parents=("X:0",)),
        ),
        fill=True,
    )
    for candidate in matcher.match("Fibroblast cell_MFAP5 high", top_k=3).candidates:
        assert "before 'cell'" not in candidate.explain()


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("Atrial cardiomyocyte", "CL:0002129"),  # regular atrial cardiac myocyte
        ("Atrial cardiomyocyte_NPPA high", "CL:0002129"),  # (a marker set aside first)
        # two kinds say "ventricular": the one right below the term found, not the one two
        # steps down under "regular cardiac myocyte"
        ("Ventricular Cardiomyocyte", "CL:2000046"),  # ventricular cardiac muscle cell
    ],
)
def test_cl_kinds_of_a_named_term(value: str, kind: str, cl: ValueMatcher) -> None:
    found = cl.match(value, top_k=5).candidates
    assert found[0].id == kind and CARDIAC_MUSCLE_CELL in [c.id for c in found[1:]]
    assert "names its kind" in found[0].explain() and found[0].confidence < AUTO_ACCEPT


def test_cl_kind_that_says_more_is_left(cl: ValueMatcher) -> None:
    """``Mucous epithelial cell``: "mucous neck cell" says "neck", which the value does
    not: the reading offers nothing (it had been offered first)."""
    for candidate in cl.match("Mucous Epithelial cell", top_k=5).candidates:
        assert "before 'epithelial cell' names" not in candidate.explain()
