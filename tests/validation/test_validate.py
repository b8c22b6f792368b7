"""harmonize validate: SHACL shapes + ontology checks, each kind of violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Namespace

from harmonize.cli import main
from harmonize.errors import ValidationError
from harmonize.resources import bundled_dir
from harmonize.schema import load_schema
from harmonize.validation.report import format_report
from harmonize.validation.run import validate_file

SH = Namespace("http://www.w3.org/ns/shacl#")
DATA = Path(__file__).resolve().parents[1] / "data" / "convert"
D = "https://w3id.org/harmonize/data/"


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    return load_schema(bundled_dir("schemas") / "harmonize.yaml")


@pytest.fixture(scope="module")
def violations(schema, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    report_path = tmp_path_factory.mktemp("v") / "report.ttl"
    report = validate_file(DATA / "violations.ttl", schema, report_path=report_path)
    return report, report_path


def _issues(report, record: str) -> list:  # type: ignore[no-untyped-def]
    return [i for i in report.issues if i.record == D + record]


def test_conforming_data_conforms(schema) -> None:  # type: ignore[no-untyped-def]
    report = validate_file(DATA / "conforming.ttl", schema)
    assert report.conforms, format_report(report)
    assert report.records == 6 and report.issue_count == 0
    assert {"UBERON", "MONDO", "CL", "EFO", "HsapDv", "HANCESTRO"} <= set(report.ontologies)


@pytest.mark.parametrize(
    ("record", "slot", "expected"),
    [
        ("missing", "tissue", "required value is missing"),
        ("datatype", "age", "wrong datatype"),
        ("pattern", "cell_line_id", "does not match the required pattern"),
        ("range", "age", "above the maximum"),
        ("unknown", "tissue", "unknown term: UBERON:9999999"),
        ("obsolete", "tissue", "obsolete term: UBERON:0000027"),
        ("branch", "assay_type", "out of branch: EFO:0008637"),
        ("prefix", "tissue", "does not match the required pattern"),
        ("badlink", "donor", "does not point to a record of the expected class"),
    ],
)
def test_each_kind_of_violation(violations, record: str, slot: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    report, _ = violations
    found = _issues(report, record)
    assert len(found) == 1, found
    assert found[0].slot == slot
    assert expected in found[0].message


def test_obsolete_names_its_replacement_and_rows_come_from_provenance(violations) -> None:  # type: ignore[no-untyped-def]
    report, _ = violations
    assert "replaced by UBERON:0001466" in _issues(report, "obsolete")[0].message
    missing = _issues(report, "missing")[0]
    assert missing.row == 7 and missing.source == "partner.csv"
    assert not report.conforms and report.issue_count == len(report.issues) == 9
    text = format_report(report)
    assert "row 7:" in text and "tissue" in text


def test_report_graph_is_a_shacl_report(violations) -> None:  # type: ignore[no-untyped-def]
    report, path = violations
    g = rdflib.Graph().parse(path)
    node = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(node, SH.conforms).toPython() is False
    results = list(g.objects(node, SH.result))
    assert len(results) == report.issue_count
    focus = {str(g.value(r, SH.focusNode)) for r in results}
    assert D + "obsolete" in focus
    assert all(g.value(r, SH.resultMessage) is not None for r in results)


def test_report_file_is_the_same_bytes_every_run(schema, violations, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a steward diffs this run's report with the last one: only a changed problem shows
    report, path = violations
    assert report.issue_count >= 3
    again = validate_file(DATA / "violations.ttl", schema, report_path=tmp_path / "again.ttl")
    assert again.issue_count == report.issue_count
    assert (tmp_path / "again.ttl").read_bytes() == path.read_bytes()


def test_small_batches_find_the_same_problems(schema) -> None:  # type: ignore[no-untyped-def]
    whole = validate_file(DATA / "violations.ttl", schema)
    batched = validate_file(DATA / "violations.ttl", schema, batch_size=2)
    assert sorted((i.record, i.message) for i in whole.issues) == sorted(
        (i.record, i.message) for i in batched.issues
    )


def test_ontology_option_uses_the_given_file_only(schema) -> None:  # type: ignore[no-untyped-def]
    from harmonize.ontology.manifest import resolve_source

    uberon = resolve_source("UBERON")
    report = validate_file(DATA / "violations.ttl", schema, ontologies=[uberon])
    assert set(report.ontologies) == {"UBERON"}
    messages = " ".join(i.message for i in report.issues)
    assert "unknown term: UBERON:9999999" in messages
    assert "out of branch: EFO" not in messages  # EFO not loaded: not term-checked


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "conforming.ttl")]) == 0
    assert "conforms" in capsys.readouterr().out
    out = tmp_path / "r.ttl"
    assert main(["validate", str(DATA / "violations.ttl"), "--report", str(out)]) == 1
    assert "9 violation(s)" in capsys.readouterr().out
    assert out.is_file()


def test_broken_turtle_is_a_one_line_error(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="not valid Turtle"):
        validate_file(DATA / "broken.ttl", schema, check_ontologies=False)
    proc = subprocess.run(
        [sys.executable, "-m", "harmonize", "validate", str(DATA / "broken.ttl"), "--no-ontology-checks"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "broken.ttl:2" in proc.stderr
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    with pytest.raises(ValidationError, match="empty"):
        validate_file(empty, schema, check_ontologies=False)


def test_converted_table_validates_in_every_format(schema, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from harmonize.conversion.run import convert_table
    from harmonize.mappings import read_sssom

    sets = [(read_sssom(DATA / n), DATA / n) for n in ("columns.sssom.tsv", "values.sssom.tsv")]
    table = tmp_path / "t.csv"
    table.write_text(
        "Sample ID,Donor,organism,Age (yrs),tissue_src\n"
        "S-1,D-1,human,54,liver\n"
        "S-2,D-2,human,abc,liver\n"  # wrong datatype
        "S-3,D-3,human,40,lung bx\n",  # no mapping: tissue (required) missing
        encoding="utf-8",
    )
    counts = set()
    for ext in ("ttl", "nt", "jsonld"):
        out = tmp_path / f"o.{ext}"
        convert_table(table, schema, sets, out)
        report = validate_file(out, schema)
        kinds = sorted(
            (i.record.rsplit("/", 1)[-1], i.message.split(":")[0]) for i in report.issues
        )
        assert kinds == [("D-2", "wrong datatype"), ("S-3", "required value is missing")], kinds
        assert {i.row for i in report.issues} == {2, 3}
        counts.add(report.triples)
    assert len(counts) == 1
