"""Cluster labels as single-cell studies write them: the bracket that names the population,
markers after their cell word, counts glued to a word, words cut short, lining tissues."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.interpret import READING_MAX_CONFIDENCE
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.qualifiers import split_qualifiers
from harmonize.match.values.truncated import MAX_OFFERED, counted_stem, stem_of
from harmonize.text.normalize import normalize_steps

PLASMA_CELL, B_CELL, T_CELL = "CL:0000786", "CL:0000236", "CL:0000084"
EPITHELIAL_CELL, CLUB_CELL = "CL:0000066", "CL:0000158"


def _ids(matcher: ValueMatcher, value: str) -> list[str]:
    return [c.id for c in matcher.match(value, top_k=5).candidates]


# -- a bracket that names the population ---------------------------------------------------


def test_a_bracket_naming_the_population_comes_first_when_the_head_names_nothing(
    cl: ValueMatcher,
) -> None:
    best = cl.match("Immune (T cell)").best
    assert best is not None and best.id == T_CELL
    assert "bracket 'T cell' names the population" in best.explain()
    assert best.confidence < AUTO_ACCEPT


def test_a_bracket_beside_the_head_term_comes_first(cl: ValueMatcher) -> None:
    """A plasma cell is not a B cell in CL (both under "lymphocyte of B lineage"): the
    partner's bracket corrects the head."""
    for value in (
        "B cell (Plasmocyte)",
        "B cell(Plasmocyte)_IGHG1 high",
        "B cell (Plasmocyte)_IGHA high",  # a gene symbol no name has is set aside
        "B cell (Plasmocyte)_IGHA/HG high",  # several genes at one level
        "B cell (Plasmocyte)_IGHM/HA_IGK high",
    ):
        ids = _ids(cl, value)
        assert ids[0] == PLASMA_CELL and B_CELL in ids, value


def test_a_bracket_naming_a_kind_of_the_head_is_offered_next(cl: ValueMatcher) -> None:
    """``Epithelial cell (club)``: the head's term first (curators often keep it), the
    kind the bracket names second, as an exact match a steward can pick."""
    found = cl.match("Epithelial cell (club)", top_k=5).candidates
    assert [c.id for c in found[:2]] == [EPITHELIAL_CELL, CLUB_CELL]
    assert found[1].predicate == "skos:exactMatch"
    assert "names the kind of the head's term" in found[1].explain()


def test_a_tissue_in_brackets_is_not_the_cell(cl: ValueMatcher, uberon: ValueMatcher) -> None:
    """``(Kidney)`` after a label says where the cells were sampled: not "kidney cell"
    when the head names nothing; nor "brain" for a structure named in full."""
    assert "CL:1000497" not in _ids(cl, "Tubular Xq (Kidney)")[:1]  # kidney cell
    ids = _ids(uberon, "Ventricular-subventricular zone (brain)")
    assert ids and ids[0] != "UBERON:0000955"


def test_a_class_word_before_a_bracketed_cell_word(cl: ValueMatcher) -> None:
    """``Immune (Langerhans)``: the one-word head names no term, so the bracket is the
    population, read as its cell ("Langerhans cell"), unless the bracket names a place
    outside the slot's branch (``Immune (Kidney)`` is not "kidney cell")."""
    best = cl.match("Immune (Langerhans)").best
    assert best is not None and best.id == "CL:0000453"  # Langerhans cell
    assert "bracket 'Langerhans' names the population" in best.explain()
    assert best.confidence < AUTO_ACCEPT
    assert "CL:1000497" not in _ids(cl, "Immune (Kidney)")  # kidney cell


def test_a_marker_inside_the_bracket_is_set_aside(cl: ValueMatcher) -> None:
    """``Myocyte (smooth muscle TAGLN lo)``: the bracket names smooth muscle cells with a
    marker level beside them; the kind it names is offered after the head's term."""
    ids = _ids(cl, "Myocyte (smooth muscle TAGLN lo)")
    assert ids[:2] == ["CL:0000187", "CL:0000192"]  # muscle cell, then smooth muscle cell


# -- markers written after their cell word, alone, or with a state -------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("T_CD4", "CL:0000624"),  # CD4-positive, alpha-beta T cell
        ("T_CD8", "CL:0000625"),
        ("CD4", "CL:0000624"),
        ("CD4_T_cells_1", "CL:0000624"),
        ("CD8+ central", "CL:0000907"),  # central memory CD8-positive, alpha-beta T cell
        ("CD4+ cytotoxic", "CL:0000934"),  # CD4-positive, alpha-beta cytotoxic T cell
    ],
)
def test_cluster_markers_reach_the_cl_term(value: str, expected: str, cl: ValueMatcher) -> None:
    assert _ids(cl, value)[0] == expected


def test_markers_no_name_has_leave_the_head_to_the_fuzzy_tier(cl: ValueMatcher) -> None:
    """HLA-DR and CD83 are in no CL name: reading them pulled "HLA-DR+ CD83+ Monocytes" to
    CD14/CD16 monocytes; the head reads "monocyte"."""
    assert _ids(cl, "HLA-DR+ CD83+ Monocytes")[0] == "CL:0000576"


def test_a_bracket_glued_to_a_short_word_is_part_of_it(cl: ValueMatcher) -> None:
    """CL's "B(reg)" and "T(FH)" were read as "b" and "t": ``B_CD27neg`` became a
    regulatory B cell, ``T_CD4`` a follicular helper T cell."""
    assert normalize_steps("T(FH)").text == "tfh"
    assert normalize_steps("B(reg)").text == "breg"
    assert normalize_steps("liver (left)").text == "liver"
    assert _ids(cl, "B_CD27neg")[0] == B_CELL


# -- counts glued to a word, lining tissues, words cut short --------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ciliated2", "CL:0000064"),  # ciliated cell
        ("Secretory1", "CL:0000151"),  # secretory cell
        ("Endothelium", "CL:0000115"),  # endothelial cell
        ("Mesothelium", "CL:0000077"),  # mesothelial cell
    ],
)
def test_labels_read_as_the_cell(value: str, expected: str, cl: ValueMatcher) -> None:
    best = cl.match(value).best
    assert best is not None and best.id == expected and best.confidence < AUTO_ACCEPT


def test_a_count_glued_to_a_short_stem_is_a_name() -> None:
    split = split_qualifiers("Basal3")
    assert split is not None and split.head == "Basal"
    assert all(split_qualifiers(v) is None for v in ("Gata4", "Sox10", "Th17", "AT2", "DC"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cDC1", "CL:0000990"),  # conventional dendritic cell: no name says "cDC1"
        ("cDC2_2", "CL:0000990"),
        ("Proliferating cDC2", "CL:0000990"),
        ("pDC2", "CL:0000784"),  # plasmacytoid dendritic cell
        ("cDC1s", "CL:0000990"),  # the plural of the counted short form
    ],
)
def test_a_count_glued_to_a_short_form_numbers_its_subsets(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """``cDC1``: the list's short form "cDC" and a count (no name has "cDC1"; had nothing
    been offered at all). A name that is itself a short form or an ontology's synonym keeps
    its own term: "DC1" is CL's exact synonym of conventional dendritic cell, "Th17" the
    list's own entry, "ILC2" CL's synonym of group 2 innate lymphoid cell."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "(count)" in best.explain() and best.confidence < AUTO_ACCEPT
    assert _ids(cl, "DC1")[0] == "CL:0000990" and _ids(cl, "Th17")[0] == "CL:0000899"
    assert _ids(cl, "ILC2")[0] == "CL:0001069"  # group 2 innate lymphoid cell (CL's "ILC2")


def test_a_code_s_plural_is_the_code(cl: ValueMatcher) -> None:
    """``ILC2s``: letters, a number and "s" are a code's plural (had "ILC2" met by
    similarity only, 0.06); a number with "s" alone stays as written."""
    from harmonize.text.normalize import normalize

    assert normalize("ILC2s") == "ilc2" and normalize("Th17s") == "th17"
    assert normalize("47S") == "47s" and normalize("h2s") == "h2s"
    best = cl.match("ILC2s").best
    assert best is not None and best.id == "CL:0001069" and best.confidence >= 0.8, best


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DC_1", "CL:0000451"),  # dendritic cell, not "DC1" (conventional dendritic cell)
        ("B cells_1", B_CELL),  # not "B-1 B cell"
        ("B_cells_2", B_CELL),  # not "B-2 B cell"
        ("Fibroblast II", "CL:0000057"),  # fibroblast
        ("Schwann cell I", "CL:0002573"),  # Schwann cell
        ("Immune (macrophage III)", "CL:0000235"),  # macrophage
        ("Endothelial cell (vascular) II", "CL:0002139"),  # endothelial cell of vascular tree
        ("Endothelial cell (vascular) I", "CL:0002139"),
    ],
)
def test_a_clusters_count_is_never_a_word_of_the_name(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """``_1`` after an underscore, or a Roman numeral at the end, numbers a cluster: it is
    set aside, never joined to the word before it ("DC1") nor moved into a name."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "(count)" in best.explain() or "names the population" in best.explain()
    assert best.confidence < AUTO_ACCEPT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cranial nerve II", "UBERON:0000941"),  # a numeral that names: as written
        ("left cranial nerve II", "UBERON:0000941"),  # after a naming word: no count
        ("metatarsal II", "UBERON:0003651"),
        ("pneumocyte II", "CL:0002063"),  # the same words as a name: no count set aside
    ],
)
def test_a_roman_numeral_that_names_stays(
    value: str, expected: str, uberon: ValueMatcher, cl: ValueMatcher
) -> None:
    matcher = cl if expected.startswith("CL:") else uberon
    best = matcher.match(value).best
    assert best is not None and best.id == expected, value
    assert "(count)" not in best.explain()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Proliferating fibroblast", "CL:0000057"),  # CL has no cycling fibroblast
        ("Proliferating radial glia", "CL:0000681"),  # radial glial cell
        ("Basal_Mitotic", "CL:0000646"),  # basal cell
    ],
)
def test_a_cell_cycle_state_no_name_has_is_set_aside(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """ "Proliferating", "cycling", "dividing", "mitotic" name a state of the cells: without
    a term for the cycling population, the cells' term (never "cycling neuroblast")."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "(state)" in best.explain() and best.confidence < AUTO_ACCEPT


def test_a_cycling_population_the_ontology_names_is_kept(cl: ValueMatcher) -> None:
    best = cl.match("Proliferating B cell").best
    assert best is not None and cl.index.label(best.id) == "cycling B cell"
    assert best.predicate == "skos:exactMatch"


def test_several_genes_at_one_level_are_one_marker_qualifier() -> None:
    split = split_qualifiers("Erythroid cell_HBZ/HBE1_HBA1 high")
    assert split is not None and split.head == "Erythroid cell"
    assert [q.text for q in split.qualifiers] == ["HBZ/HBE1_HBA1 high"]
    assert split_qualifiers("HSC_MPP") is None  # no level: names, not markers


def test_a_roman_count_is_read_only_at_the_end() -> None:
    split = split_qualifiers("Fibroblast II")
    assert split is not None and split.head == "Fibroblast"
    assert split_qualifiers("type II pneumocyte") is None
    assert split_qualifiers("II Fibroblast") is None
    assert split_qualifiers("Fibroblast ii") is None  # lower case: a word, not a numeral
    # only after a word for cells: elsewhere a Roman numeral names a subtype
    assert split_qualifiers("mucopolysaccharidosis II") is None
    assert split_qualifiers("glycogen storage disease III") is None
    # after a bracket that follows a word for cells, or ending a bracket after one
    split = split_qualifiers("Endothelial cell (vascular) II")
    assert split is not None and split.head == "Endothelial cell (vascular)"
    split = split_qualifiers("Epithelial cell (basal II)")
    assert split is not None and [q.text for q in split.qualifiers] == ["II"]
    assert split_qualifiers("Epithelial cell (alveolar type II)") is None  # names a type
    assert split_qualifiers("mucopolysaccharidosis (type II)") is None
    assert split_qualifiers("Epithelial cell (II) cortex") is None  # the bracket ends no value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mono", "CL:0000576"),  # monocyte
        ("Macro", "CL:0000235"),  # macrophage
        ("Fibs", "CL:0000057"),  # fibroblast
        ("Mega", "CL:0000556"),  # megakaryocyte
    ],
)
def test_a_word_cut_short_offers_the_words_it_begins(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    found = cl.match(value, top_k=5).candidates
    truncated = [c for c in found if "read as a shortened word" in c.explain()]
    assert truncated[0].id == expected
    assert len(truncated) <= MAX_OFFERED
    assert all(c.predicate == "skos:closeMatch" for c in truncated)
    assert all(c.confidence <= READING_MAX_CONFIDENCE["truncated"] for c in truncated)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Epi1", EPITHELIAL_CELL),
        ("Mono2", "CL:0000576"),  # monocyte
        ("Fib2", "CL:0000057"),  # fibroblast
    ],
)
def test_a_count_glued_to_a_word_cut_short_is_set_aside(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """``Epi1`` as ``Epi_1`` is read: the word cut short, its cluster's count set aside
    (and said); a gene symbol ("Sox10") or a marker ("CD45") begins no word: nothing."""
    best = cl.match(value).best
    assert best is not None and best.id == expected
    assert best.id == cl.match(f"{value[:-1]}_{value[-1]}").best.id  # type: ignore[union-attr]
    assert f"set aside '{value[-1]}'" in best.explain()
    assert best.confidence <= READING_MAX_CONFIDENCE["truncated"]
    for name in ("Sox10", "CD45"):
        assert not [c for c in cl.match(name).candidates if "shortened" in c.explain()]


@given(st.from_regex(r"[a-z]{1,8}[0-9]{0,3}", fullmatch=True))
def test_counted_stem_is_a_short_word_and_its_count(text: str) -> None:
    stem, count = counted_stem(text)
    assert stem + count in {"", text}
    assert stem == "" or (stem.isalpha() and 3 <= len(stem) <= 6 and len(count) <= 2)


def test_a_word_that_begins_no_name_offers_nothing(cl: ValueMatcher) -> None:
    assert not cl.match("Xyzzq").candidates


@given(st.text(max_size=12))
def test_stem_of_is_letters_of_a_short_word_or_nothing(text: str) -> None:
    stem = stem_of(text)
    assert stem == "" or (stem == text and stem.isalpha() and 3 <= len(stem) <= 6)


# -- lab shorthand of cell subsets, with its source --------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CD4 TCM_1", "CL:0000904"),  # central memory CD4-positive, alpha-beta T cell
        ("CD8 TEM_2", "CL:0000913"),  # effector memory CD8-positive, alpha-beta T cell
        ("TN (resting)", "CL:0000898"),  # naive T cell
        ("gdT_1", "CL:0000798"),  # gamma-delta T cell
        ("MNP", "CL:0000113"),  # mononuclear phagocyte
        ("AT2", "CL:0002063"),  # pulmonary alveolar type 2 cell
    ],
)
def test_subset_shorthand_reaches_the_cl_term(value: str, expected: str, cl: ValueMatcher) -> None:
    """The list's expansion wins over an ontology's initialism of the same letters
    ("TCM": thymic cortical macrophage) and over reading the letters as a word cut short
    ("TEM": "TEMRA cell")."""
    best = cl.match(value).best
    assert best is not None and best.id == expected and best.confidence < AUTO_ACCEPT
    assert (
        "shorthand" in best.explain()
        or "central memory" in best.explain()
        or ("effector memory" in best.explain())
    )


# -- names that say the value's words and more -------------------------------------------


@pytest.mark.parametrize(
    ("value", "upper", "lower"),
    [
        ("Erythroid cell", "erythroid lineage cell", "erythroid progenitor cell"),
        ("NKT cell", "mature NK T cell", "type I NK T cell"),
    ],
)
def test_of_two_longer_names_the_upper_term_comes_first(
    value: str, upper: str, lower: str, cl: ValueMatcher
) -> None:
    """Both names say the value's words and more; one term is above the other: the value
    did not say what makes the lower one, so the upper one first, the lower one kept."""
    found = cl.match(value, top_k=5).candidates
    labels = [cl.index.label(c.id) for c in found]
    assert labels[0] == upper and lower in labels, labels
    lower_id = found[labels.index(lower)].id
    assert found[0].id in cl.index.steps_above(lower_id)  # the reason it moved
    assert found[0].confidence < AUTO_ACCEPT


def test_an_upper_term_of_fewer_words_is_not_moved(cl: ValueMatcher) -> None:
    """A broader "neuron" lacks "excitatory": only names with all the value's words move."""
    best = cl.match("Excitatory neuron").best
    assert best is not None and "excitatory" in cl.index.label(best.id)


@given(
    stem=st.sampled_from(["Fibroblast", "Schwann cell", "Pericyte", "Macrophage", "T cells"]),
    numeral=st.sampled_from(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]),
    joiner=st.sampled_from([" ", "_"]),
)
def test_a_numeral_after_cells_is_a_count(stem: str, numeral: str, joiner: str) -> None:
    split = split_qualifiers(f"{stem}{joiner}{numeral}")
    assert split is not None and split.head == stem
    assert [q.kind for q in split.qualifiers] == ["count"]


@given(
    stem=st.sampled_from(["mucopolysaccharidosis", "cranial nerve", "type", "layer", "complex"]),
    numeral=st.sampled_from(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]),
)
def test_a_numeral_after_other_words_names(stem: str, numeral: str) -> None:
    assert split_qualifiers(f"{stem} {numeral}") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CD8 Naive", "CL:0000900"),  # naive thymus-derived CD8-positive, alpha-beta T cell
        ("CD4 Naive", "CL:0000895"),  # ... CD4-positive ... (not "CD4-positive helper T cell")
        ("CD8 Naive_2", "CL:0000900"),
    ],
)
def test_a_name_saying_every_word_of_a_reading_comes_first(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """Azimuth's labels read as "CD8-positive naive T cell": the name that says every
    word wins over a closer-looking one that leaves "naive" out ("Th1 CD8-positive T
    cell"), even when the fuzzy tier's few candidates had missed it."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, (value, best and best.explain())
    assert "marker notation" in best.explain() and best.confidence < AUTO_ACCEPT


def test_markers_are_read_with_a_word_cut_short(cl: ValueMatcher) -> None:
    """Azimuth's ``CD14 Mono``: the shortened word read with its marker, "CD14-positive
    monocyte", first; the word's own term ("monocyte") kept next; still a guess."""
    found = cl.match("CD14 Mono", top_k=3).candidates
    assert [c.id for c in found[:2]] == ["CL:0001054", "CL:0000576"]
    assert found[0].confidence <= READING_MAX_CONFIDENCE["truncated"]
    assert "shortened word" in found[0].explain() and "marker notation" in found[0].explain()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LymphaticEndothelium", "CL:0002138"),  # endothelial cell of lymphatic vessel
        ("SmoothMuscle", "CL:0000192"),  # smooth muscle cell
        ("CD4Naive", "CL:0000895"),  # naive thymus-derived CD4-positive, alpha-beta T cell
    ],
)
def test_words_written_together_in_code_style_are_read_apart(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """Labels written for code join their words with capitals: had no candidate at all."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert best.confidence < AUTO_ACCEPT


@given(st.text(alphabet="aAbBcCeEhHlLmMsStT0123456789 _-", max_size=24))
def test_reading_words_apart_only_adds_spaces(value: str) -> None:
    """It never drops, adds or changes a character but spaces; names with one inner capital
    before fewer than three lower-case letters stay as written."""
    from harmonize.match.values.interpret import words_apart

    assert words_apart(value).replace(" ", "") == value.replace(" ", "")
    for name in ("HeLa", "iPSC", "MyoD", "NKp46", "K562", "hESC", "T cell", "CD4"):
        assert words_apart(name) == name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fibroblast cell_POSTN high", "CL:0000057"),  # fibroblast
        ("Macrophage cell 2", "CL:0000235"),  # macrophage
    ],
)
def test_a_cell_noun_followed_by_cell_is_that_cell(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """Before, a longer name saying "cell" too ("alveolar type 1 fibroblast cell", "macrophage
    derived foam cell") took the cell noun's place: every cell type's name says "cell"."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert best.confidence < AUTO_ACCEPT


# -- a cluster's index before its label ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "head", "index"),
    [("3.CD4 naive", "naive", "3."), ("0_B cells", "B cells", "0_"), ("12.Macrophages",
     "Macrophages", "12.")],
)  # fmt: skip
def test_a_clusters_leading_index_is_a_count(value: str, head: str, index: str) -> None:
    split = split_qualifiers(value)
    assert split is not None and split.head == head
    assert [(q.text, q.kind) for q in split.qualifiers if q.kind == "count"] == [(index, "count")]


@pytest.mark.parametrize("value", ["HuH-7.5", "2.5 mm", "A549", "1.5x"])
def test_a_number_in_a_name_is_no_leading_index(value: str) -> None:
    split = split_qualifiers(value)
    assert split is None or all(
        q.kind != "count" or q.text[-1] not in "._" for q in split.qualifiers
    )


def test_a_clusters_leading_index_is_set_aside(cl: ValueMatcher) -> None:
    best = cl.match("0_B cells").best
    assert best is not None and best.id == B_CELL
    assert "set aside '0_' (count)" in best.explain()


def test_a_resting_state_no_name_has_is_set_aside(cl: ValueMatcher) -> None:
    """``Basal resting`` had met "tissue-resident macrophage" through its synonym "resting
    histiocyte"; a name that says it stays (``resting microglia``)."""
    best = cl.match("Basal resting").best
    assert best is not None and best.id == "CL:0000646"  # basal cell
    assert "'resting' (state)" in best.explain()
    named = cl.match("resting microglia").best
    assert named is not None and named.id == "CL:0002628"
