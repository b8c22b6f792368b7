"""End to end from the command line: convert refuses raw identifiers, apply makes a safe copy,
convert accepts the safe copy and the RDF holds pseudonyms that still link records."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from harmonize.cli import main

CONVERT = Path(__file__).resolve().parents[1] / "data" / "convert"
KEY = "workflow-test-key-0123456789abcdef"


@pytest.fixture
def partner(tmp_path: Path) -> Path:
    with (CONVERT / "partner.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    donor = header.index("Donor")
    sample = header.index("Sample ID")
    people = ["anna.svensson", "bo.jensen", "carl.berg", "dina.olsen", "erik.lund", "frida.holm"]
    out = [header]
    for i in range(30):
        row = list(body[i % len(body)])
        row[sample] = f"S-{i:03d}"
        row[donor] = f"{people[i % len(people)]}@example.org"  # an e-mail used as donor id
        out.append(row)
    path = tmp_path / "partner.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(out)
    return path


def convert(table: Path, out: Path) -> int:
    return main(
        [
            "convert", str(table),
            "--mappings", str(CONVERT / "columns.sssom.tsv"),
            "--mappings", str(CONVERT / "values.sssom.tsv"),
            "-o", str(out),
        ]
    )  # fmt: skip


def test_convert_refuses_then_accepts_the_safe_copy(
    partner: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out.ttl"
    assert convert(partner, out) == 2
    err = capsys.readouterr().err
    assert "'Donor' (email)" in err and "no privacy policy" in err and err.count("\n") == 1
    assert not out.exists()

    policy = tmp_path / "privacy-policy.yaml"
    policy.write_text('version: "wf-1"\ncolumns:\n  Donor: pseudonymize\n', encoding="utf-8")
    assert convert(partner, out) == 2  # the policy is found, but it was not applied
    err = capsys.readouterr().err
    assert "policy: pseudonymize" in err and "not applied" in err
    assert not out.exists()

    monkeypatch.setenv("HARMONIZE_PSEUDONYM_KEY", KEY)
    safe = tmp_path / "safe.csv"
    assert main(["privacy", "apply", str(partner), "--policy", str(policy), "-o", str(safe)]) == 0
    capsys.readouterr()
    assert convert(safe, out) == 0
    text = out.read_text(encoding="utf-8")
    assert "example.org" not in text and KEY not in text
    donors = {line.split("/donor/")[1][:24] for line in text.splitlines() if "/donor/pid-" in line}
    assert len(donors) == 6  # six people, each with one stable pseudonym across their rows
