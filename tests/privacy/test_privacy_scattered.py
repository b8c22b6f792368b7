"""Issue 15, class 12: one validated identifier in any cell flags its column, whatever
the share; check digits passing by chance in a column of numbers do not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from harmonize.errors import PrivacyError
from harmonize.privacy.guard import check_columns
from harmonize.privacy.scan import scan_column, scan_table

CLINICAL = ["Adenocarcinoma", "Squamous cell carcinoma", "grade 2", "T2N0M0", "see report"]


@pytest.mark.parametrize(
    ("hidden", "kind"),
    [("211062-5629", "national_id"), ("anna.jensen@example.dk", "email"),
     ("+45 20 30 40 50", "phone")],
)  # fmt: skip
def test_one_cell_in_twenty_flags_the_column(hidden: str, kind: str) -> None:
    values = [*(CLINICAL * 4)[:19], hidden]
    finding = scan_column("diagnosis_notes", values)
    assert (finding.category, finding.kind) == ("direct", kind)
    assert finding.match_share == pytest.approx(1 / 20)
    assert "1 of 20 values (5%)" in finding.evidence[0]
    assert hidden not in finding.examples  # masked


def test_one_cell_in_fifty_thousand(tmp_path: Path) -> None:
    rows = ["id,notes"] + [f"S-{i},{CLINICAL[i % 5]}" for i in range(50_000)]
    rows[31_337] = "S-31337,call 211062-5629"  # embedded: not a whole validated value
    rows[42_001] = "S-42001,211062-5629"
    path = tmp_path / "t.csv"
    path.write_text("\n".join(rows) + "\n")
    found = {f.column: f for f in scan_table(path)}
    assert (found["notes"].category, found["notes"].kind) == ("direct", "national_id")
    assert "1 of 50,000 values (0.00%)" in found["notes"].evidence[0]


def test_the_guard_refuses_such_a_column() -> None:
    values = [*(CLINICAL * 4)[:19], "211062-5629"]
    with pytest.raises(PrivacyError, match="'diagnosis_notes' \\(national_id\\)"):
        check_columns({"diagnosis_notes": values}, source="t.csv")


def test_numbers_whose_check_digits_pass_by_chance_stay_clean() -> None:
    rng = random.Random(15)
    accessions = [str(rng.randrange(10**9, 10**10)) for _ in range(200)]  # ~9% "valid NHS"
    counts = [str(rng.randrange(10**10, 10**11)) for _ in range(200)]
    for name, values in (("accession", accessions), ("read_count", counts)):
        finding = scan_column(name, values)
        assert finding.category != "direct", finding
