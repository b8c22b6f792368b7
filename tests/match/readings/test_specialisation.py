"""Part 2: specialisation in brackets, commas and word order; words dropped are broader."""

from __future__ import annotations

import pytest

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.specialise import (
    bracket_parts,
    shorter_spans,
    specialised_readings,
)


def test_specialisation_moves_before_the_head() -> None:
    assert bracket_parts("colon (sigmoid)") == ("colon", "sigmoid")
    assert specialised_readings("colon (sigmoid)") == ["sigmoid colon"]
    assert specialised_readings("macrophages, alveolar")[0] == "alveolar macrophages"
    assert "Lumbar fourth Dorsal Root Ganglion" in specialised_readings(
        "Dorsal Root Ganglion, Lumbar 4"
    )
    assert specialised_readings("liver") == []


def test_shorter_spans_longest_first_without_edge_words() -> None:
    groups = shorter_spans("macula in the central retina")
    assert groups[0] == ["macula in the central"]  # "in the central retina" starts with "in"
    assert groups[1] == ["central retina"]
    assert all(s.split()[0] not in {"in", "the"} for g in groups for s in g)
    assert shorter_spans("one two three four five six seven eight nine") == []  # a sentence


@pytest.mark.parametrize(
    ("value", "slot", "expected"),
    [
        ("colon (sigmoid)", "uberon", "UBERON:0001159"),
        ("macrophages, alveolar", "cl", "CL:0000583"),
        ("cortex of kidney", "uberon", "UBERON:0001225"),
        ("Dorsal Root Ganglion, Lumbar 4", "uberon", "UBERON:0003943"),
        # a bracket that looks like a code or a qualifier, when a term names it with its
        # head: an abbreviation, a side, a marker in CL's naming
        ("Macrophages (M2)", "cl", "CL:0000890"),  # M2 macrophage (was macrophage, 0.95)
        ("lung (left)", "uberon", "UBERON:0002168"),  # left lung
        ("T cells (CD8)", "cl", "CL:0000625"),  # CD8-positive, alpha-beta T cell
        ("Monocytes (CD14+)", "cl", "CL:0001054"),  # CD14-positive monocyte
        # a marker after a comma, in CL's naming (was T cell, the marker set aside)
        ("T cells, CD8+", "cl", "CL:0000625"),
        ("monocytes, CD14+", "cl", "CL:0001054"),
    ],
)
def test_the_specific_term_is_reached(
    value: str, slot: str, expected: str, request: pytest.FixtureRequest
) -> None:
    matcher: ValueMatcher = request.getfixturevalue(slot)
    best = matcher.match(value).best
    assert best is not None and best.id == expected


def test_a_term_reached_by_dropping_words_is_broader_and_never_auto_accepted(
    uberon: ValueMatcher, cl: ValueMatcher
) -> None:
    """Every candidate met by dropping words of the value (a specialising bracket, or a
    shorter run of its words) is a skos:broadMatch below the auto-accept threshold."""
    seen = 0
    for matcher, value in (
        (uberon, "colon (sigmoid)"),
        (uberon, "Kidney biopsy sample - Ureter"),
        (uberon, "macula in the central retina"),
        (cl, "macrophages (alveolar)"),
        (cl, "corneal limbal basal cells"),
        (cl, "single immune cells"),
    ):
        for c in matcher.match(value, top_k=5).candidates:
            said = c.explain()
            if "words dropped" in said or "a broader term" in said:
                seen += 1
                assert c.predicate == "skos:broadMatch", (value, said)
                assert c.confidence < AUTO_ACCEPT, (value, said)
    assert seen >= 4


def test_a_gloss_in_brackets_keeps_the_term_but_is_no_exact_match(uberon: ValueMatcher) -> None:
    """When no term names the bracket as a specialisation ("liver (organ)" has no "organ
    liver"), the bracket is set aside: the term stays first, as a close match, capped."""
    best = uberon.match("liver (whole organ)").best
    assert best is not None and best.id == "UBERON:0002107"
    assert best.predicate == "skos:closeMatch" and best.confidence < AUTO_ACCEPT
    assert "bracket 'whole organ' set aside" in best.explain()


@pytest.mark.parametrize(
    "value", ["NK cells (CD56bright)", "Fibroblast (PDGFRA+)", "T cells (CD8)"]
)
def test_a_marker_in_brackets_is_never_dropped_silently(value: str, cl: ValueMatcher) -> None:
    """A marker in brackets names a population of the cells: the plain cell term, when no
    term names both, is no exact match and never auto-accepted (``T cells (CD8)`` was T
    cell, auto-accepted at 0.99)."""
    for c in cl.match(value, top_k=3).candidates:
        assert c.confidence < AUTO_ACCEPT, (value, c.label)
        if c.label in {"natural killer cell", "fibroblast", "T cell"}:
            assert c.predicate != "skos:exactMatch", (value, c.explain())


def test_a_class_word_that_names_nothing_gives_way_to_its_bracket(cl: ValueMatcher) -> None:
    """``Immune (alveolar macrophage activated)``: "Immune" names no term, so the fuzzy tier
    reads the bracket (it had met "immune oligodendroglia" by the class word); not when
    the bracket is where the cells were sampled, or the head names the cell itself."""
    best = cl.match("Immune (alveolar macrophage activated)").best
    assert best is not None and best.id == "CL:0000583"  # alveolar macrophage
    assert "names no term" in best.explain() and best.predicate != "skos:exactMatch"
    for value, term in (("Microglia(Brain)", "microglia"), ("GABAergic(Brain)", "GABAergic")):
        found = cl.match(value).best
        assert found is not None and term.casefold() in (found.label or "").casefold(), value


def test_a_short_form_with_a_bracket_is_not_a_word_cut_short(cl: ValueMatcher) -> None:
    """``TEM (resting)``: TEM is the list's effector memory T cell, not the start of
    "TEMRA cell" (a word cut short): a TEMRA term is never its first answer."""
    best = cl.match("TEM (resting)").best
    assert best is not None and best.id != "CL:4030002"
    assert "shortened word" not in best.explain()


def test_a_cell_class_letter_written_first_is_kept(cl: ValueMatcher) -> None:
    """Seurat / Azimuth labels write the class letter first (``B intermediate``, ``B
    naive``): "intermediate muscle cell" leaves the B out and was the first answer; the
    class term comes first now, as a broader term (words dropped, never exact). A name
    that keeps the letter stands (``B naive`` -> naive B cell); ``B cell ...`` written in
    full is read as before."""
    best = cl.match("B intermediate").best
    assert best is not None and best.id == "CL:0000236"  # B cell
    assert (
        best.predicate == "skos:broadMatch" and "the class the value names first" in best.explain()
    )
    naive = cl.match("B naive").best
    assert naive is not None and naive.id == "CL:0000788"  # naive B cell
    plasma = cl.match("B cell IgA Plasma").best
    assert plasma is not None and plasma.id != "CL:0000236"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Brain - Amygdala", "UBERON:0001876"),  # amygdala
        ("Brain - Substantia nigra", "UBERON:0002038"),
        ("Cervix - Ectocervix", "UBERON:0012249"),  # ("Cervix" names no term)
        ("Kidney - Cortex", "UBERON:0001225"),  # cortex of kidney: the words together
    ],
)
def test_gtex_organ_then_site_after_a_dash(value: str, expected: str, uberon: ValueMatcher) -> None:
    """GTEx's tissue names: the organ, a spaced dash, then the site sampled. The site's
    term, as what the value says (not a broader term met by similarity)."""
    best = uberon.match(value).best
    assert best is not None and best.id == expected, value
    assert best.predicate in {"skos:exactMatch", "skos:closeMatch"}
    assert best.confidence < AUTO_ACCEPT or best.id == "UBERON:0001225"


def test_after_a_dash_a_term_beside_the_organ_is_not_the_site(uberon: ValueMatcher) -> None:
    """``Brain - Cortex`` does not mean every cortex (UBERON's "cortex" is beside the brain,
    not in it); a bracket keeps its head first (``limb muscle (tibialis anterior)``)."""
    found = uberon.match("Brain - Cortex", top_k=5).candidates
    assert found and found[0].id != "UBERON:0001851"
    best = uberon.match("limb muscle (tibialis anterior)").best
    assert best is not None and best.id == "UBERON:0003661"  # limb muscle


def test_a_negated_bracket_is_not_the_population(cl: ValueMatcher) -> None:
    """``Multiciliated (non-nasal)`` (the Human Lung Cell Atlas) had met "tuft cell of nasal
    cavity": the bracket after a class word that names no term was read as the population,
    but it says where the cells are not from."""
    found = cl.match("Multiciliated (non-nasal)", top_k=5).candidates
    assert found and all("nasal" not in (c.label or "") for c in found[:1])
    assert "ciliated" in (found[0].label or "")


@pytest.mark.parametrize(
    ("value", "expected", "broader"),
    [
        ("adipose (subcutaneous)", "UBERON:0002190", "UBERON:0001013"),
        ("muscle (skeletal)", "UBERON:0001134", "UBERON:0002385"),
    ],
)
def test_a_bare_tissue_word_takes_its_noun_after_the_bracket(
    value: str, expected: str, broader: str, uberon: ValueMatcher
) -> None:
    """Before: "adipose tissue" as an exact match, the bracket silently dropped."""
    result = uberon.match(value, top_k=3)
    assert result.best is not None and result.best.id == expected, result.best
    dropped = next(c for c in result.candidates if c.id == broader)
    assert dropped.predicate == "skos:broadMatch" and "dropped" in dropped.explain()


def test_a_bracket_no_term_names_with_a_bare_word_is_set_aside(cl: ValueMatcher) -> None:
    """``Myoepithelial (basal)``: the cell, a close match saying the bracket was set aside
    (no exact match for a value whose words say more)."""
    best = cl.match("Myoepithelial (basal)").best
    assert best is not None and best.id == "CL:0000185", best
    assert best.predicate == "skos:closeMatch" and "'basal' set aside" in best.explain()


@pytest.mark.parametrize("value", ["bone marrow (iliac crest)", "bone marrow (sternum)"])
def test_a_site_in_a_tissue_bracket_is_where_it_was_taken(value: str, uberon: ValueMatcher) -> None:
    """``bone marrow (iliac crest)``: the crest shares a bone with the marrow, but a tissue's
    bracket naming a place says where the sample was taken; the tissue stays first and the
    bracket is said to be set aside (had "iliac crest" as an exact match, 0.90). Cells keep
    a bracket that corrects the head (``B cell (Plasmocyte)`` -> plasma cell), and GTEx's
    organ, then its site after a dash, keeps the site (``Artery - Aorta`` -> aorta)."""
    first, second, *_ = uberon.match(value, top_k=3).candidates
    assert first.id == "UBERON:0002371", first.explain()  # bone marrow
    assert "set aside" in first.explain() and second.confidence < 0.1
    aorta = uberon.match("Artery - Aorta").best
    assert aorta is not None and aorta.id == "UBERON:0000947"
