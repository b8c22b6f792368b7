"""Column -> slot matching: ranking, evidence, one-to-one assignment, value mapping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from harmonize.io import read_table
from harmonize.match.columns.features import FEATURES, column_profile, feature_matrix
from harmonize.match.columns.index import slot_index
from harmonize.match.columns.matcher import STRONG, _assign, match_columns
from harmonize.match.columns.report import column_mapping_set, render_table, value_mapping_set
from harmonize.match.columns.text import name_words, stem
from harmonize.match.columns.values import map_values, pv_curie
from harmonize.schema import load_schema

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data" / "columns"


@pytest.fixture(scope="module")
def biobank():  # type: ignore[no-untyped-def]
    return load_schema(DATA / "biobank.yaml")


@pytest.fixture(scope="module")
def partner_matching(biobank):  # type: ignore[no-untyped-def]
    return match_columns(read_table(DATA / "partner.csv"), biobank, top_k=4)


# -- names --------------------------------------------------------------------------


def test_name_words_expand_abbreviations_units_and_tnm() -> None:
    assert name_words("Tumor_Size_cm").expanded == ("tumor", "size", "centimeter")
    assert name_words("Tumor_Size_cm").quantity == "length"
    assert name_words("num_yrs_alc_con").expanded == ("number", "year", "alcohol", "consumption")
    pn = name_words("Path_Stage_Reg_Lymph_Nodes-pN")
    assert pn.expanded[-2:] == ("pathologic", "n")  # pN read as pathologic N, not "p number"
    assert "lymph" in pn.synonyms or "regional" in pn.synonyms or "regional" in pn.expanded
    assert name_words("Clin_Stage_Dist_Mets-cM").unit is None  # cM is clinical M, not cm
    assert name_words("Estrogen_Receptor_%").unit == "percent"
    assert "gender" in name_words("sex").synonyms


def test_stem_joins_word_forms() -> None:
    assert stem("pathological") == stem("pathologic") == stem("pathology")
    assert stem("staging") == stem("stage")
    assert stem("country") != stem("count")


# -- ranking on our own schema ------------------------------------------------------

EXPECTED = {
    "Specimen_ID": "sample_id",
    "Gender": "donor_sex",
    "AgeYrs": "age_in_years",
    "BMI": "body_mass_index",
    "Smoking_Hx": "smoking_status",
    "Tumor_Size_cm": "tumor_largest_dimension",
    "Collected_On": "collection_date",
    "Histology": "diagnosis",
    "Tumour_Site": "anatomical_site",
    "Grade": "tumor_grade",
    "Num_Pos_LN": "number_of_positive_lymph_nodes",
}


@pytest.mark.parametrize(("column", "slot"), sorted(EXPECTED.items()))
def test_realistic_headers_rank_the_right_slot_first(partner_matching, column, slot) -> None:  # type: ignore[no-untyped-def]
    match = partner_matching.column(column)
    assert match.best is not None and match.best.slot == slot, match.candidates
    assert match.assigned == slot


def test_candidates_ordered_with_evidence(partner_matching) -> None:  # type: ignore[no-untyped-def]
    assert partner_matching.table_format == "utf-8, comma-separated"
    assert partner_matching.class_name == "Sample"
    for match in partner_matching.columns:
        assert len(match.candidates) == 4
        confidences = [c.confidence for c in match.candidates]
        assert confidences == sorted(confidences, reverse=True) or match.assigned
        assert all(0.0 <= c <= 1.0 for c in confidences)
    smoking = partner_matching.column("Smoking_Hx").best
    assert smoking is not None
    assert any("permissible values" in e for e in smoking.evidence), smoking.evidence
    size = partner_matching.column("Tumor_Size_cm").best
    assert size is not None and "numeric values, numeric slot" in size.evidence
    assert smoking.predicate == "skos:exactMatch"  # strong and assigned


def test_free_text_column_gets_no_confident_slot(partner_matching) -> None:  # type: ignore[no-untyped-def]
    notes = partner_matching.column("Notes")
    assert notes.assigned is None
    assert notes.best is not None and notes.best.confidence < 0.2
    assert notes.best.predicate == "skos:closeMatch"


def test_features_are_bounded_and_explain_values(biobank) -> None:  # type: ignore[no-untyped-def]
    index = slot_index(biobank)
    assert slot_index(biobank) is index  # cached per schema and class
    profiles = [
        column_profile("sex", ["M", "male", "Female", "female", ""]),
        column_profile("weight_kg", ["70.5", "81", "n/a"]),
    ]
    features = feature_matrix(profiles, index)
    assert features.shape == (2, len(index), len(FEATURES))
    assert float(features.min()) >= 0.0 and float(features.max()) <= 1.0 + 1e-6
    sex = [s.name for s in index.slots].index("donor_sex")
    overlap = features[0, sex, FEATURES.index("value_overlap")]
    assert overlap == pytest.approx(0.75)  # 3 of the 4 filled cells are permissible values
    assert profiles[1].numeric == 1.0 and profiles[1].n_filled == 2


def test_class_option_and_unknown_class(biobank) -> None:  # type: ignore[no-untyped-def]
    from harmonize.errors import SchemaError

    table = read_table(DATA / "partner.csv")
    donor = match_columns(table, biobank, class_name="donor", top_k=2)
    assert donor.class_name == "Donor" and donor.n_slots == 4
    assert donor.column("Gender").assigned == "donor_sex"
    with pytest.raises(SchemaError, match="no class 'Nope'"):
        match_columns(table, biobank, class_name="Nope")


def test_numeric_range_and_pattern_are_evidence(biobank) -> None:  # type: ignore[no-untyped-def]
    index = slot_index(biobank, "Donor")
    names = [s.name for s in index.slots]
    age, code = names.index("age_in_years"), names.index("donor_code")
    fit, clash = FEATURES.index("type_fit"), FEATURES.index("type_clash")
    profiles = [
        column_profile("value", ["34", "57", "81"]),  # inside 0..130
        column_profile("value", ["340", "570", "810"]),  # outside
        column_profile("x", ["D0001", "D0042", "D1234"]),  # fits ^D[0-9]{4}$
        column_profile("x", ["apple", "pear", "plum"]),
    ]
    features = feature_matrix(profiles, index)
    assert features[0, age, fit] > features[1, age, fit]
    assert features[0, age, clash] == 0.0 and features[1, age, clash] >= 0.5
    assert features[2, code, fit] == 1.0 and features[2, code, clash] == 0.0
    assert features[3, code, fit] == 0.0 and features[3, code, clash] == 1.0


# -- one-to-one assignment ----------------------------------------------------------


def _scored(confs: list[list[float]]):  # type: ignore[no-untyped-def]
    out = []
    for row in confs:
        conf = np.array(row, dtype=np.float32)
        out.append((conf, conf, [int(i) for i in np.argsort(-conf, kind="stable")]))
    return out


def test_assignment_gives_a_taken_slot_to_the_stronger_column(biobank) -> None:  # type: ignore[no-untyped-def]
    index = slot_index(biobank)
    n = len(index)
    a = [0.0] * n
    b = [0.0] * n
    a[0], a[1] = 0.7, 0.1
    b[0], b[1] = 0.6, 0.5
    assigned, claimed = _assign(_scored([a, b]), index)
    assert assigned == {0: 0, 1: 1}  # b falls back to its second slot
    assert claimed[0] == 0


def test_assignment_lets_two_strong_columns_share(biobank) -> None:  # type: ignore[no-untyped-def]
    index = slot_index(biobank)
    n = len(index)
    a = [0.0] * n
    b = [0.0] * n
    a[0] = b[0] = STRONG + 0.05
    b[1] = 0.5
    assigned, _ = _assign(_scored([a, b]), index)
    assert assigned == {0: 0, 1: 0}


def test_duplicate_signal_columns_do_not_both_claim_one_slot(tmp_path, biobank) -> None:  # type: ignore[no-untyped-def]
    table_path = tmp_path / "two.csv"
    table_path.write_text("Sex,Gender_code\nmale,1\nfemale,2\nmale,1\n", encoding="utf-8")
    matching = match_columns(read_table(table_path), biobank, top_k=3)
    assert matching.column("Sex").assigned == "donor_sex"
    code = matching.column("Gender_code")
    assert code.assigned != "donor_sex"
    if code.best and code.best.slot == "donor_sex":  # still ranked, but marked as taken
        assert code.best.note and "taken by column 'Sex'" in code.best.note


# -- values and SSSOM ---------------------------------------------------------------


def test_value_mapping_to_permissible_values_and_meanings(biobank, partner_matching) -> None:  # type: ignore[no-untyped-def]
    table = read_table(DATA / "partner.csv")
    mapped = map_values(table, partner_matching, biobank, top_k=2)
    slot, results = mapped["Gender"]
    assert slot.name == "donor_sex"
    best = {r.query: r.best.id for r in results if r.best}
    assert best == {"Male": "PATO:0000384", "Female": "PATO:0000383"}  # PV meanings
    _, smoking = mapped["Smoking_Hx"]
    by_query = {r.query: r.best.id for r in smoking if r.best}
    assert by_query["ex-smoker"] == pv_curie(biobank, "SmokingEnum", "former smoker")
    assert by_query["non-smoker"] == "bb:SmokingEnum/never%20smoker"
    assert "Notes" not in mapped and "BMI" not in mapped  # free text / numbers: no values

    values = value_mapping_set(mapped, biobank)
    assert {m.subject_label for m in values} >= {"Male", "ex-smoker", "Liver", "G2"}
    assert values.curie_map["bb"] == "https://example.org/biobank/"


def test_ontology_bound_slot_maps_values_under_its_branch(biobank, tmp_path) -> None:  # type: ignore[no-untyped-def]
    table_path = tmp_path / "donors.csv"
    table_path.write_text("Phenotypic_Sex\nmale\nfemale\nFemale\n", encoding="utf-8")
    table = read_table(table_path)
    matching = match_columns(table, biobank, class_name="Donor", top_k=3)
    slot = biobank.cls("Donor").slot("phenotypic_sex")
    assert slot is not None and slot.binding.kind == "ontology"
    mapped = map_values(table, matching, biobank, slots={"Phenotypic_Sex": "phenotypic_sex"})
    bound, results = mapped["Phenotypic_Sex"]
    assert bound.name == "phenotypic_sex"
    best = {r.query: r.best.id for r in results if r.best}
    assert best == {"female": "PATO:0000383", "male": "PATO:0000384", "Female": "PATO:0000383"}


def test_column_mapping_set_rows_best_first(biobank, partner_matching) -> None:  # type: ignore[no-untyped-def]
    msets = column_mapping_set(partner_matching, biobank)
    groups = msets.by_subject()
    assert len(groups) == 12
    for rows in groups.values():
        assert len(rows) == 4
        assert rows[0].other and rows[0].other.startswith("rank=1")
        assert all(r.object_id.startswith("bb:") for r in rows)
    gender = groups[next(k for k, v in groups.items() if v[0].subject_label == "Gender")]
    assert gender[0].object_id == "bb:donor_sex" and gender[0].comment
    text = render_table(partner_matching)
    assert "Gender" in text and "donor_sex" in text and "12 columns" in text


def test_run_match_columns_api_writes_only_when_asked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from harmonize.match.columns.run import run_match_columns

    run = run_match_columns(
        DATA / "partner.csv", DATA / "biobank.yaml", top_k=2, map_values_too=True
    )
    assert run.matching.column("Grade").assigned == "tumor_grade"
    assert len(run.columns) == 2 * 12
    assert run.values is not None and any(m.subject_label == "G2" for m in run.values)
    assert list(tmp_path.iterdir()) == []
    out = tmp_path / "c.sssom.tsv"
    run = run_match_columns(DATA / "partner.csv", DATA / "biobank.yaml", out=out)
    assert out.is_file() and run.values is None


def test_value_variants_retry_tnm_and_brackets() -> None:
    from harmonize.match.columns.values import _variant

    assert _variant("pT1a (FIGO IA)") == "T1a"
    assert _variant("ypN0") == "N0"
    assert _variant("cM1") == "M1"
    assert _variant("Stage II (FIGO)") == "Stage II"
    assert _variant("Tumor") is None and _variant("pTumor") is None


def test_ontology_source_names() -> None:
    from harmonize.match.columns.values import _ontology_name

    assert _ontology_name("obo:uberon") == "UBERON"
    assert _ontology_name("http://purl.obolibrary.org/obo/hsapdv.owl") == "HSAPDV"


def test_gdc_values_map_after_retry_and_unmatched_are_listed() -> None:
    from harmonize.match.columns.values import map_column_values

    schema = load_schema(ROOT / "schemas" / "gdc.yaml")
    slot = schema.cls().slot("ajcc_pathologic_t")
    assert slot is not None
    results = map_column_values(["pT2 (FIGO II)", "pT1a", "Staging Incomplete"], schema, slot)
    best = {r.query: (r.best.id if r.best else None) for r in results}
    assert best["pT2 (FIGO II)"] == "gdc:ajcc_pathologic_t_enum/T2"
    assert best["pT1a"] == "gdc:ajcc_pathologic_t_enum/T1a"
    note = next(r for r in results if r.query == "pT2 (FIGO II)").best.note  # type: ignore[union-attr]
    assert note and "matched as 'T2'" in note
    from harmonize.match.columns.report import value_mapping_set

    rows = value_mapping_set({"pT": (slot, results)}, schema)
    unmatched = [m for m in rows if m.object_id == "sssom:NoTermFound"]
    assert [m.subject_label for m in unmatched] == [r.query for r in results if not r.candidates]


def test_alias_and_title_count_as_the_same_name(biobank) -> None:  # type: ignore[no-untyped-def]
    index = slot_index(biobank)
    names = [s.name for s in index.slots]
    exact = FEATURES.index("name_exact")
    profiles = [column_profile(h, ["x"]) for h in ("Gender", "BMI", "Sample Identifier", "Sex")]
    features = feature_matrix(profiles, index)
    assert features[0, names.index("donor_sex"), exact] == 1.0  # alias "gender"
    assert features[1, names.index("body_mass_index"), exact] == 1.0  # alias "BMI"
    assert features[2, names.index("sample_id"), exact] == 1.0  # title
    assert features[3, names.index("donor_sex"), exact] == 1.0  # title "sex"
    assert features[0, names.index("smoking_status"), exact] == 0.0


def test_the_summary_table_truncates_confidence(partner_matching) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from harmonize.display import format_confidence

    first = partner_matching.columns[0]
    assert first.best is not None
    below = replace(
        first, candidates=(replace(first.best, confidence=0.9487), *first.candidates[1:])
    )
    matching = replace(partner_matching, columns=(below, *partner_matching.columns[1:]))
    line = render_table(matching).splitlines()[2]
    assert format_confidence(0.9487) in line and " 0.95 " not in line
