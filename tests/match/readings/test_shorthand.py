"""Part 3: shorthand, from the ontology file's abbreviations and a documented list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.matcher import ValueMatcher
from harmonize.match.values.shorthand import (
    BEFORE_T,
    BESIDE_CORECEPTOR,
    SHORTHAND,
    SHORTHAND_FILE,
    SOURCES_FILE,
    expand_shorthand,
    is_shorthand,
    read_shorthand,
)


def test_every_entry_says_where_it_comes_from() -> None:
    entries = (*SHORTHAND, *BEFORE_T, *BESIDE_CORECEPTOR)
    sources = {entry.source for entry in entries}
    assert all(entry.short and entry.expansion and entry.source for entry in entries)
    # ontology synonyms, anatomy abbreviations, clinical usage and published nomenclature
    # (cited with its journal and year): never a benchmark file
    assert all(
        any(word in source for word in ("synonym", "Terminologia", "clinical"))
        or re.search(r"[A-Z][a-z]+(?: et al\.)? (19|20)\d\d, [A-Z]", source)
        for source in sources
    )


def test_the_list_is_data_with_a_citation_per_source() -> None:
    """The shipped list is read from its files: every row once, every source cited."""
    rows = SHORTHAND_FILE.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == len(SHORTHAND) + len(BEFORE_T) + len(BESIDE_CORECEPTOR)
    cited = SOURCES_FILE.read_text(encoding="utf-8").splitlines()[1:]
    used = {row.split("\t")[3] for row in rows}
    assert used == {line.split("\t")[0] for line in cited}  # none missing, none unused
    assert {e.where for e in (*SHORTHAND, *BEFORE_T, *BESIDE_CORECEPTOR)} == {
        "anywhere", "alone", "before_T", "beside_CD4_CD8",
    }  # fmt: skip


def _one_source(tmp_path: Path) -> Path:
    sources = tmp_path / "sources.tsv"
    sources.write_text("source\tcitation\nclinical\tclinical shorthand\n", encoding="utf-8")
    return sources


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ("short\texpansion\n", "line 1: expected the header"),
        ("short\texpansion\twhere\tsource\nBM\tbone marrow\tanywhere\n", "line 2: expected 4"),
        ("short\texpansion\twhere\tsource\nBM\t\tanywhere\tclinical\n", "line 2: expected 4"),
        ("short\texpansion\twhere\tsource\nBM\tbone marrow\tinside\tclinical\n", "line 2: 'where'"),
        ("short\texpansion\twhere\tsource\nBM\tbone marrow\tanywhere\tblog\n", "source 'blog'"),
    ],
)
def test_a_malformed_list_names_its_file_and_line(tmp_path: Path, rows: str, said: str) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text(rows, encoding="utf-8")
    sources = _one_source(tmp_path)
    with pytest.raises(ValueError, match=re.escape(said)) as error:
        read_shorthand(path, sources)
    assert str(error.value).startswith("mine.tsv: line ")


@given(st.binary(max_size=300))
def test_any_file_gives_entries_or_a_one_line_error(content: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mine.tsv"
        path.write_bytes(b"short\texpansion\twhere\tsource\n" + content)
        try:
            entries = read_shorthand(path, _one_source(Path(tmp)))
        except ValueError as error:
            assert str(error).startswith("mine.tsv: ") and "\n" not in str(error)
        else:
            assert all(e.short and e.expansion and e.source for e in entries)


def test_a_list_of_ones_own_is_read_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "lab.tsv"
    path.write_text(
        "short\texpansion\twhere\tsource\nBM\tbone marrow\tanywhere\tclinical\n",
        encoding="utf-8",
    )
    sources = _one_source(tmp_path)
    [entry] = read_shorthand(path, sources)
    assert (entry.short, entry.expansion, entry.where, entry.source) == (
        "BM", "bone marrow", "anywhere", "clinical shorthand",
    )  # fmt: skip


def test_expansions_name_their_source() -> None:
    [(text, used)] = expand_shorthand("BM aspirate")
    assert text == "bone marrow aspirate"
    assert used[0].short == "BM" and "clinical" in used[0].source
    assert expand_shorthand("skeletal m.")[0][0] == "skeletal muscle"
    assert {t for t, _ in expand_shorthand("NPC")} == {
        "neural progenitor cell",
        "nasopharyngeal carcinoma",
    }  # homonyms: each is tried, the slot's branch decides


def test_shorthand_is_a_word_of_its_own() -> None:
    """Inside an identifier or a longer word it is no shorthand ("NK-92", "SUP-T1" are
    cell lines; "ln" inside "Paraoxymální" is no lymph node; "PT" right after a number
    is part of the line "SUM-149PT", no proximal tubule)."""
    for value in (
        "NK-92", "SUP-T1 cell", "Paraoxymální tachykardie", "BMX", "CD4-neg", "SUM-149PT cell",
        "D-283MED cell",
    ):  # fmt: skip
        assert expand_shorthand(value) == [], value


@given(st.text(max_size=40))
def test_expansion_never_fails(value: str) -> None:
    for text, used in expand_shorthand(value):
        assert used and text != value


@pytest.mark.parametrize(
    ("value", "slot", "expected"),
    [
        ("BM", "uberon", "UBERON:0002371"),  # bone marrow, not bronchial mucosa
        ("LN", "uberon", "UBERON:0000029"),  # lymph node
        ("CSF", "uberon", "UBERON:0001359"),  # the file's own exact abbreviation
        ("hESC", "cl", "CL:0002322"),  # embryonic stem cell
        ("skeletal m.", "cl", "CL:0000188"),  # the cell slot reads the muscle cell
        ("GMPs", "cl", "CL:0000557"),  # granulocyte monocyte progenitor cell: none before
        ("CD14+ moDC", "cl", "CL:0011031"),  # monocyte-derived dendritic cell
        ("TAL", "uberon", "UBERON:0001291"),  # thick ascending limb of loop of Henle
        ("DCT", "cl", "CL:1000849"),  # kidney distal convoluted tubule epithelial cell
        ("CMP", "cl", "CL:0000049"),  # common myeloid progenitor
        ("CLPs", "cl", "CL:0000051"),  # common lymphoid progenitor
        ("LMPP", "cl", "CL:0000936"),  # early lymphoid progenitor, by its exact synonym
        ("CTL", "cl", "CL:0000910"),  # cytotoxic T cell
        ("NKT", "cl", "CL:0000814"),  # mature NK T cell
        ("RGCs", "cl", "CL:0000740"),  # retinal ganglion cell
        # a marker and a shorthand together, in CL's naming of CD4 / CD8 T cells
        ("CD8 CTL", "cl", "CL:0000794"),  # CD8-positive, alpha-beta cytotoxic T cell
        ("CD4 CTL", "cl", "CL:0000934"),  # CD4-positive, alpha-beta cytotoxic T cell
        # the list's expansion, never the initials of a label ("cardiac atrium fibroblast",
        # "tissue-resident macrophage"); no term says it whole: the broader one
        ("PT", "uberon", "UBERON:0004134"),  # proximal tubule (nephron segment shorthand)
        ("DLPFC", "uberon", "UBERON:0009834"),  # dorsolateral prefrontal cortex (NeuroNames)
        ("SMC", "cl", "CL:0000192"),  # smooth muscle cell: the file's own abbreviation "SMCs"
        ("PEC", "cl", "CL:1000452"),  # parietal epithelial cell
        ("CAF", "cl", "CL:0000057"),  # fibroblast
        ("TRM", "cl", "CL:0000813"),  # memory T cell
        # single-cell annotation labels (Azimuth's, CellTypist's): subsets by their names
        ("ASDC", "cl", "CL:0017009"),  # Axl+ dendritic cell, human
        ("dnT", "cl", "CL:0002489"),  # CL's "double negative T cell"
        ("DN T cells", "cl", "CL:0002489"),
        # clinical shorthand the shipped MONDO has no abbreviation for (had a guess by
        # initials: "hearing loss disorder", "ovarian serous adenocarcinoma")
        ("HLD", "disease", "MONDO:0021187"),  # hyperlipidemia
        ("OSA", "disease", "MONDO:0007147"),  # obstructive sleep apnea syndrome
    ],
)
def test_shorthand_reaches_the_term(
    value: str, slot: str, expected: str, request: pytest.FixtureRequest
) -> None:
    matcher: ValueMatcher = request.getfixturevalue(slot)
    best = matcher.match(value).best
    assert best is not None and best.id == expected
    assert best.confidence < AUTO_ACCEPT or "abbreviation (exact)" in best.explain()


def test_the_file_abbreviations_are_names(data_dir: Path) -> None:
    """An OBO synonym of type ABBREVIATION ("BM" of bone marrow) is matched directly."""
    from harmonize.ontology.cache import load_index

    matcher = ValueMatcher(load_index(data_dir / "grounding" / "taxon-mini.obo"))
    best = matcher.match("BM").best
    assert best is not None and best.id == "UBERON:0002371"
    assert best.evidence.field == "abbreviation"


@pytest.mark.parametrize("value", ["TEM", "CAF", "TRM"])
def test_a_short_form_of_the_list_is_no_cell_line(value: str, cl: ValueMatcher) -> None:
    """``TEM`` (effector memory T cells) is also the name of a Cellosaurus line: the
    list's short form wins, so the value gets candidates, not "is the cell line TEM"."""
    result = cl.match(value, top_k=3)
    assert result.note is None or "cell line" not in result.note
    assert result.candidates
    assert all(f"shorthand {value!r}" in c.explain() for c in result.candidates[:1])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("gd T cells", "CL:0000798"),  # gamma-delta T cell
        ("gdT", "CL:0000798"),  # (not CL's initialism "GDT" of gamma-delta thymocyte)
        ("gd_T", "CL:0000798"),
        ("ab T cells", "CL:0000789"),  # alpha-beta T cell
    ],
)
def test_greek_letters_written_in_latin_before_t(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """γδ / αβ T cells written "gd T", "ab T": read so only right before "T"."""
    best = cl.match(value).best
    assert best is not None and best.id == expected
    assert "'gd' = 'gamma-delta'" in best.explain() or "'ab' = 'alpha-beta'" in best.explain()


def test_greek_letters_in_latin_only_before_t() -> None:
    """Alone, "GD" and "AB" are other things (Graves' disease, a blood group): no reading."""
    for value in ("GD", "AB", "blood group AB", "Abt", "gd", "GD2 antigen"):
        assert expand_shorthand(value) == [], value
    assert not is_shorthand("gd") and not is_shorthand("ab")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CD8 EM", "CL:0000913"),  # effector memory CD8-positive, alpha-beta T cell
        ("CD8EM", "CL:0000913"),
        ("CD8+ EM T cells", "CL:0000913"),
        ("CD4 CM", "CL:0000904"),  # central memory CD4-positive, alpha-beta T cell
        # written first, as flow-cytometry gates are named (had Tc1 / CD4 helper T cells)
        ("EM CD8+ T cells", "CL:0000913"),
        ("CM_CD4", "CL:0000904"),
    ],
)
def test_memory_subsets_after_a_coreceptor(value: str, expected: str, cl: ValueMatcher) -> None:
    """ "CD8 EM", "CD4 CM": effector / central memory T cells, read so only right after
    CD4 or CD8 (CL's initialisms "EM", "CM" are of macrophages and monocytes)."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "Mahnke et al. 2013" in best.explain()


def test_memory_subsets_only_after_a_coreceptor() -> None:
    """Alone or after another word, "EM" and "CM" are other things (electron microscopy,
    centimetre): no reading."""
    for value in ("EM", "CM", "skin 2 cm", "CD19 EM", "CD8 EMT", "CD80 CM", "EM CD80", "EMT CD8"):
        assert expand_shorthand(value) == [], value
    assert not is_shorthand("EM") and not is_shorthand("CM")


@pytest.mark.parametrize("value", ["TCM1", "TCM1 (Th0)", "TCM (Th0)"])
def test_a_short_form_with_a_count_or_bracket_is_read_from_the_list(
    value: str, cl: ValueMatcher
) -> None:
    """ "TCM1": the list's T cell subset (central memory), with the count set aside; never
    the initials CL records for "thymic cortical macrophage" (as for "TCM" alone)."""
    found = cl.match(value, top_k=5).candidates
    assert found and cl.index.label(found[0].id).startswith("central memory"), value
    assert "'TCM' = 'central memory T cell'" in found[0].explain()
    thymic = [c for c in found if c.id == "CL:0000883"]
    assert not thymic or thymic[0].confidence < found[0].confidence


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("cMono", "CL:0000860"),  # classical monocyte
        ("ncMono", "CL:0000875"),  # non-classical monocyte
        ("intMono", "CL:0002393"),  # intermediate monocyte
        ("Arterial EC", "CL:1000413"),  # endothelial cell of artery
        ("EC arterial", "CL:1000413"),  # (as the Human Lung Cell Atlas writes it)
        ("Lymphatic EC", "CL:0002138"),  # endothelial cell of lymphatic vessel
        ("ECs", "CL:0000115"),  # endothelial cell
        ("Alveolar Mph CCL3+", "CL:4033041"),  # CCL3-positive alveolar macrophage (HLCA)
        ("Mφ", "CL:0000235"),  # macrophage
    ],
)
def test_monocyte_subsets_and_endothelial_cells_written_short(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """Blood monocyte subsets (cMono, ncMono, intMono) and "EC" for endothelial cells, each
    read from the list with its source; a short form written in code style is not split
    into words ("ncMono" is no "nc Mono")."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "et al. 20" in best.explain() and best.confidence < AUTO_ACCEPT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("C-TAL", "CL:1001109"),  # cortical thick ascending limb epithelial cell
        ("M-TAL", "CL:1001108"),  # medullary
        ("PT-S1", "CL:4030009"),  # epithelial cell of proximal tubule segment 1
        ("PT-S3 cells", "CL:4030011"),
        ("EC-GC", "CL:1001005"),  # glomerular capillary endothelial cell
        ("EC-PTC", "CL:1001033"),  # peritubular capillary endothelial cell
        ("POD", "CL:0000653"),  # podocyte
    ],
)
def test_kidney_atlas_codes_joined_by_a_hyphen(value: str, expected: str, cl: ValueMatcher) -> None:
    """The kidney atlas's subclass codes (Lake et al. 2023): a short form joined by a
    hyphen is read whole ("C-TAL" had met "parafollicular cell" through "C cell"); a
    hyphenated word that is no entry stays an identifier ("NK-92")."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert "Lake et al. 2023" in best.explain() and best.confidence < AUTO_ACCEPT
    assert expand_shorthand("c-tal")[0][0] == "cortical thick ascending limb"
    assert expand_shorthand("XC-TAL") == [] and expand_shorthand("C-TAL2") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LUAD", "MONDO:0005061"),  # lung adenocarcinoma (TCGA)
        ("LUSC", "MONDO:0005097"),  # squamous cell lung carcinoma
        ("PDAC", "MONDO:0005184"),  # pancreatic ductal adenocarcinoma
        ("MS", "MONDO:0005301"),  # multiple sclerosis (an initialism guess before)
        ("UC", "MONDO:0005101"),  # ulcerative colitis
        ("LUAD tumor", "MONDO:0005061"),
    ],
)
def test_disease_shorthand(value: str, expected: str, disease: ValueMatcher) -> None:
    """Tumour types as TCGA abbreviates them and common clinical shorthand, each with its
    source; a reading, so never auto-accepted."""
    best = disease.match(value).best
    assert best is not None and best.id == expected, value
    assert "et al. 20" in best.explain() or "clinical" in best.explain(), value
    assert best.confidence < AUTO_ACCEPT


def test_an_entry_read_alone_is_read_only_as_the_whole_value() -> None:
    """``alone`` entries are words of the ontology's own names ("<short> disease resulting
    in ...") or name other things inside a value: read only when they are all of it."""
    alone = [e for e in SHORTHAND if e.where == "alone"]
    assert alone
    for entry in alone:
        assert [t for t, _ in expand_shorthand(entry.short)] == [entry.expansion], entry
        assert expand_shorthand(f"{entry.short} disease resulting in anaemia") == [], entry


def test_every_disease_expansion_names_a_mondo_term(disease: ValueMatcher) -> None:
    """Each tumour type and disease of the list is written as MONDO names it (a label or an
    exact synonym): the expansion itself is an exact name, not a near one."""
    entries = [e for e in SHORTHAND if "TCGA" in e.source or "Dis Primers" in e.source]
    clinical = {"MS", "UC", "HIV", "HBV", "CKD", "UTI", "TBI", "ADHD", "TB", "OA", "PE", "BD", "SZ"}
    entries += [e for e in SHORTHAND if e.short in clinical]
    assert len(entries) >= 25
    for entry in entries:
        best = disease.match(entry.expansion).best
        assert best is not None and best.id.startswith("MONDO:"), entry
        assert best.evidence.method in {"exact", "normalized"}, entry
        assert best.predicate == "skos:exactMatch", entry


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LUL", "UBERON:0008952"),  # upper lobe of left lung
        ("RML", "UBERON:0002174"),  # middle lobe of right lung
        ("RLL", "UBERON:0002171"),  # lower lobe of right lung
    ],
)
def test_lung_lobes_written_short(value: str, expected: str, uberon: ValueMatcher) -> None:
    best = uberon.match(value).best
    assert best is not None and best.id == expected, value
    assert "clinical shorthand" in best.explain()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Treg cells", "CL:0000815"),  # regulatory T cell (had "regulatory T cell cells")
        ("HSC cells", "CL:0000037"),  # hematopoietic stem cell
        ("MSC cell", "CL:0000134"),  # mesenchymal stem cell
    ],
)
def test_a_short_form_then_its_own_noun_is_read_once(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """``Treg cells``: the noun after the short form repeats its expansion's last word; it
    is read once, so the expansion is the term's whole name."""
    best = cl.match(value).best
    assert best is not None and best.id == expected and best.predicate == "skos:exactMatch"
    assert best.confidence >= 0.9, best.explain()
    assert expand_shorthand("BM cells")[0][0] == "bone marrow cells"  # not the same word


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hMSC", "CL:0000134"),  # mesenchymal stem cell, "human" set aside
        ("hMSCs cultured", "CL:0000134"),  # (had "hair matrix stem cell": its initials)
        ("MDSCs", "CL:0000889"),  # myeloid suppressor cell: a plural of the list's form
    ],
)
def test_a_short_form_in_the_plural_or_after_h_for_human(
    value: str, expected: str, cl: ValueMatcher
) -> None:
    """``hiPSC``, ``hMSCs``, ``MDSCs``: the list's short form after an "h" for human, or
    with a plural "s", is read as the list's entry; the species is said, never guessed."""
    best = cl.match(value).best
    assert best is not None and best.id == expected, value
    assert best.confidence < AUTO_ACCEPT
    assert is_shorthand("hiPSCs") and is_shorthand("MDSCs") and is_shorthand("hMSC")
    (text, used), *_ = expand_shorthand("hiPSCs, day 3")
    assert text.startswith("human induced pluripotent stem cell") and "h- for human" in (
        used[0].source
    )
    # only "h", only before a short form for cells of three letters or more, as written
    for word in ("heart", "hDC", "hNK", "mDC", "mTEC", "hmsc", "hepatocytes", "Hs"):
        assert not expand_shorthand(word), word


def test_the_files_own_abbreviation_is_read_among_other_words(disease: ValueMatcher) -> None:
    """``DM type 2``: MONDO gives "DM" as the abbreviation of diabetes mellitus and names
    the type by its words ("diabetes mellitus, type 2"); the word is read as the term's
    names and the text so read names the type (it had diabetes mellitus, a broader
    match, by similarity). Said, never auto-accepted; a word in another case, or an
    abbreviation whose names give no term with the other words, reads nothing."""
    for value, expected in (
        ("DM type 2", "MONDO:0005148"),  # type 2 diabetes mellitus: "diabetes mellitus, type 2"
        ("DM type 1", "MONDO:0005147"),  # type 1 ...: its words in another order
    ):
        best = disease.match(value).best
        assert best is not None and best.id == expected, best
        assert "the ontology's abbreviation 'DM' = 'diabetes mellitus'" in best.explain()
        assert best.confidence < AUTO_ACCEPT
    for value in ("dm type 2", "DM island"):
        for candidate in disease.match(value).candidates:
            assert "the ontology's abbreviation" not in candidate.explain(), (value, candidate)
