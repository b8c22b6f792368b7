"""Pseudonyms, generalization, the safe copy, its provenance, and the key never leaking."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.errors import PrivacyError
from harmonize.privacy.apply import apply_table
from harmonize.privacy.policy import load_policy, parse_policy
from harmonize.privacy.pseudonymize import (
    age_band,
    key_fingerprint,
    load_key,
    postcode_prefix,
    pseudonym,
    year_of,
)

KEY = "s3cret-pseudonym-key-0123456789abcdef"
OTHER_KEY = "another-key-entirely-9876543210fedcba"


@pytest.fixture
def partner(data_dir: Path) -> Path:
    return data_dir / "privacy" / "partner.csv"


@pytest.fixture
def policy_path(data_dir: Path) -> Path:
    return data_dir / "privacy" / "privacy-policy.yaml"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_pseudonyms_are_keyed_and_stable() -> None:
    key = KEY.encode()
    first = pseudonym("211062-5629", key)
    assert first == pseudonym("211062-5629", key)
    assert first == pseudonym("2110625629", key)  # notation does not break linkage
    assert first != pseudonym("211062-5629", OTHER_KEY.encode())
    assert first != pseudonym("211062-5630", key)
    assert "5629" not in first and first.startswith("pid-")
    assert pseudonym("", key) == ""


def test_generalizers() -> None:
    assert [age_band(a) for a in ("0", "4", "5", "42", "89.9", "90", "104", "x")] == [
        "0-4",
        "0-4",
        "5-9",
        "40-44",
        "85-89",
        "90+",
        "90+",
        "",
    ]
    assert age_band("42", width=10) == "40-49"
    assert [year_of(d) for d in ("1962-10-21", "21.10.1962", "10/21/1962", "1962", "?")] == [
        "1962",
        "1962",
        "1962",
        "1962",
        "",
    ]
    assert postcode_prefix("2100") == "21" and postcode_prefix("SW1A 1AA", 4) == "SW1A"


def test_key_sources_and_errors(tmp_path: Path) -> None:
    assert load_key(environ={"HARMONIZE_PSEUDONYM_KEY": KEY}) == KEY.encode()
    key_file = tmp_path / "k.key"
    key_file.write_text(OTHER_KEY + "\n")
    key_file.chmod(0o600)
    assert (
        load_key(key_file=key_file, environ={"HARMONIZE_PSEUDONYM_KEY": KEY}) == OTHER_KEY.encode()
    )
    policy = parse_policy("key: {file: k.key, env: MY_KEY}\n", path=tmp_path / "p.yaml")
    assert load_key(policy, environ={}) == OTHER_KEY.encode()
    assert load_key(policy, environ={"MY_KEY": KEY}) == KEY.encode()
    with pytest.raises(PrivacyError, match="HARMONIZE_PSEUDONYM_KEY"):
        load_key(environ={})
    with pytest.raises(PrivacyError, match="too short") as info:
        load_key(environ={"HARMONIZE_PSEUDONYM_KEY": "short"})
    assert "short'" not in str(info.value) and "(value" not in str(info.value)
    with pytest.raises(PrivacyError, match="key file not found"):
        load_key(key_file=tmp_path / "missing.key", environ={})


def test_apply_writes_safe_copy_and_provenance(
    partner: Path, policy_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "safe.csv"
    policy = load_policy(policy_path)
    result, sidecar = apply_table(partner, policy, out, environ={"HARMONIZE_PSEUDONYM_KEY": KEY})
    original = read_csv(partner)
    safe = read_csv(out)
    assert len(safe) == len(original)
    assert list(safe[0]) == [
        "case_id",
        "cpr",
        "personnummer",
        "nhs_number",
        "birth_date",
        "age",
        "postcode",
        "visit_date",
        "tissue",
        "diagnosis",
        "tumor_size_cm",
    ]  # patient_name, email, phone dropped
    for before, after in zip(original, safe, strict=True):
        assert after["cpr"] == pseudonym(before["cpr"], KEY.encode())
        assert after["birth_date"] == before["birth_date"][:4]
        assert after["age"] == age_band(before["age"])
        assert after["postcode"] == before["postcode"][:2]
        assert after["visit_date"] == before["visit_date"]  # keep, with a reason
        assert after["tissue"] == before["tissue"]
    text = out.read_text(encoding="utf-8")
    for row in original:
        for column in ("patient_name", "cpr", "personnummer", "nhs_number", "email", "phone"):
            assert row[column] not in text
    record = json.loads(sidecar.read_text(encoding="utf-8"))
    assert record["policy"]["version"] == "test-1"
    assert len(record["policy"]["sha256"]) == 64
    assert record["pseudonymization"]["key_fingerprint"] == key_fingerprint(KEY.encode())
    plans = {c["column"]: c for c in record["columns"]}
    assert plans["cpr"]["action"] == "pseudonymize" and plans["cpr"]["rule"] == "column:cpr"
    assert plans["age"]["method"] == "age_band"
    assert plans["visit_date"]["reason"].startswith("visit dates")
    assert plans["tissue"]["action"] == "unchanged"
    assert result.key_fingerprint == key_fingerprint(KEY.encode())


def test_pseudonyms_link_across_files_and_differ_under_another_key(
    partner: Path, policy_path: Path, tmp_path: Path
) -> None:
    policy = load_policy(policy_path)
    second = tmp_path / "second_batch.csv"
    rows = read_csv(partner)[::-1][:4]  # another file: other order, fewer rows
    with second.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    env = {"HARMONIZE_PSEUDONYM_KEY": KEY}
    apply_table(partner, policy, tmp_path / "a.csv", environ=env)
    apply_table(second, policy, tmp_path / "b.csv", environ=env)
    apply_table(partner, policy, tmp_path / "c.csv", environ={"HARMONIZE_PSEUDONYM_KEY": OTHER_KEY})
    a = {r["case_id"]: r["cpr"] for r in read_csv(tmp_path / "a.csv")}
    b = {r["case_id"]: r["cpr"] for r in read_csv(tmp_path / "b.csv")}
    c = {r["case_id"]: r["cpr"] for r in read_csv(tmp_path / "c.csv")}
    assert b and all(a[case] == pid for case, pid in b.items())
    assert all(a[case] != c[case] for case in a)
    # a second run gives byte-identical output
    apply_table(partner, policy, tmp_path / "a2.csv", environ=env)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "a2.csv").read_bytes()


def test_key_never_appears_in_any_output(partner: Path, policy_path: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "secret.key"
    key_file.write_text(KEY)
    key_file.chmod(0o600)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(policy_path, project / "privacy-policy.yaml")
    env_code = main(
        [
            "privacy",
            "apply",
            str(partner),
            "--policy",
            str(project / "privacy-policy.yaml"),
            "-o",
            str(project / "safe.csv"),
            "--key-file",
            str(key_file),
        ]
    )
    assert env_code == 0
    assert main(["privacy", "scan", str(partner), "-o", str(project / "report.json")]) == 0
    outputs = [p for p in project.iterdir() if p.name != "privacy-policy.yaml"]
    assert {p.name for p in outputs} == {"safe.csv", "safe.csv.provenance.json", "report.json"}
    for path in outputs:
        text = path.read_text(encoding="utf-8")
        assert KEY not in text and KEY.encode().hex() not in text, path


def test_uncovered_direct_column_refused_before_writing(partner: Path, tmp_path: Path) -> None:
    policy = parse_policy("columns:\n  cpr: drop\n")
    out = tmp_path / "safe.csv"
    with pytest.raises(PrivacyError, match="'patient_name' \\(person_name\\)"):
        apply_table(partner, policy, out, environ={})
    assert not out.exists()


def test_missing_key_refused_before_writing(
    partner: Path, policy_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "safe.csv"
    with pytest.raises(PrivacyError, match="no pseudonymization key"):
        apply_table(partner, load_policy(policy_path), out, environ={})
    assert not out.exists()


def test_category_policy_and_generalize_without_method(partner: Path, tmp_path: Path) -> None:
    policy = parse_policy(
        "categories:\n  direct: pseudonymize\n  quasi: {action: keep, reason: ok}\n"
    )
    result, _ = apply_table(
        partner, policy, tmp_path / "s.csv", environ={"HARMONIZE_PSEUDONYM_KEY": KEY}
    )
    actions = {p.finding.column: p.action for p in result.plans}
    assert actions["patient_name"] == "pseudonymize" and actions["email"] == "pseudonymize"
    assert actions["age"] == "keep" and actions["tissue"] == "unchanged"
    bad = parse_policy("columns:\n  tissue: generalize\ncategories:\n  direct: drop\n")
    with pytest.raises(PrivacyError, match="without a method"):
        apply_table(partner, bad, tmp_path / "t.csv", environ={})


def test_refuses_to_overwrite_input(partner: Path, tmp_path: Path) -> None:
    copy = tmp_path / "t.csv"
    shutil.copy(partner, copy)
    with pytest.raises(PrivacyError, match="overwrite the input"):
        apply_table(copy, parse_policy("categories:\n  direct: drop\n"), copy, environ={})


def test_large_table_is_streamed_and_every_row_transformed(tmp_path: Path) -> None:
    from harmonize.privacy.scan import SAMPLE_ROWS

    big = tmp_path / "big.csv"
    n = SAMPLE_ROWS + 500
    with big.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sample_id", "email"])
        writer.writerows((f"S-{i:06d}", f"person{i}@example.org") for i in range(n))
    out = tmp_path / "safe.csv"
    policy = parse_policy("columns:\n  email: pseudonymize\n")
    result, _ = apply_table(big, policy, out, environ={"HARMONIZE_PSEUDONYM_KEY": KEY})
    assert result.n_rows == n
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == n + 1
    last = rows[-1]
    assert last[0] == f"S-{n - 1:06d}"
    assert last[1] == pseudonym(f"person{n - 1}@example.org", KEY.encode())
    assert "@" not in out.read_text(encoding="utf-8")


def test_readable_key_file_warns_and_private_one_does_not(tmp_path: Path) -> None:
    import warnings

    from harmonize.errors import HarmonizeWarning

    key_file = tmp_path / "k.key"
    key_file.write_text(KEY)
    key_file.chmod(0o644)
    with pytest.warns(HarmonizeWarning, match="chmod 600"):
        load_key(key_file=key_file, environ={})
    key_file.chmod(0o600)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_key(key_file=key_file, environ={}) == KEY.encode()


def test_policy_rule_for_a_missing_column_warns(partner: Path, tmp_path: Path) -> None:
    from harmonize.errors import HarmonizeWarning

    policy = parse_policy("columns:\n  patient_nmae: drop\ncategories:\n  direct: drop\n")
    with pytest.warns(HarmonizeWarning, match="patient_nmae"):
        apply_table(partner, policy, tmp_path / "s.csv", environ={})


def test_tsv_output_is_tab_separated(partner: Path, tmp_path: Path) -> None:
    out = tmp_path / "safe.tsv"
    apply_table(partner, parse_policy("categories:\n  direct: drop\n"), out, environ={})
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.split("\t")[:2] == ["case_id", "age"]


def test_unnamed_columns_are_kept_apart(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,,,email\nS-1,a,b,x@example.org\nS-2,c,d,y@example.org\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    apply_table(table, parse_policy("columns:\n  email: drop\n"), out, environ={})
    assert out.read_text(encoding="utf-8").splitlines() == [
        "id,column_2,column_3",
        "S-1,a,b",
        "S-2,c,d",
    ]
