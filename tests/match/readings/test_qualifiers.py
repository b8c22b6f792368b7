"""Part 1: qualifiers (species, life stage, state, sampling, side, counts) set aside."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.qualifiers import species_taxon, split_qualifiers


def kinds(value: str) -> list[tuple[str, str]]:
    split = split_qualifiers(value)
    return [] if split is None else [(q.text, q.kind) for q in split.qualifiers]


def test_each_kind_of_qualifier() -> None:
    assert kinds("human skin") == [("human", "species")]
    assert kinds("E14.5 liver") == [("E14.5", "life stage")]
    assert kinds("FFPE tumour lung") == [("FFPE", "state"), ("tumour", "state")]
    assert kinds("liver bx") == [("bx", "sampling")]
    assert kinds("Lt lung biopsy 17") == [("Lt", "side"), ("biopsy", "sampling"), ("17", "count")]
    assert kinds("80% tumour lung") == [("80%", "count"), ("tumour", "state")]
    assert split_qualifiers("liver") is None


def test_numbers_that_name_are_no_counts() -> None:
    """A count or sample ID trails ("lung 17"); numbers inside names do not."""
    for value in (
        "cerebellar ataxia type 42",  # after a word that numbers subtypes
        "Dorsal Root Ganglion, Lumbar 4",  # after a word that numbers parts
        "Hs 683 cell",  # before a word of the name
        "5637 cell",
        "HuH-7.5 cell",  # joined to a word: an identifier
        "2,3-dihydroxybenzoate",  # a list of locants
        "intellectual developmental disorder 48",  # in a disease name
    ):
        assert all(kind != "count" for _, kind in kinds(value)), value
    assert kinds("lung 17") == [("17", "count")]


def test_head_and_the_more_specific_text() -> None:
    split = split_qualifiers("Lt lung biopsy 17")
    assert split is not None and split.head == "lung"
    # the side is kept first: the ontology may name the more specific term
    assert [text for text, _ in split.specific()] == ["Lt lung"]
    only = split_qualifiers("normal adjacent tissue")
    assert only is not None and only.head == ""


def test_species_word_gives_the_taxon() -> None:
    assert species_taxon("murine liver") == "NCBITaxon:10090"
    assert species_taxon("human skin") == "NCBITaxon:9606"
    assert species_taxon("humanized liver") is None


@given(st.text(max_size=80))
def test_splitting_never_fails_and_keeps_the_value_words(value: str) -> None:
    split = split_qualifiers(value)
    if split is None:
        return
    assert all(q.text and q.text in value for q in split.qualifiers)
    words = value.casefold().split()
    assert all(word in value.casefold() for word in split.head.casefold().split()), words


def test_a_qualifier_the_slot_models_elsewhere_is_not_the_answer(uberon: ValueMatcher) -> None:
    """``adult heart`` is the heart (life stage is another slot), never adult organism;
    ``liver bx`` is the liver; both are close matches, not auto-accepted, and the comment
    says what was set aside."""
    for value, expected, aside in (
        ("adult heart", "UBERON:0000948", "'adult' (life stage)"),
        ("fetal liver", "UBERON:0002107", "'fetal' (life stage)"),
        ("liver bx", "UBERON:0002107", "'bx' (sampling)"),
    ):
        best = uberon.match(value).best
        assert best is not None and best.id == expected, value
        assert best.predicate == "skos:closeMatch" and best.confidence < AUTO_ACCEPT
        assert f"set aside {aside}" in best.explain()


def test_a_qualifier_is_used_when_the_ontology_names_the_specific_term(
    uberon: ValueMatcher,
) -> None:
    """``left lung`` is a term; ``Lt lung biopsy 17`` reaches it (side read, sampling and
    sample number set aside) before the plain lung."""
    assert uberon.match("left lung").best.id == "UBERON:0002168"  # type: ignore[union-attr]
    result = uberon.match("Lt lung biopsy 17", top_k=3)
    assert [c.id for c in result.candidates[:2]] == ["UBERON:0002168", "UBERON:0002048"]
    assert "set aside 'biopsy' (sampling), '17' (count)" in result.candidates[0].explain()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("R lung", "UBERON:0002167"), ("lower lobe of L lung", "UBERON:0008953")],
)
def test_a_side_written_as_a_capital_letter_is_read_in_full(
    value: str, expected: str, uberon: ValueMatcher
) -> None:
    """Clinical notes write the side as one capital letter: read as the word a name says
    it with, and said; never auto-accepted (a letter is a guess)."""
    best = uberon.match(value).best
    assert best is not None and best.id == expected, (value, best)
    assert "= 'right'" in best.explain() or "= 'left'" in best.explain()
    assert best.confidence < AUTO_ACCEPT


def test_a_letter_joined_to_a_name_is_no_side() -> None:
    """A cell line's name ("L-929"), a marker ("CD45R"), a lower-case letter: not a side."""
    for value in ("L-929 cell", "CD45R", "r lung", "RL lung"):
        split = split_qualifiers(value)
        assert split is None or all(q.kind != "side" for q in split.qualifiers), value
    split = split_qualifiers("breast (L.)")
    assert split is not None and [(q.text, q.kind, q.written()) for q in split.qualifiers] == [
        ("L.", "side", "left")
    ]


def test_only_qualifiers_names_no_term(uberon: ValueMatcher) -> None:
    result = uberon.match("normal adjacent tissue")
    assert result.candidates == ()
    assert result.note == (
        "no term named: only qualifiers 'normal' (state), 'adjacent' (state), 'tissue' (sampling)"
    )


def test_cluster_labels_name_their_markers_and_indices() -> None:
    """Labels made for code and cluster names: "_2" ends a cluster's name, a gene symbol
    with its level or a "+" is a marker ("FTL high", "SPP1_high", "PLIN2+"); a short form
    with its number stays ("Th2", "AT2"); one glued to a short form of the list is that
    short form's subset ("cDC2" -> "cDC", "2"; an ontology's own name, such as CL's
    "ILC2", still comes first in the matcher: test_cluster_labels)."""
    assert kinds("B_cells_1") == [("1", "count")]
    assert kinds("Monocyte_FTL high") == [("FTL high", "marker")]
    assert kinds("Microglia_SPP1_high") == [("SPP1_high", "marker")]
    assert kinds("PLIN2+ Fibroblasts") == [("PLIN2+", "marker")]
    assert kinds("HLA-DR+ monocyte") == [("HLA-DR+", "marker")]
    # mouse and rat gene symbols: a capital, lower-case letters, a number
    assert kinds("Endothelial cell_Col4A1 high") == [("Col4A1 high", "marker")]
    assert kinds("Fibroblast Col1a1+") == [("Col1a1+", "marker")]
    assert kinds("Macrophage_Lyz2_hi") == [("Lyz2_hi", "marker")]
    for value in ("Th2", "AT2", "high endothelial venule cell", "T cell", "Type 2 high", "Lyz2"):
        assert split_qualifiers(value) is None, value
    split = split_qualifiers("cDC2_2")
    assert split is not None and split.head == "cDC"
    assert [(q.text, q.kind) for q in split.qualifiers] == [("2", "count"), ("2", "count")]


def test_markers_stay_in_the_more_specific_text() -> None:
    """CL names cell types by their markers: "CD14 Monocytes 2" is first read as
    "CD14 Monocytes" (the count set aside), and only then as "Monocytes"."""
    split = split_qualifiers("CD14_Monocytes_2")
    assert split is not None and split.head == "Monocytes"
    assert [text for text, _ in split.specific()] == ["CD14_Monocytes"]
    lung = split_qualifiers("CD45+ lung biopsy 17")
    assert lung is not None
    assert [text for text, _ in lung.specific()] == ["CD45+ lung"]


def test_a_cluster_label_reaches_the_marker_term(cl: ValueMatcher) -> None:
    best = cl.match("CD14_Monocytes_2").best
    assert best is not None and best.id == "CL:0001054"  # CD14-positive monocyte
    best = cl.match("Monocyte_FTL high").best
    assert best is not None and best.id == "CL:0000576"  # monocyte
    assert best.confidence < AUTO_ACCEPT and "FTL high" in best.explain()


def test_what_quality_control_found_is_no_cell_type(cl: ValueMatcher) -> None:
    """Cluster labels from quality control ("Doublets", "B cell_Contamination",
    "T cells (doublets)"): a label that is only that names no term (and says why); one
    with a cell word gets that cell type, the QC word set aside and said, never
    auto-accepted (before: "Doublets" -> DN3 thymocyte by similarity to "double negative")."""
    assert kinds("B cell_Contamination") == [("Contamination", "quality")]
    doublets = cl.match("Doublets")
    assert doublets.candidates == ()
    assert doublets.note == "no term named: only qualifiers 'Doublets' (quality)"
    for value, said in (
        ("B cell_Contamination", "set aside 'Contamination' (quality)"),
        ("B cells (doublets)", "bracket 'doublets' set aside"),
    ):
        best = cl.match(value).best
        assert best is not None and best.id == "CL:0000236", value  # B cell
        assert best.confidence < AUTO_ACCEPT and best.predicate != "skos:exactMatch"
        assert said in best.explain()
    fresh = cl.match("B cells (fresh)").best  # a benign bracket is still dropped
    assert fresh is not None and fresh.id == "CL:0000236" and fresh.confidence >= AUTO_ACCEPT


def test_developmental_weeks_and_what_the_sample_is() -> None:
    """Gestational and post-conception weeks (``GW20``, ``PCW 12``, ``12 PCW``) are life
    stages; an organoid or a xenograft is what the sample is (CELLxGENE's tissue_type),
    not where it is from."""
    assert kinds("GW20 cortex") == [("GW20", "life stage")]
    assert kinds("PCW 12 heart") == [("PCW 12", "life stage")]
    assert kinds("12 PCW liver") == [("12 PCW", "life stage")]
    assert kinds("colon organoids") == [("organoids", "sampling")]
    assert kinds("PDX") == [("PDX", "sampling")]
    assert kinds("bronchial brushing") == [("brushing", "sampling")]
    assert kinds("bronchial washings") == [("washings", "sampling")]


def test_an_organoid_of_an_organ_names_the_organ(uberon: ValueMatcher) -> None:
    """``colon organoid`` had met "sigmoid colon" by similarity."""
    for value, organ in (
        ("colon organoid", "UBERON:0001155"),
        ("kidney organoid", "UBERON:0002113"),
    ):
        best = uberon.match(value).best
        assert best is not None and best.id == organ, value
        assert "'organoid' (sampling)" in best.explain() and best.confidence < AUTO_ACCEPT


def test_a_brushing_of_an_organ_names_the_organ(uberon: ValueMatcher) -> None:
    """``bronchial brushing`` had met "bronchial trunk" by similarity at 0.06."""
    best = uberon.match("bronchial brushing").best
    assert best is not None and best.id == "UBERON:0002185"  # bronchus
    assert "read as the organ it names" in best.explain() and best.confidence < AUTO_ACCEPT
    assert best.confidence > 0.5  # read as the organ, not met by similarity (0.06)


def test_what_was_done_to_the_sample_is_its_state(cl: ValueMatcher, uberon: ValueMatcher) -> None:
    """``LPS-stimulated macrophages``, ``mock-infected``, ``untreated``: a treatment, with
    its agent, is the sample's state (set aside and said), never a word of the name."""
    assert kinds("LPS-stimulated macrophages") == [("LPS-stimulated", "state")]
    assert kinds("IFN-g-treated monocytes") == [("IFN-g-treated", "state")]
    assert kinds("anti-CD3/CD28-stimulated T cells") == [("anti-CD3/CD28-stimulated", "state")]
    assert kinds("untreated mock-infected fibroblasts") == [
        ("untreated", "state"), ("mock-infected", "state"),
    ]  # fmt: skip
    for value, slot, expected in (
        ("LPS-stimulated macrophages", cl, "CL:0000235"),  # macrophage
        ("mock-infected fibroblasts", cl, "CL:0000057"),  # fibroblast
        ("DMSO-treated liver", uberon, "UBERON:0002107"),  # liver
    ):
        best = slot.match(value).best
        assert best is not None and best.id == expected, value
        assert "(state)" in best.explain() and best.confidence < AUTO_ACCEPT


def test_the_setting_a_cell_was_found_in_is_its_state(cl: ValueMatcher) -> None:
    """``tumor-associated macrophages``: the setting, hyphenated to its word, is the
    cells' state (had "border associated macrophage" by similarity, "tumor" alone set
    aside); a name that says "associated" is still met as written."""
    assert kinds("tumor-associated macrophages") == [("tumor-associated", "state")]
    assert kinds("cancer-associated fibroblasts") == [("cancer-associated", "state")]
    assert kinds("islet-infiltrating T cells") == [("islet-infiltrating", "state")]
    for value, expected in (
        ("tumor-associated macrophages", "CL:0000235"),  # macrophage
        ("cancer-associated fibroblasts", "CL:0000057"),  # fibroblast
        # had lymphocyte at 0.06 ("tumor" set aside, "infiltrating lymphocytes" guessed)
        ("tumor-infiltrating lymphocytes", "CL:0000542"),
        ("TILs", "CL:0000542"),  # the short form (Rosenberg et al. 1986): had nothing
    ):
        best = cl.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert "' (state)" in best.explain() and best.confidence < AUTO_ACCEPT
        assert (
            "-associated' (state)" in best.explain() or "-infiltrating' (state)" in best.explain()
        )
    named = cl.match("border-associated macrophages").best
    assert named is not None and named.predicate == "skos:exactMatch", named
    assert named.label == "border associated macrophage" and "(state)" not in named.explain()


def test_a_name_met_only_by_dropping_its_bracket_does_not_contest_a_reading(
    cl: ValueMatcher,
) -> None:
    """``adult macrophages``: "macrophage (sensu Diptera)" (an obsolete name) is met only by
    dropping its own bracket; as in the plain tiers, it is no name equal to the reading's
    head, so "macrophage" keeps the confidence of a qualifier reading (had 0.45)."""
    for value in ("adult macrophages", "human macrophage"):
        first, second, *_ = cl.match(value, top_k=3).candidates
        assert first.id == "CL:0000235" and first.confidence >= 0.8, first.explain()
        assert second.confidence < 0.1 and "dropped from the name" in second.explain()


def test_a_missing_value_marker_is_no_term(uberon: ValueMatcher) -> None:
    """``N/A``, ``NA``, ``-``, ``not recorded``: the cell holds no value (convert leaves it
    out), so grounding says so instead of meeting UBERON's abbreviation "NA" of "nasal
    artery" (had 0.82) or a cell line named "NA"; "none" stays a value (a schema may code
    it) and a name is still a name."""
    for value in ("N/A", "NA", " - ", "not recorded", "?"):
        result = uberon.match(value, top_k=5)
        assert result.candidates == () and result.note is not None, value
        assert "marks a missing value" in result.note
    liver = uberon.match("liver").best
    assert liver is not None and liver.id == "UBERON:0002107"
    assert uberon.match("none").note is None


def test_how_a_biopsy_was_taken_is_sampling(uberon: ValueMatcher) -> None:
    """``liver core biopsy``, ``skin punch biopsy``, ``core needle bx``: the kind of biopsy
    is part of the sampling set aside (``core biopsy`` alone had met "bony core of horn")."""
    assert kinds("liver core biopsy") == [("core biopsy", "sampling")]
    assert kinds("liver, core needle bx") == [("core needle bx", "sampling")]
    assert kinds("skin punch biopsy") == [("punch biopsy", "sampling")]
    assert uberon.match("core biopsy").candidates == ()
    best = uberon.match("liver core biopsy").best
    assert best is not None and best.id == "UBERON:0002107" and "(sampling)" in best.explain()


_NOTHING_SAID = re.compile(r"set aside\s*(?:;|$)")


def _notes(value: str) -> list[str]:
    from harmonize.match.values.interpret import iter_readings

    return [r.note for level in iter_readings(value, dropped=False) for r in level]


def test_a_reading_that_set_nothing_aside_says_what_it_read() -> None:
    """``HIV+``: the marker's sign is cut and nothing else; the comment had said "set
    aside ;" (nothing), now "read as 'HIV'"."""
    notes = _notes("HIV+")
    assert any(n.startswith("read as 'HIV'") for n in notes), notes
    assert not any(_NOTHING_SAID.search(n) for n in notes)


@given(st.text(alphabet="abcHIVCD48+- _()/,.0123", max_size=24))
def test_no_reading_says_it_set_aside_nothing(value: str) -> None:
    assert not any(_NOTHING_SAID.search(n) for n in _notes(value))


def test_a_disease_stage_is_its_state(disease: ValueMatcher) -> None:
    """``stage IV melanoma``, ``CKD stage 3``, ``relapsed AML``: how far the disease has
    gone is set aside and said (had "cutaneous melanoma" by similarity, CKD as a broader
    match); a name that says its stage is met as written."""
    assert kinds("stage IV melanoma") == [("stage IV", "state")]
    assert kinds("Stage IIIB NSCLC") == [("Stage IIIB", "state")]
    for value, expected in (
        ("stage IV melanoma", "MONDO:0005105"),  # melanoma
        ("CKD stage 3", "MONDO:0005300"),  # chronic kidney disease
        ("relapsed AML", "MONDO:0018874"),  # acute myeloid leukemia
    ):
        best = disease.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert "(state)" in best.explain() and best.confidence < AUTO_ACCEPT
    exacerbated = disease.match("acute exacerbation of COPD").best  # had "COPD NOS", fuzzy
    assert exacerbated is not None and exacerbated.id == "MONDO:0005002", exacerbated
    assert "'acute exacerbation' (state)" in exacerbated.explain()
    named = disease.match("stage IVb bladder cancer").best
    assert named is not None and named.label == "stage IVb bladder cancer", named


def test_a_name_that_is_not_otherwise_specified_yields_to_the_named_term(
    disease: ValueMatcher,
) -> None:
    """``AML``: MONDO's abbreviation of acute myeloid leukemia, and "AML, NOS" (the
    residual class "by FAB classification") once its NOS is dropped; the value says no
    NOS, so the term it names comes first (they had tied, the residual class first)."""
    first, second, *_ = disease.match("AML").candidates
    assert first.id == "MONDO:0018874" and first.confidence >= 0.8, first.explain()
    assert second.id == "MONDO:0015667" and second.confidence < first.confidence
    said = disease.match("AML, NOS").best  # a value that says NOS meets it as an equal
    assert said is not None and said.id == "MONDO:0015667", said


def test_a_plural_name_of_another_term_is_no_equal_rival(uberon: ValueMatcher) -> None:
    """``lung``: UBERON's label, and "lungs" (the pair of lungs) once made singular; the
    value says one lung, so the pair is no rival within the contest margin (0.82 before);
    ``lungs`` as written still meets the pair first."""
    first, second, *_ = uberon.match("lung").candidates
    assert first.id == "UBERON:0002048" and first.confidence > 0.85, first.explain()
    assert second.id == "UBERON:0000170" and second.confidence < 0.1  # pair of lungs
    pair = uberon.match("lungs").best
    assert pair is not None and pair.id == "UBERON:0000170"


def test_a_state_that_names_the_disease_is_its_head(disease: ValueMatcher) -> None:
    """``breast cancer stage II``: "cancer" is the disease, not a state of the sample (it
    had "breast disorder", with "cancer" set aside); a side after it is set aside, never
    the answer (PATO's "left"); a tumour is never offered as "normal"."""
    texts = [text for text, _ in split_qualifiers("breast cancer stage II").specific()]
    assert texts[0] == "breast cancer"
    staged = disease.match("breast cancer stage II").best
    assert staged is not None and staged.id == "MONDO:0007254", staged  # breast cancer
    assert "'stage II' (state)" in staged.explain() and "'cancer'" not in staged.explain()
    sided = disease.match("malignant tumour, left").best
    assert sided is not None and sided.id == "MONDO:0004992", sided  # cancer
    assert "'left' (side)" in sided.explain()
    for value in ("benign tumour", "tumour, left"):
        ids = [c.id for c in disease.match(value).candidates]
        assert "PATO:0000461" not in ids and "PATO:0000366" not in ids[:1], (value, ids)
    normal = disease.match("healthy control").best  # states that say no disease: normal
    assert normal is not None and normal.id == "PATO:0000461", normal


def test_severity_grade_and_course_are_states(disease: ValueMatcher) -> None:
    """How severe, how differentiated, whether it came back: set aside and said, the
    disease found, never auto-accepted (``mild asthma`` had asthma as a broader match,
    ``severe malaria`` "malaria, susceptibility to"); a name that says it is met whole."""
    assert kinds("HCC, poorly differentiated") == [("poorly differentiated", "state")]
    assert kinds("AML relapse") == [("relapse", "state")]
    for value, expected in (
        ("mild asthma", "MONDO:0004979"),  # asthma
        ("asthma, severe", "MONDO:0004979"),
        ("severe malaria", "MONDO:0005136"),  # malaria
        ("HCC, poorly differentiated", "MONDO:0007256"),  # hepatocellular carcinoma
        ("recurrent GBM", "MONDO:0018177"),  # glioblastoma
        ("AML relapse", "MONDO:0018874"),  # acute myeloid leukemia
    ):
        best = disease.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert "(state)" in best.explain() and best.predicate == "skos:closeMatch", value
        assert best.confidence < AUTO_ACCEPT, value
    for named in ("severe combined immunodeficiency", "recurrent respiratory papillomatosis"):
        best = disease.match(named).best
        assert best is not None and best.label == named and best.confidence >= AUTO_ACCEPT


def test_a_size_and_a_metastasis_are_set_aside(uberon: ValueMatcher) -> None:
    """``skin punch 4mm``, ``liver mets``: a size or an amount of the sample and a
    metastasis found in the tissue are no part of its name (they had skin and liver as
    broader terms reached by dropping words, at 0.45 and 0.50)."""
    assert kinds("skin punch 4mm") == [("punch", "sampling"), ("4mm", "count")]
    assert kinds("breast, 2 cm") == [("2 cm", "count")]
    assert kinds("lymph node metastasis") == [("metastasis", "state")]
    for value, expected in (
        ("skin punch 4mm", "UBERON:0000014"),  # zone of skin
        ("liver mets", "UBERON:0002107"),  # liver
        ("lymph node metastasis", "UBERON:0000029"),  # lymph node
    ):
        best = uberon.match(value).best
        assert best is not None and best.id == expected, (value, best and best.explain())
        assert best.predicate == "skos:closeMatch" and "set aside" in best.explain(), value
    assert all(kind != "count" for _, kind in kinds("CD4 CM"))  # no number: no size
