"""Column decisions on mixed tables, and the GDC studies as real negatives."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from harmonize.privacy.scan import ColumnFinding, scan_column, scan_columns, scan_table

TODAY = dt.date(2026, 1, 1)


def by_column(findings: list[ColumnFinding]) -> dict[str, ColumnFinding]:
    return {f.column: f for f in findings}


def test_mixed_fixture_table(data_dir: Path) -> None:
    found = by_column(scan_table(data_dir / "privacy" / "partner.csv"))
    expected = {
        "case_id": ("quasi", "study_id"),
        "patient_name": ("direct", "person_name"),
        "cpr": ("direct", "national_id"),
        "personnummer": ("direct", "national_id"),
        "nhs_number": ("direct", "national_id"),
        "email": ("direct", "email"),
        "phone": ("direct", "phone"),
        "birth_date": ("direct", "date_of_birth"),
        "age": ("quasi", "age"),
        "postcode": ("quasi", "postcode"),
        "visit_date": ("quasi", "date"),
        "tissue": ("none", "none"),
        "diagnosis": ("none", "none"),
        "tumor_size_cm": ("none", "none"),
    }
    assert {c: (f.category, f.kind) for c, f in found.items()} == expected
    assert found["cpr"].match_share == 1.0
    assert any("dk_cpr" in e for e in found["cpr"].evidence)


def test_examples_are_masked(data_dir: Path) -> None:
    path = data_dir / "privacy" / "partner.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for finding in scan_table(path):
        assert len(finding.examples) == min(3, len({r[finding.column] for r in rows}))
        if finding.is_direct:
            originals = {r[finding.column] for r in rows}
            for example in finding.examples:
                assert example not in originals
                assert not any(ch.isdigit() and ch != "9" for ch in example)


def test_values_alone_find_identifiers_under_neutral_headers() -> None:
    columns = {
        "col_a": ["211062-5629", "150472-4021", "311265-1113", "010190-1230", "020202-2020"],
        "col_b": ["Anna Jensen", "Søren Nielsen", "Maria Hansen", "Peter Olsen", "Ida Berg"],
        "col_c": ["a.b@example.org", "c@example.dk", "d.e@example.se", "f@x.co.uk", "g@h.de"],
        "col_d": [
            "+45 20 30 40 50",
            "+46 8 123 456 78",
            "(555) 123-4567",
            "+44 20 7946 0958",
            "030 1234567",
        ],
        "col_e": [
            "1950-03-04",
            "1962-10-21",
            "1988-01-30",
            "1971-07-07",
            "1944-12-12",
            "2001-05-06",
        ],
        "col_f": [
            "DE52070499962283038836",
            "DK5000400440116243",
            "GB82WEST12345698765432",
            "DE52070499962283038836",
            "DK5000400440116243",
        ],
    }
    found = by_column(scan_columns(columns, today=TODAY))
    assert {c: (f.category, f.kind) for c, f in found.items()} == {
        "col_a": ("direct", "national_id"),
        "col_b": ("direct", "person_name"),
        "col_c": ("direct", "email"),
        "col_d": ("direct", "phone"),
        "col_e": ("direct", "date_of_birth"),
        "col_f": ("direct", "iban"),
    }


def test_check_digits_matter() -> None:
    valid = ["943 476 5919", "401 023 2137", "943 476 5919", "401 023 2137"]
    broken = ["943 476 5918", "401 023 2138", "943 476 5917", "401 023 2136"]
    assert scan_column("x", valid).kind == "national_id"
    assert scan_column("x", broken).kind != "national_id"  # (they do look like phone numbers)


def test_missing_and_not_known_cells_are_not_counted_against_a_match() -> None:
    valid = ["943 476 5919", "401 023 2137"] * 2
    markers = ["Unknown", "not reported", " N/A ", ".", "none"] * 4
    finding = scan_column("x", valid + markers)
    assert finding.kind == "national_id" and finding.match_share == 1.0


def test_other_dates_are_quasi_not_birth() -> None:
    visits = ["2019-03-04", "2020-10-21", "2021-01-30", "2019-07-07", "2022-12-12", "2020-05-06"]
    assert (scan_column("visit", visits, today=TODAY).kind) == "date"
    births = ["1950-03-04", "1962-10-21", "1988-01-30", "1971-07-07", "1944-12-12", "2001-05-06"]
    assert scan_column("diagnosis_date", births, today=TODAY).kind == "date"
    assert scan_column("dob", visits, today=TODAY).kind == "date_of_birth"


def test_study_codes_and_uuids_are_quasi() -> None:
    codes = [f"C3L-{i:05d}" for i in range(30)]
    uuids = ["53a1f9c0-aa1b-4aaa-b11c-0e1f23a456bc", "90211117-1abc-41d2-a01b-c5678912d345"] * 3
    assert (scan_column("case_id", codes).category, scan_column("case_id", codes).kind) == (
        "quasi",
        "study_id",
    )
    assert scan_column("WXS_UUID", uuids).kind == "study_id"
    assert scan_column("whatever", codes).category == "quasi"


def test_header_hint_needs_agreeing_values() -> None:
    assert scan_column("email_consent", ["yes", "no", "yes", "no"]).category != "direct"
    assert scan_column("patient_name", ["1", "2", "3", "4"]).category != "direct"
    # a named column whose values are names but not in any list: header + shape suffice
    assert (
        scan_column("surname", ["Qwxyzson", "Blorfeldt", "Zanquist", "Tromvik"]).kind
        == "person_name"
    )
    # an ID header with numbers that fail the checksum is still a national ID column
    assert scan_column("cpr_nr", ["3213625629", "3213625621", "3213625622"]).kind == "national_id"


def test_categorical_name_like_values_are_not_names() -> None:
    race = ["White"] * 30 + ["Black or African American"] * 10 + ["Asian"] * 5
    assert scan_column("col", race).category == "none"


def test_free_text_with_identifiers_is_direct() -> None:
    notes = [
        f"Patient seen by Anna Jensen on 0{i}.02.2021. Follow-up call on +45 20 30 40 5{i} next week."
        for i in range(1, 9)
    ]
    finding = scan_column("remarks_1", notes)
    assert (finding.category, finding.kind) == ("direct", "free_text")
    lists = [
        "Hypertension|hyperlipidemia|Diabetes mellitus type II (NIDDM, adult onset diabetes)"
    ] * 4
    assert scan_column("medical_condition", lists).category != "direct"


@pytest.mark.benchdata
def test_no_gdc_column_is_a_direct_identifier(bench_data: Path) -> None:
    sources = sorted((bench_data / "gdc" / "studies").glob("*/source.csv"))
    assert len(sources) >= 5
    direct = []
    n_columns = 0
    for source in sources:
        for finding in scan_table(source):
            n_columns += 1
            if finding.is_direct:
                direct.append(f"{source.parent.name}.{finding.column} ({finding.kind})")
    assert n_columns > 300
    assert direct == []


@pytest.mark.benchdata
def test_gdc_case_ids_are_study_ids(bench_data: Path) -> None:
    found = by_column(scan_table(bench_data / "gdc" / "studies" / "clark" / "source.csv"))
    assert (found["Case_ID"].category, found["Case_ID"].kind) == ("quasi", "study_id")
    assert found["Age"].kind == "age"


def test_birth_year_and_city_are_quasi() -> None:
    years = scan_column("year_of_birth", ["1962", "1970", "1985", "1990", "1948"])
    assert (years.category, years.kind) == ("quasi", "birth_year")
    cities = ["Jackson", "Houston", "Austin", "Lincoln", "Charlotte", "Madison"]
    assert (scan_column("city", cities).category, scan_column("city", cities).kind) == (
        "quasi",
        "geography",
    )


def test_repeated_full_names_of_a_few_physicians_are_names() -> None:
    doctors = ["Dr. Anna Hansen", "Dr. Peter Olsen", "Dr. Maria Berg"] * 20
    assert scan_column("col", doctors).kind == "person_name"


def test_ontology_term_ids_are_not_identifiers() -> None:
    curies = ["EFO:0000311", "HP:0001250", "MONDO:0005015", "UBERON_0002107", "EFO:0001645"]
    assert scan_column("mapped_term", curies).category == "none"


def test_lower_case_exports_are_read_title_cased() -> None:
    names = ["anna jensen", "peter olsen", "maria hansen", "lars berg", "ida holm"]
    assert scan_column("x", names).kind == "person_name"
    organs = ["liver", "lung", "kidney", "brain", "colon"] * 6
    assert scan_column("x", organs).category == "none"
    addresses = ["12 baker street", "4 elm road", "77 mill lane", "9 high street", "31 park avenue"]
    assert scan_column("x", addresses).kind == "address"


def test_hinted_phone_share_counts_seven_digit_values() -> None:
    finding = scan_column("tlf", ["20304050", "30405060", "40506070", "x"])
    assert (finding.kind, finding.match_share) == ("phone", 0.75)


def test_few_common_words_that_are_also_names_are_not_names() -> None:
    assert scan_column("tissue", ["lung", "kidney", "liver", "kidney"]).category == "none"
    assert scan_column("tissue", ["Lung", "Kidney", "Liver", "Colon"]).category == "none"
    assert scan_column("x", ["Anna", "Peter", "Maria", "Lars"]).kind == "person_name"


def test_titled_names_unknown_to_the_lists_are_names() -> None:
    doctors = ["Dr. Qwxyz Blorfeldt", "Prof. Zanquist Trom", "Dr. Vexo Palindt"] * 10
    assert scan_column("col", doctors).kind == "person_name"
    assert scan_column("col", ["Dr. 5", "Dr. 7", "Dr. 9"] * 10).kind != "person_name"


def test_countries_that_are_also_first_names_are_geography() -> None:
    countries = ["Jordan", "Chad", "Georgia", "Israel", "Jordan", "Chad"] * 3
    finding = scan_column("Country", countries)
    assert (finding.category, finding.kind) == ("quasi", "geography")


def test_diagnosis_dates_over_decades_under_a_bare_header_are_not_birth_dates() -> None:
    import random

    rng = random.Random(4)
    dx = [dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(25 * 365)) for _ in range(50)]
    finding = scan_column("Date", [d.isoformat() for d in dx], today=TODAY)
    assert (finding.category, finding.kind) == ("quasi", "date")


def test_institutions_named_after_people_are_not_people() -> None:
    sites = [
        "Mayo Clinic",
        "Emory University",
        "Roswell Park Cancer Institute",
        "Johns Hopkins Hospital",
    ]
    assert scan_column("x", sites * 5).category == "none"
    assert (
        scan_column("Hospital", ["Johns Hopkins", "Roswell Park", "Mount Sinai"] * 5).kind
        == "institution"
    )


def test_header_words_inside_longer_words() -> None:
    from harmonize.privacy.headers import header_hint

    assert header_hint("ER.Updated.Clinical.Status") is None  # "clinic" is not "clinical"
    assert header_hint("telefonnummer").kind == "phone"  # type: ignore[union-attr]
    assert header_hint("patientfornavn").kind == "person_name"  # type: ignore[union-attr]
    assert header_hint("emailaddress").kind == "email"  # type: ignore[union-attr]
