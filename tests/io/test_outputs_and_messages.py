"""Issue 15, classes 7, 10 and 11: failed runs keep every output; messages name the right
file, stay short; a missing manifest fails; JSON-LD ``null`` is not "0 records, conforms"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.io.conftest import DATA, CliResult, one_line_error

from harmonize.io import staged_outputs
from harmonize.io.atomic import atomic_write_text

OLD = "old content\n"
DECISIONS = """\
#curie_map:
#  ZZZ: http://zzz.example.org/
#mapping_set_id: https://example.org/set
subject_id\tsubject_label\tpredicate_id\tobject_id\tmapping_justification\tauthor_id\tmapping_date\tpredicate_modifier
local:tissue/liver\tliver\tskos:exactMatch\tUBERON:0002107\tsemapv:ManualMappingCuration\torcid:0000-0002-1825-0097\t2026-01-01\t
local:tissue/kid\tkid\tskos:exactMatch\tZZZ:1\tsemapv:ManualMappingCuration\torcid:0000-0002-1825-0097\t2026-01-01\tNot
"""


def test_review_export_keeps_both_outputs(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    decisions = tmp_path / "in.sssom.tsv"
    decisions.write_text(DECISIONS)
    ledger = tmp_path / "l.sqlite"
    assert cli("review", "--import", decisions, "--ledger", ledger)[0] == 0
    outputs = [tmp_path / "decisions.sssom.tsv", tmp_path / "decisions.negative.sssom.tsv"]
    for path in outputs:
        path.write_text(OLD)
    code, _, err = cli("review", "--export", "--ledger", ledger)
    assert code == 2
    one_line_error(err, "l.sqlite", "unknown CURIE prefix 'ZZZ'")  # the ledger, not nothing
    assert [p.read_text() for p in outputs] == [OLD, OLD]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _schema_with_bad_prefix(tmp_path: Path) -> Path:
    text = (DATA / "schema/tiny.yaml").read_text().replace("PATO:0000384", "ZZZ:0000384")
    schema = tmp_path / "bad.yaml"
    schema.write_text(text)
    return schema


def test_match_columns_keeps_both_outputs(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,tissue,sex,age\n1,liver,male,30\n2,kidney,female,40\n")
    out, values = tmp_path / "c.tsv", tmp_path / "v.tsv"
    out.write_text(OLD)
    values.write_text(OLD)
    schema = _schema_with_bad_prefix(tmp_path)
    code, _, err = cli("match-columns", table, "--schema", schema, "-o", out,
                       "--values-out", values, "--quiet")  # fmt: skip
    assert code == 2
    one_line_error(err, "bad.yaml", "unknown CURIE prefix 'ZZZ'")
    assert (out.read_text(), values.read_text()) == (OLD, OLD)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "c.tsv", "t.csv", "v.tsv"]


def test_staged_outputs_commit_together(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text(OLD)
    with pytest.raises(RuntimeError), staged_outputs():
        atomic_write_text(a, "new a")
        atomic_write_text(b, "new b")
        assert a.read_text() == OLD and not b.exists()  # nothing visible before the end
        raise RuntimeError("the command fails late")
    assert a.read_text() == OLD and not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    with staged_outputs():
        atomic_write_text(a, "new a")
        atomic_write_text(b, "new b")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")


def test_staged_commit_rolls_back(tmp_path: Path) -> None:
    a, blocker = tmp_path / "a", tmp_path / "b"
    a.write_text(OLD)
    from harmonize.errors import OutputFileError

    with pytest.raises(OutputFileError, match="no output was changed"), staged_outputs():
        atomic_write_text(a, "new a")
        atomic_write_text(blocker, "new b")
        blocker.mkdir()  # the second rename will fail: a folder took the name meanwhile
    assert a.read_text() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_convert_schema_prefix_names_the_schema(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    text = (Path(__file__).resolve().parents[2] / "schemas/harmonize.yaml").read_text()
    schema = tmp_path / "model.yaml"
    schema.write_text(text.replace("PATO:0000384", "ZZZ:0000384"))
    convert = DATA / "convert"
    code, _, err = cli(
        "convert", convert / "partner.csv", "--schema", schema,
        "--mappings", convert / "columns.sssom.tsv", "--mappings", convert / "values.sssom.tsv",
        "-o", tmp_path / "x.ttl",
    )  # fmt: skip
    assert code == 2
    one_line_error(err, "model.yaml", "unknown CURIE prefix 'ZZZ'")


def test_convert_broken_column_set_is_named(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    columns = tmp_path / "cols.sssom.tsv"
    columns.write_text("subject_id\tpredicate_id\tobject_id\tmapping_justification\n")
    code, _, err = cli("convert", DATA / "convert/partner.csv", "--mappings", columns,
                       "-o", tmp_path / "x.ttl")  # fmt: skip
    assert code == 2
    one_line_error(err, "cols.sssom.tsv")


def test_policy_without_rule_names_the_policy(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("columns:\n  age: keep_it\n".replace("keep_it", "drop"))
    code, _, err = cli("privacy", "apply", DATA / "privacy/partner.csv", "--policy", policy,
                       "-o", tmp_path / "safe.csv")  # fmt: skip
    assert code == 2
    line = one_line_error(err, "p.yaml", "partner.csv", "no rule for the direct identifiers")
    assert line.startswith(f"harmonize: error: {policy}")


def test_missing_key_names_the_policy(
    tmp_path: Path, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HARMONIZE_PSEUDONYM_KEY", raising=False)
    policy = tmp_path / "p.yaml"
    policy.write_text((DATA / "privacy/privacy-policy.yaml").read_text())
    code, _, err = cli("privacy", "apply", DATA / "privacy/partner.csv", "--policy", policy,
                       "-o", tmp_path / "safe.csv")  # fmt: skip
    assert code == 2
    one_line_error(err, "p.yaml", "HARMONIZE_PSEUDONYM_KEY", "--key-file")  # the CLI's flag
    assert not (tmp_path / "safe.csv").exists()


def test_long_tokens_make_short_messages(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("columns:\n  age: " + "x" * 10_000_000 + "\n")
    code, _, err = cli("privacy", "apply", DATA / "privacy/partner.csv", "--policy", policy,
                       "-o", tmp_path / "safe.csv")  # fmt: skip
    assert code == 2
    one_line_error(err, "p.yaml", "unknown action")
    turtle = tmp_path / "x.ttl"
    turtle.write_text("@prefix ex: <http://ex.org/> .\nex:a ex:b " + "y" * 10_000_000 + " .\n")
    code, _, err = cli("validate", turtle, "--no-ontology-checks")
    assert code == 2
    one_line_error(err, "x.ttl", "not valid Turtle")


def test_missing_manifest(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    missing = tmp_path / "manifest.yaml"
    code, _, err = cli("ontology", "list", "--manifest", missing)
    assert code == 2
    one_line_error(err, "manifest.yaml", "manifest not found")
    code, _, err = cli(
        "ontology", "add", "HP", DATA / "grounding/hp-mini.obo", "--manifest", missing
    )
    assert code == 2
    one_line_error(err, "manifest.yaml", "manifest not found")
    assert not missing.exists()


def test_validate_jsonld_null(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    data = tmp_path / "null.jsonld"
    data.write_text("null")
    code, out, err = cli("validate", data, "--no-ontology-checks")
    assert code == 2
    assert "conforms" not in out
    one_line_error(err, "null.jsonld", "no RDF triples")
