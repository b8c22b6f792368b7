"""A synonym that begins its parent's label with a class after it (``parent_names.py``):
on a small ontology that isolates the rule, and on the CL that harmonize ships."""

from __future__ import annotations

import pytest

from harmonize.match.values.ground import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.ontology.index import OntologyIndex
from harmonize.ontology.model import OntologyMeta, Synonym, Term


def _index(parent_label: str) -> OntologyIndex:
    """A class, a family below it labelled ``parent_label``, and one study's term below
    the family whose exact synonym is "Sst Chodl"."""
    terms = [
        Term("X:0", "cell"),
        Term("X:1", "GABAergic interneuron", parents=("X:0",)),
        Term("X:2", parent_label, parents=("X:1",)),
        Term("X:3", "striatal SST-CHODL interneuron (Primate)",
             synonyms=(Synonym("Sst Chodl", "EXACT"),), parents=("X:2",)),
    ]  # fmt: skip
    return OntologyIndex(meta=OntologyMeta(name="t"), terms={t.id: t for t in terms})


def test_the_family_comes_before_the_studys_term() -> None:
    matcher = ValueMatcher(_index("sst chodl GABAergic interneuron"), fill=True)
    found = matcher.match("Sst Chodl", top_k=3).candidates
    assert [c.id for c in found[:2]] == ["X:2", "X:3"]
    assert "begins the label of its parent" in found[0].explain()
    assert all(c.confidence < AUTO_ACCEPT for c in found)


def test_a_parent_label_that_goes_on_otherwise_is_no_family() -> None:
    """ "sst chodl zoster infection" begins with the value, but "zoster infection" is no
    label of a term above it (``Varicella`` is chickenpox, not "varicella zoster
    infection")."""
    matcher = ValueMatcher(_index("sst chodl zoster infection"), fill=True)
    found = matcher.match("Sst Chodl", top_k=3).candidates
    assert found[0].id == "X:3"
    assert all("begins the label" not in c.explain() for c in found)


@pytest.mark.parametrize(
    ("value", "family", "study"),
    [
        ("Sst Chodl", "CL:4023121", "CL:4310123"),  # had been auto-accepted (0.96)
        ("Lamp5", "CL:4023011", "CL:4310084"),
        ("VIP", "CL:4023016", "CL:4310127"),
    ],
)
def test_allen_subclass_names_read_as_the_family(
    value: str, family: str, study: str, cl: ValueMatcher
) -> None:
    """Allen brain subclass names (Tasic et al. 2018; Bakken et al. 2021) are exact
    synonyms of CL's striatal primate terms; the cortical family comes first."""
    found = cl.match(value, top_k=5).candidates
    assert found[0].id == family and study in [c.id for c in found[1:]]
    assert all(c.confidence < AUTO_ACCEPT for c in found)
