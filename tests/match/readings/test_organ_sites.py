"""GTEx's tissue names: an organ, then the site sampled in it, with a spaced dash
(``Brain - Putamen (basal ganglia)``) or run together (``Brain_Amygdala``, as GTEx's files
and eQTL tables name tissues); and the sample's state GTEx writes beside them."""

from __future__ import annotations

import pytest

from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.qualifiers import split_qualifiers

AUTO_ACCEPT = 0.95


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Brain - Putamen (basal ganglia)", "UBERON:0001874"),  # putamen
        ("Brain - Nucleus accumbens (basal ganglia)", "UBERON:0001882"),
        ("Brain - Frontal Cortex (BA9)", "UBERON:0001870"),  # frontal cortex
        ("Brain - Anterior cingulate cortex (BA24)", "UBERON:0009835"),
    ],
)
def test_a_site_keeps_its_own_bracket_when_it_adds_nothing(
    value: str, expected: str, uberon: ValueMatcher
) -> None:
    """The site's bracket is a code (``BA9``) or where the site is (the putamen is in the
    basal ganglia): the site's term first, as what the value says; before, these dashes
    with a bracket were not read as a site (similarity met "basal ganglion" or the brain)."""
    best = uberon.match(value).best
    assert best is not None and best.id == expected, value
    assert best.predicate == "skos:exactMatch" and best.confidence < AUTO_ACCEPT


def test_a_site_bracket_that_says_more_leaves_a_broader_term(uberon: ValueMatcher) -> None:
    """``Spinal cord (cervical c-1)``: the spinal cord (beside the brain, both parts of the
    central nervous system) is broader than the value."""
    best = uberon.match("Brain - Spinal cord (cervical c-1)").best
    assert best is not None and best.id == "UBERON:0002240"  # spinal cord
    assert best.predicate == "skos:broadMatch" and "'cervical c-1'" in best.explain()


def test_a_site_written_without_its_class_noun(uberon: ValueMatcher) -> None:
    """``Caudate``: the caudate nucleus, a part of the brain; only a word that stands before
    the names' nouns is read so (``Kidney - Glomerulus`` is not "glomerulus vasculature",
    a part of the kidney whose name begins with it), and only names of the organ's parts
    (the liver's caudate lobe is no part of the brain)."""
    for value in (
        "Brain - Caudate (basal ganglia)",
        "Brain - Caudate",
        "Brain_Caudate_basal_ganglia",
    ):
        best = uberon.match(value).best
        assert best is not None and best.id == "UBERON:0001873", value  # caudate nucleus
        assert best.confidence < AUTO_ACCEPT
    for value in ("Kidney - Glomerulus", "kidney_glomerulus"):
        found = uberon.match(value, top_k=5).candidates
        assert "UBERON:0004190" not in [c.id for c in found], value
    liver = uberon.match("Liver - Caudate").best
    assert liver is not None and liver.id != "UBERON:0001873"


def test_after_a_dash_a_sibling_of_the_organ(uberon: ValueMatcher) -> None:
    """``Artery - Aorta``: UBERON's aorta is no artery but an arterial blood vessel beside
    it; a term sharing a direct parent with the organ's is the site ("abdominal aorta
    artery" had come first by similarity)."""
    best = uberon.match("Artery - Aorta").best
    assert best is not None and best.id == "UBERON:0000947"  # aorta


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Brain_Amygdala", "UBERON:0001876"),
        ("Brain_Putamen_basal_ganglia", "UBERON:0001874"),
        ("Brain_Frontal_Cortex_BA9", "UBERON:0001870"),
        ("Brain_Substantia_nigra", "UBERON:0002038"),
        ("Artery_Aorta", "UBERON:0000947"),
    ],
)
def test_organ_and_site_run_together(value: str, expected: str, uberon: ValueMatcher) -> None:
    """GTEx's tissue ids: the organ's words name a term and the rest a part, kind or sibling
    of it, then nothing, a code or where it is; a reading, never auto-accepted."""
    best = uberon.match(value).best
    assert best is not None and best.id == expected, value
    organ = value.split("_")[0].casefold()
    assert best.confidence < AUTO_ACCEPT and f"read as {organ!r}, then" in best.explain()


def test_run_together_words_that_say_more_are_not_set_aside(
    uberon: ValueMatcher, cl: ValueMatcher
) -> None:
    """``Brain_Cortex`` is not every cortex (beside the brain only two steps up); words after
    the site that name nothing above it say more (``..._cervical_c-1``), so the site's
    broader term is not offered first as the value's."""
    cortex = uberon.match("Brain_Cortex", top_k=5).candidates
    assert cortex and cortex[0].id != "UBERON:0001851"
    cord = uberon.match("Brain_Spinal_cord_cervical_c-1").best
    assert cord is not None and cord.id != "UBERON:0002240"
    plasma = cl.match("B cell IgA Plasma").best
    assert plasma is not None and "IgA plasmablast" not in (plasma.label or "")


def test_what_gtex_writes_of_the_sample_is_set_aside(
    uberon: ValueMatcher, cl: ValueMatcher
) -> None:
    """Sun exposure, culture, transformation and "whole" say how the sample was taken or
    grown, not what it is: ``Whole Blood`` is blood (it had been a broader term by words
    dropped), the skin's bracket names the skin's site."""
    split = split_qualifiers("Skin - Not Sun Exposed (Suprapubic)")
    assert split is not None and split.head == "Skin (Suprapubic)"
    # the dash left before the bracket goes; a marker's sign before one stays
    marked = split_qualifiers("NK CD56- (bright) sample")
    assert marked is not None and marked.marked_text() == "NK CD56- (bright)"
    assert [q.kind for q in split.qualifiers] == ["state"]
    for text, kind in (("Cultured fibroblasts", "state"), ("EBV-transformed B cells", "state")):
        found = split_qualifiers(text)
        assert found is not None and [q.kind for q in found.qualifiers] == [kind], text
    blood = uberon.match("Whole Blood").best
    assert blood is not None and blood.id == "UBERON:0000178"
    assert blood.predicate == "skos:closeMatch" and "'Whole' (state)" in blood.explain()
    for value, expected in (
        ("Skin - Sun Exposed (Lower leg)", "UBERON:0004264"),  # lower leg skin
        ("Skin - Not Sun Exposed (Suprapubic)", "UBERON:0036149"),  # suprapubic skin
    ):
        best = uberon.match(value).best
        assert best is not None and best.id == expected, value
    fibroblast = cl.match("Cells - Cultured fibroblasts").best
    assert fibroblast is not None and fibroblast.id == "CL:0000057"


def test_a_bracketed_site_needs_an_organ_before_the_dash(cl: ValueMatcher) -> None:
    """``Immune - T cell (CD8)``: a class word that names no term, then a population with
    its own bracket, is no organ and its site: the final bracket is read as before (the
    site read alone, "T cell" as an exact match, dropped the marker)."""
    found = cl.match("Immune - T cell (CD8)", top_k=5).candidates
    assert found and not any("part 'T cell (CD8)'" in c.explain() for c in found)


def test_a_site_naming_nothing_whose_last_words_name_a_part(uberon: ValueMatcher) -> None:
    """``Small Intestine - Terminal Ileum``: no term names the terminal ileum; the ileum,
    a part of the small intestine its last word names, is nearer than the organ (which
    dropping the site had given), and broader than the value."""
    for value in ("Small Intestine - Terminal Ileum", "Small_Intestine_Terminal_Ileum"):
        best = uberon.match(value).best
        assert best is not None and best.id == "UBERON:0002116", value  # ileum
        assert best.predicate == "skos:broadMatch" and "first words dropped" in best.explain()
