"""Part 4 (markers), trust: a term whose name gives a marker of the value the opposite
sign is not the value's population; it ranks after every other candidate, is never a
match of the value and says what it contradicts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from harmonize.match.values.interpret import READING_MAX_CONFIDENCE
from harmonize.match.values.marker_signs import (
    contradiction,
    name_signs,
    other_markers,
    value_signs,
)
from harmonize.match.values.matcher import ValueMatcher


def test_signs_as_labs_write_them() -> None:
    assert value_signs("CD4+ CCR6+") == (("CD4", "positive"), ("CCR6", "positive"))
    assert value_signs("CD16- NK cells") == (("CD16", "negative"),)
    assert value_signs("CD56bright NK cells") == (("CD56", "high"),)
    assert value_signs("HLA-DR- CD14+ cells") == (("HLADR", "negative"), ("CD14", "positive"))
    assert value_signs("SPP1_high macrophage") == (("SPP1", "high"),)
    for plain in ("liver", "Pre-B cell", "T-cell", "Basophil", "Colon", "Dendritic cell"):
        assert value_signs(plain) == (), plain


def test_signs_as_the_cell_ontology_names_them() -> None:
    assert name_signs("CD14-low, CD16-positive monocyte") == {"CD14": "low", "CD16": "positive"}
    assert name_signs("HLA-DR-negative cell") == {"HLADR": "negative"}
    assert name_signs("alpha-beta T cell") == {}


def test_which_signs_contradict() -> None:
    ccr6 = value_signs("CD4+ CCR6+")
    said = contradiction(ccr6, "CD4-positive, CXCR3-negative, CCR6-negative, alpha-beta T cell")
    assert said is not None and "CCR6 positive" in said and "says negative" in said
    assert contradiction(ccr6, "CD4-positive, CCR6-positive T cell") is None
    # low is still positive: CD14-low monocytes carry CD14
    assert contradiction(value_signs("CD14+ monocytes"), "CD14-low, CD16-positive monocyte") is None
    assert contradiction(value_signs("CD56hi NK cells"), "CD56-dim NK cell") is not None
    assert contradiction(value_signs("CD16- NK cells"), "CD16-positive NK cell") is not None
    assert contradiction((), "CD16-positive NK cell") is None


SYMBOLS = st.sampled_from(["CD4", "CD8", "CD16", "CD56", "CXCR3", "CCR6", "HLA-DR", "KLRG1"])
WRITTEN = {"positive": "+", "negative": "-", "high": "hi", "low": "lo"}
OPPOSITE = {"positive": "negative", "negative": "positive", "high": "low", "low": "high"}


@given(st.dictionaries(SYMBOLS, st.sampled_from(sorted(WRITTEN)), min_size=1, max_size=3))
def test_a_name_with_the_values_own_signs_never_contradicts_and_a_flipped_one_does(
    markers: dict[str, str],
) -> None:
    value = " ".join(f"{m}{WRITTEN[s]}" for m, s in markers.items()) + " T cell"
    signs = value_signs(value)
    assert len(signs) == len(markers)
    same = ", ".join(f"{m}-{s}" for m, s in markers.items()) + " T cell"
    assert contradiction(signs, same) is None
    first = next(iter(markers))
    flipped = (
        ", ".join(f"{m}-{OPPOSITE[s] if m == first else s}" for m, s in markers.items()) + " T cell"
    )
    said = contradiction(signs, flipped)
    assert said is not None and first.replace("-", "") in said


def test_the_contradicted_term_ranks_last_and_is_no_match(cl: ValueMatcher) -> None:
    """Before, "CD4+ CCR6+" was answered "CD4-positive, CXCR3-negative, CCR6-negative,
    alpha-beta T cell" first (the fuzzy tier's closest words)."""
    result = cl.match("CD4+ CCR6+", top_k=40)
    best = result.best
    assert best is not None and "CCR6-negative" not in (best.label or "")
    assert best.label == "CD4-positive helper T cell"
    contradicted = [c for c in result.candidates if "CCR6-negative" in (c.label or "")]
    assert contradicted, "the contradicted term is still offered, last, for the steward"
    first_bad = result.candidates.index(contradicted[0])
    assert all("the term's name" not in c.explain() for c in result.candidates[:first_bad])
    for c in contradicted:
        assert c.predicate == "skos:relatedMatch"
        assert c.confidence <= READING_MAX_CONFIDENCE["contradicted"]
        assert "the value says CCR6 positive" in c.explain()


def test_no_contradicted_term_ranks_before_one_that_is_not(cl: ValueMatcher) -> None:
    """Before, "CD56hi NK cells" had "CD16-positive, CD56-dim natural killer cell" second
    and "CD4+ CD8- T cells" "CD8-positive, CD28-negative, ... T cell" second."""
    for value in ("CD16- NK cells", "CD56hi NK cells", "CD4+ CD8- T cells", "CD8+ CCR6+"):
        result = cl.match(value, top_k=10)
        signs = value_signs(value)
        said = [
            contradiction(signs, c.label or "", c.evidence.matched_text) is not None
            or (  # (a name met by similarity that says other markers, none of the value's)
                c.evidence.method == "fuzzy"
                and other_markers(signs, c.label or "", c.evidence.matched_text) is not None
            )
            for c in result.candidates
        ]
        assert said == sorted(said), value  # every contradicted one after every other one
        for candidate, contradicted in zip(result.candidates, said, strict=True):
            assert not contradicted or candidate.predicate == "skos:relatedMatch", value


CD8_TREG = "CL:0000795"  # CD8-positive, alpha-beta regulatory T cell
CD4_TREG = "CL:0000792"  # CD4-positive, CD25-positive, alpha-beta regulatory T cell


def test_a_t_cell_carries_one_coreceptor() -> None:
    from harmonize.match.values.marker_signs import value_coreceptor

    assert value_coreceptor("CD4 Tregs") == "CD4"
    assert value_coreceptor("9.CD8Trm") == "CD8"  # bare and written together, as labs do
    for neither in ("CD4/8+ DP", "CD4 CD8 double positive", "CD4- T", "CD45RA+", "Treg"):
        assert value_coreceptor(neither) is None, neither
    name = "CD8-positive, alpha-beta regulatory T cell"
    assert contradiction((), name, coreceptor="CD4") is not None
    assert contradiction((), name, coreceptor="CD8") is None
    assert contradiction((), "double negative thymocyte", coreceptor="CD8") is not None
    assert contradiction((), "double negative memory B cell", coreceptor="CD4") is None
    assert contradiction((), "CD4-positive, alpha-beta T cell", coreceptor="CD4") is None


def test_a_cd4_value_never_meets_a_cd8_term_first(cl: ValueMatcher) -> None:
    """``CD4Treg`` (written together, after a cluster's index) had met "CD8-positive,
    alpha-beta regulatory T cell" by its synonym "CD8-positive Treg": one letter apart.
    The marker is now read apart (the CD4 regulatory T cell comes first) and a CD8 term
    ranks after every other candidate, said as contradicted."""
    for value in ("CD4Treg", "12.CD4Treg"):
        found = cl.match(value, top_k=10).candidates
        assert found[0].id == CD4_TREG, value
        cd8 = [c for c in found if c.id == CD8_TREG]
        assert all(c is found[-1] or c.confidence <= found[-1].confidence for c in cd8)
        assert all("CD8-positive" in c.explain() and "says CD4" in c.explain() for c in cd8)


def test_a_name_that_negates_a_word_of_the_value_is_no_match(cl: ValueMatcher) -> None:
    """``macrophage activated`` had met "non-activated macrophage" (M0 macrophage) by
    similarity: the name says the opposite of the value."""
    found = cl.match("macrophages activated", top_k=10).candidates
    assert found[0].id != "CL:0020017"
    m0 = [c for c in found if c.id == "CL:0020017"]
    assert all("'activated' negated" in c.explain() for c in m0)
    # a value that negates the word itself keeps the name
    best = cl.match("non-activated macrophage").best
    assert best is not None and best.id == "CL:0020017"


def test_a_name_giving_a_numbered_kind_another_number_is_no_match(cl: ValueMatcher) -> None:
    """``alveolar type2 cells`` had met "type I alveolar cells" (pulmonary alveolar type 1
    cell) by similarity: type 2 is another kind. Arabic, Roman and glued numbers compare."""
    from harmonize.match.values.saying_names import numbered_kinds

    assert numbered_kinds("alveolar type2") == {"type": 2} == numbered_kinds("type ii cell")
    assert numbered_kinds("grade iv glioma") == {"grade": 4}
    assert numbered_kinds("typed cell") == {} == numbered_kinds("liver")
    found = cl.match("alveolar type2 cells", top_k=10).candidates
    assert found[0].id == "CL:0002063"  # pulmonary alveolar type 2 cell
    type1 = [c for c in found if c.id == "CL:0002062"]
    assert all("says type 1" in c.explain() for c in type1)
    exact = cl.match("type I pneumocyte").best  # a name as the value says it stays
    assert exact is not None and exact.id == "CL:0002062"


def test_a_name_met_by_similarity_that_leaves_out_a_number_is_no_sure_match() -> None:
    """``SARS-CoV-2 infection`` had met EFO's "SARS-CoV infection" by similarity at 0.9:
    the name leaves out the "2" that makes the virus another. Read as a broader term at
    best (``dropped``), capped and said; the rank stays. A name that says the number
    keeps its confidence."""
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Term

    terms = [Term("X:1", "widget virus infection"), Term("X:2", "gadget virus 3 infection")]
    matcher = ValueMatcher(
        OntologyIndex(meta=OntologyMeta(name="t"), terms={t.id: t for t in terms})
    )
    best = matcher.match("widget virus 2 infection").best
    assert best is not None and best.id == "X:1" and best.evidence.method == "fuzzy"
    assert "the value's '2' is not in the name" in best.explain(), best.explain()
    assert best.confidence <= READING_MAX_CONFIDENCE["dropped"]
    assert best.predicate == "skos:broadMatch"
    named = matcher.match("gadget virus 3 infections").best
    assert named is not None and named.id == "X:2" and "is not in the name" not in named.explain()


@given(st.text(max_size=60))
def test_coreceptors_and_numbered_kinds_never_fail(value: str) -> None:
    from harmonize.match.values.interpret import normal_form
    from harmonize.match.values.marker_signs import value_coreceptor
    from harmonize.match.values.saying_names import numbered_kinds

    assert value_coreceptor(value) in {None, "CD4", "CD8"}
    kinds = numbered_kinds(normal_form(value))
    assert all(isinstance(n, int) and 0 <= n <= 99 for n in kinds.values())


def test_a_name_met_by_similarity_that_says_other_markers_is_no_match(cl: ValueMatcher) -> None:
    """``CD45+``: no CL name says CD45; "CD4-positive TEMRA" resembles it by characters. A
    term met only by similarity whose names state markers, none of the value's, names
    another population: after every other candidate, a related match that says so."""
    for value in ("CD45+", "CD235a+", "HLA-DR+ CD83+ Monocytes"):
        result = cl.match(value, top_k=10)
        signs = value_signs(value)
        other = [
            c.evidence.method == "fuzzy"
            and other_markers(signs, c.label or "", c.evidence.matched_text) is not None
            for c in result.candidates
        ]
        assert other == sorted(other), value  # every such term after every other one
        for candidate, said in zip(result.candidates, other, strict=True):
            assert not said or (
                candidate.predicate == "skos:relatedMatch" and "instead" in candidate.explain()
            ), value
    assert any(
        "CD4-positive" in (c.label or "") and c.predicate == "skos:relatedMatch"
        for c in cl.match("CD45+", top_k=10).candidates
    )
