"""Column -> slot matching: ranking, evidence, one-to-one assignment, value mapping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import harmonize
from harmonize.io import read_table
from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping, MappingSet, other_fields
from harmonize.match.columns.features import FEATURES, column_profile, feature_matrix
from harmonize.match.columns.index import slot_index
from harmonize.match.columns.matcher import STRONG, _assign, match_columns
from harmonize.match.columns.report import column_mapping_set, render_table
from harmonize.match.columns.text import name_words, stem
from harmonize.schema import load_schema
from harmonize.schema.codes import pv_curie

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
        # best first, except that the one-to-one assignment may lift its slot to the top
        assert confidences[1:] == sorted(confidences[1:], reverse=True)
        assert confidences[0] == max(confidences) or match.candidates[0].slot == match.assigned
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


def _best(values: MappingSet) -> dict[str, str]:
    """Value -> its first (best) object."""
    out: dict[str, str] = {}
    for m in values:
        out.setdefault(m.subject_label or "", m.object_id)
    return out


def test_value_mapping_to_permissible_values_and_meanings(biobank) -> None:  # type: ignore[no-untyped-def]
    table = DATA / "partner.csv"
    columns = harmonize.match_columns(table, schema=biobank, top_k=4)
    values = harmonize.map_values(table, columns, schema=biobank, top_k=2)
    best = _best(values)
    assert best["Male"] == "PATO:0000384" and best["Female"] == "PATO:0000383"  # meanings
    assert best["ex-smoker"] == pv_curie(biobank, "SmokingEnum", "former smoker")
    assert best["non-smoker"] == "bb:SmokingEnum/never%20smoker"
    gender = [m for m in values if m.subject_label == "Male"]
    assert gender[0].subject_id == harmonize.match.columns.values.value_subject("Gender", "Male")
    labels = {m.subject_label for m in values}
    assert "resected" not in labels and "27.1" not in labels  # free text / numbers: no values
    assert labels >= {"Male", "ex-smoker", "Liver", "G2"}
    assert all(len([m for m in values if m.subject_label == v]) <= 2 for v in labels)
    assert values.curie_map["bb"] == "https://example.org/biobank/"


def test_a_curated_column_row_chooses_the_slot_values_are_mapped_for(biobank, tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "donors.csv"
    table.write_text("Phenotypic_Sex\nmale\nfemale\nFemale\n", encoding="utf-8")
    matched = harmonize.match_columns(table, schema=biobank, class_name="Donor", top_k=3)
    reviewed = Mapping(
        matched.mappings[0].subject_id, "skos:exactMatch", "bb:phenotypic_sex",
        JUSTIFICATION_MANUAL, subject_label="Phenotypic_Sex", object_label="phenotypic_sex",
    )  # fmt: skip
    columns = MappingSet("x:columns", mappings=(reviewed, *matched.mappings))
    values = harmonize.map_values(table, columns, schema=biobank, class_name="Donor")
    slot = biobank.cls("Donor").slot("phenotypic_sex")
    assert slot is not None and slot.binding.kind == "ontology"
    assert _best(values) == {"female": "PATO:0000383", "male": "PATO:0000384",
                             "Female": "PATO:0000383"}  # fmt: skip


def test_column_mapping_set_rows_best_first(biobank, partner_matching) -> None:  # type: ignore[no-untyped-def]
    msets = column_mapping_set(partner_matching, biobank)
    groups = msets.by_subject()
    assert len(groups) == 12
    for rows in groups.values():
        assert len(rows) == 4
        assert other_fields(rows[0])["rank"] == "1"
        assert all(r.object_id.startswith("bb:") for r in rows)
    gender = groups[next(k for k, v in groups.items() if v[0].subject_label == "Gender")]
    assert gender[0].object_id == "bb:donor_sex" and gender[0].comment
    assert gender[0].mapping_justification == "semapv:LexicalMatching"  # alias "gender"
    assert gender[0].confidence is not None and gender[0].confidence >= 0.97
    text = render_table(msets)
    assert "Gender" in text and "donor_sex" in text and "slots of Sample" in text
    assert len(text.splitlines()) == 12 + 3


def test_match_columns_job_writes_nothing(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    columns = harmonize.match_columns(DATA / "partner.csv", schema=DATA / "biobank.yaml", top_k=2)
    grade = [m for m in columns if m.subject_label == "Grade"]
    assert grade[0].object_id == "bb:tumor_grade" and other_fields(grade[0])["assigned"] == "yes"
    assert len(columns) == 2 * 12
    assert list(tmp_path.iterdir()) == []


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
    values = ["pT2 (FIGO II)", "pT1a", "Staging Incomplete"]
    rows = map_column_values("pT", values, schema, slot)
    best = _best(MappingSet("x:v", mappings=tuple(rows)))
    assert best["pT2 (FIGO II)"] == "gdc:ajcc_pathologic_t_enum/T2"
    assert best["pT1a"] == "gdc:ajcc_pathologic_t_enum/T1a"
    first = next(m for m in rows if m.subject_label == "pT2 (FIGO II)")
    assert first.comment and "matched as 'T2'" in first.comment
    assert {m.subject_label for m in rows} == set(values)  # no value is dropped
    unmatched = [m for m in rows if m.object_id == "sssom:NoTermFound"]
    assert all(len([r for r in rows if r.subject_label == m.subject_label]) == 1 for m in unmatched)
    assert all(m.confidence is None for m in unmatched)


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
