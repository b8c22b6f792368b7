"""`harmonize privacy scan|apply` from the command line: output and one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from harmonize.cli import main


@pytest.fixture
def partner(data_dir: Path) -> Path:
    return data_dir / "privacy" / "partner.csv"


def test_scan_prints_a_masked_table_and_writes_report(
    partner: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    assert main(["privacy", "scan", str(partner), "-o", str(report)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "column",
        "category",
        "kind",
        "matched",
        "examples",
        "(masked)",
    ]
    assert "cpr" in out and "national_id" in out and "direct" in out
    assert "14 columns: 7 direct identifier(s), 4 quasi-identifier(s)" in out
    with partner.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [d["column"] for d in data] == list(rows[0])
    for entry in data:
        assert {"column", "category", "kind", "match_share"} <= set(entry)
        assert entry["category"] in {"direct", "quasi", "none"}
    report_text = report.read_text(encoding="utf-8")
    for row in rows:
        for column in (
            "patient_name",
            "cpr",
            "personnummer",
            "nhs_number",
            "email",
            "phone",
            "birth_date",
        ):
            assert row[column] not in out
            assert row[column] not in report_text


def run_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("harmonize: error: ") and "\n" not in err and "Traceback" not in err
    return err


def test_missing_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.csv"
    err = run_error(["privacy", "scan", str(missing)], capsys)
    assert str(missing) in err and "not found" in err


def test_empty_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "empty" in run_error(["privacy", "scan", str(empty)], capsys)


def test_bad_policy_yaml(partner: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "privacy-policy.yaml"
    policy.write_text("columns:\n  cpr: drop\n  name: [unclosed\n")
    err = run_error(
        ["privacy", "apply", str(partner), "--policy", str(policy), "-o", str(tmp_path / "s.csv")],
        capsys,
    )
    assert f"{policy}:" in err and "cannot parse policy YAML" in err
    assert not (tmp_path / "s.csv").exists()


def test_missing_key(
    partner: Path,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HARMONIZE_PSEUDONYM_KEY", raising=False)
    out = tmp_path / "s.csv"
    err = run_error(
        [
            "privacy",
            "apply",
            str(partner),
            "--policy",
            str(data_dir / "privacy" / "privacy-policy.yaml"),
            "-o",
            str(out),
        ],
        capsys,
    )
    assert "no pseudonymization key" in err and "HARMONIZE_PSEUDONYM_KEY" in err
    assert not out.exists()


def test_apply_with_env_key(
    partner: Path,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HARMONIZE_PSEUDONYM_KEY", "k" * 32)
    out = tmp_path / "s.csv"
    policy = data_dir / "privacy" / "privacy-policy.yaml"
    assert main(["privacy", "apply", str(partner), "--policy", str(policy), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "cpr: pseudonymize [column:cpr]" in printed
    assert f"provenance: {out}.provenance.json" in printed
    assert "k" * 32 not in printed
    assert out.exists()


def test_fail_on_direct_exit_status(
    partner: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["privacy", "scan", str(partner), "--fail-on-direct"]) == 1
    clean = data_dir / "convert" / "partner.csv"
    assert main(["privacy", "scan", str(clean), "--fail-on-direct"]) == 0
    capsys.readouterr()


def test_drafted_policy_covers_every_direct_column_and_applies(
    partner: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from harmonize.privacy.policy import load_policy

    draft = tmp_path / "privacy-policy.yaml"
    assert main(["privacy", "scan", str(partner), "--write-policy", str(draft)]) == 0
    policy = load_policy(draft)
    assert policy.columns["cpr"].action == "pseudonymize"
    assert policy.columns["patient_name"].action == "drop"
    assert policy.columns["birth_date"].action == "generalize"
    assert "age" not in policy.columns  # quasi: suggested in a comment only
    monkeypatch.setenv("HARMONIZE_PSEUDONYM_KEY", "d" * 32)
    out = tmp_path / "safe.csv"
    assert main(["privacy", "apply", str(partner), "--policy", str(draft), "-o", str(out)]) == 0
    capsys.readouterr()
    # never overwrites a policy a steward may have edited
    err = run_error(["privacy", "scan", str(partner), "--write-policy", str(draft)], capsys)
    assert "exists" in err
