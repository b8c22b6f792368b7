"""``harmonize review`` on the command line: export/import without a server, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.mappings import read_sssom
from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import Ledger


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    return err


def test_export_then_import_in_another_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = Ledger.open(tmp_path / "a" / "mappings" / "decisions.sqlite")
    ledger.record(new_decision("local:tissue/Liver-8bf18b", "accept", reviewer("0000-0002-1825-0097"),
                               subject_label="Liver", object_id="UBERON:0002107", object_label="liver"))  # fmt: skip
    ledger.record(new_decision("local:tissue/Liver-8bf18b", "reject", reviewer("Ben"),
                               subject_label="Liver", object_id="UBERON:0001114"))  # fmt: skip
    assert main(["review", "--export", "--ledger", str(ledger.path)]) == 0
    out = capsys.readouterr().out
    positive = ledger.path.parent / "decisions.sssom.tsv"
    negative = ledger.path.parent / "decisions.negative.sssom.tsv"
    assert f"wrote {positive}" in out and f"wrote {negative}" in out
    assert read_sssom(positive).mappings[0].author_id == ("orcid:0000-0002-1825-0097",)
    other = tmp_path / "b" / "decisions.sqlite"
    code = main(
        ["review", "--ledger", str(other), "--import", str(positive), "--import", str(negative)]
    )
    assert code == 0 and "imported 2 decision(s)" in capsys.readouterr().out
    state = Ledger.open(other).state("local:tissue/Liver-8bf18b")
    assert state.chosen == "UBERON:0002107" and state.rejected == {"UBERON:0001114"}


def test_export_of_reviewed_sets_without_serving(
    tmp_path: Path, review_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "mappings" / "decisions.sqlite"
    code = main(["review", str(review_data / "partner2_tissue.sssom.tsv"),
                 "--ledger", str(ledger), "--export"])  # fmt: skip
    assert code == 0
    assert (tmp_path / "mappings" / "partner2_tissue.reviewed.sssom.tsv").is_file()
    assert "partner2_tissue.reviewed.sssom.tsv" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "give the SSSOM mapping set(s) to review"),
        (["missing.sssom.tsv"], "missing.sssom.tsv: file not found"),
        (["{data}/partner1_tissue.sssom.tsv", "--root", "UBERON:0001062"], "--root needs --ontology"),
        (["{data}/partner1_tissue.sssom.tsv", "--ontology", "{data}/anatomy.obo", "--root", "UBERON:404"],
         "--root term is not in the loaded ontologies"),
        (["{data}/partner1_tissue.sssom.tsv", "--threshold", "2"], "--threshold must be between 0 and 1"),
        (["{data}/partner1_tissue.sssom.tsv", "--host", "0.0.0.0", "--token", "short"], "at least 16"),
        (["{data}/partner1_tissue.sssom.tsv", "--table", "{data}/nope.csv"], "nope.csv"),
        (["{data}/partner1_tissue.sssom.tsv", "--reviewer", "0000-0002-1825-0098"], "not a valid ORCID"),
        (["{data}/partner1_tissue.sssom.tsv", "--schema", "{data}/nope.yaml"], "schema file not found"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(
    args: list[str], expected: str, tmp_path: Path, review_data: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    argv = ["review", *(a.replace("{data}", str(review_data)) for a in args)]
    assert main([*argv, "--ledger", str(tmp_path / "d.sqlite")]) == 2
    assert expected in _err(capsys)


def test_corrupt_ledger_is_one_line(
    tmp_path: Path, review_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "decisions.sqlite"
    bad.write_bytes(b"\x00garbage" * 512)
    assert (
        main(["review", str(review_data / "partner1_tissue.sssom.tsv"), "--ledger", str(bad)]) == 2
    )
    err = _err(capsys)
    assert str(bad) in err and "not a decision ledger" in err


def test_default_ledger_lives_in_the_project_mappings_folder(
    tmp_path: Path, review_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["review", str(review_data / "partner1_tissue.sssom.tsv"), "--export"]) == 0
    assert (tmp_path / "mappings" / "decisions.sqlite").is_file()
    assert (tmp_path / "mappings" / "decisions.sssom.tsv").is_file()


def test_busy_port_is_one_line(
    tmp_path: Path, review_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["review", str(review_data / "partner1_tissue.sssom.tsv"),
                     "--ledger", str(tmp_path / "d.sqlite"), "--port", str(port)])  # fmt: skip
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in _err(capsys)
