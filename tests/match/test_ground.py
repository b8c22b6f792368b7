"""ground() + SSSOM output + the ``harmonize ground`` command, end to end on real files."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import require

from harmonize.cli import main
from harmonize.mappings.model import JUSTIFICATION_LEXICAL, JUSTIFICATION_SIMILARITY
from harmonize.mappings.sssom_io import read_sssom, write_sssom
from harmonize.match.values.ground import AUTO_ACCEPT, ground, load_curated, results_to_mapping_set

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "grounding" / "hp-mini.obo"
VALUES = ["Asthma", "VUR", "astma", "Atrial septal defect", "Asthma", "Clitoromegaly"]


def test_ground_api_one_call() -> None:
    results = ground(VALUES, [FIXTURE], top_k=3)
    assert [r.query for r in results] == VALUES
    assert results[0] is results[4]
    assert results[0].candidates[0].id == "HP:0002099"
    assert results[1].candidates[0].id == "HP:0000076"
    assert results[0].candidates[0].confidence >= AUTO_ACCEPT


def test_curated_synonyms_ship_and_ground_sex_codes() -> None:
    curated = load_curated()
    assert curated and any(m.subject_label == "F" for m in curated[0])
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Term

    pato = OntologyIndex(
        meta=OntologyMeta("PATO"),
        terms={
            "PATO:0000383": Term("PATO:0000383", "female"),
            "PATO:0000384": Term("PATO:0000384", "male"),
        },
    )
    results = ground(["F", "M", "female"], [pato], top_k=1)
    assert [r.candidates[0].id for r in results] == ["PATO:0000383", "PATO:0000384", "PATO:0000383"]
    assert results[0].candidates[0].evidence.field == "curated"


def test_sssom_round_trip_and_sssom_py_parse(tmp_path: Path) -> None:
    results = ground(VALUES, [FIXTURE], top_k=3)
    mapping_set = results_to_mapping_set(
        results,
        namespace="phenotype",
        mapping_set_id="https://example.org/mappings/test",
        object_source_version="hp/releases/2025-01-16",
    )
    distinct = list(dict.fromkeys(VALUES))
    subjects = list(dict.fromkeys(m.subject_id for m in mapping_set))
    assert len(subjects) == len(distinct)
    assert [mapping_set.by_subject()[s][0].subject_label for s in subjects] == distinct
    for rows in mapping_set.by_subject().values():
        confidences = [m.confidence or 0.0 for m in rows]
        assert len(rows) <= 3
        assert (
            rows[0].object_id
            == next(r for r in results if r.query == rows[0].subject_label).candidates[0].id
        )
        assert all(0.0 <= c <= 1.0 for c in confidences)
    by_label = {m.subject_label: m for m in mapping_set if m.subject_label}
    assert by_label["Asthma"].predicate_id == "skos:exactMatch"
    assert by_label["Asthma"].mapping_justification == JUSTIFICATION_LEXICAL
    assert by_label["astma"].mapping_justification == JUSTIFICATION_SIMILARITY
    assert "label 'Asthma'" in (by_label["Asthma"].comment or "")

    path = write_sssom(mapping_set, tmp_path / "out.sssom.tsv")
    back = read_sssom(path, strict=True)
    assert back.mappings == mapping_set.mappings
    assert back.mapping_set_id == mapping_set.mapping_set_id
    assert back.object_source_version == "hp/releases/2025-01-16"

    from sssom.parsers import parse_sssom_table

    msdf = parse_sssom_table(str(path))
    assert len(msdf.df) == len(mapping_set)
    assert set(msdf.df["object_id"]) == {m.object_id for m in mapping_set}

    cli = Path(sys.executable).parent / "sssom"
    require(cli.is_file(), "the sssom command (sssom-py, a test dependency) is not installed")
    done = subprocess.run([str(cli), "validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def test_cli_end_to_end_csv_with_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "pheno.csv"
    table.write_text("id,phenotype\n1,Asthma\n2,ASD\n3,cough\n4,Asthma\n", encoding="utf-8")
    out = tmp_path / "pheno.sssom.tsv"
    code, err = _run(
        [
            "ground", str(table), "--ontology", str(FIXTURE), "--root", "HP:0002086",
            "--column", "phenotype", "--top-k", "2", "-o", str(out),
        ],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "grounded 3 distinct values" in err
    mapping_set = read_sssom(out, strict=True)
    firsts = {rows[0].subject_label: rows[0] for rows in mapping_set.by_subject().values()}
    assert firsts["Asthma"].object_id == "HP:0002099"
    assert firsts["cough"].object_id == "HP:0012735"
    assert "HP:0001631" not in {m.object_id for m in mapping_set}  # ASD is outside the branch
    assert all(len(rows) <= 2 for rows in mapping_set.by_subject().values())


def test_cli_plain_text_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    terms = tmp_path / "terms.txt"
    terms.write_text("Vesicoureteral reflux\n\nhypertension\nqqqq\n", encoding="utf-8")
    out = tmp_path / "terms.sssom.tsv"
    code, err = _run(["ground", str(terms), "--ontology", str(FIXTURE), "-o", str(out)], capsys)
    assert code == 0, err
    ids = {
        m.subject_label: m.object_id for m in read_sssom(out) if m.predicate_id == "skos:exactMatch"
    }
    assert ids == {"Vesicoureteral reflux": "HP:0000076", "hypertension": "HP:0000822"}
    none = [m for m in read_sssom(out) if m.object_id == "sssom:NoTermFound"]
    assert [m.subject_label for m in none] == ["qqqq"]  # listed, not silently dropped


@pytest.mark.parametrize(
    ("setup", "extra", "needle"),
    [
        ("unknown_column", ["--column", "nope"], "no column named 'nope'"),
        ("empty", [], "empty"),
        ("bad_ontology", [], "bad.obo"),
        ("unknown_root", ["--root", "HP:9999999"], "HP:9999999"),
        ("missing_ontology", [], "missing.obo"),
    ],
)
def test_cli_bad_input_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, extra: list[str], needle: str
) -> None:
    table = tmp_path / "in.csv"
    table.write_text("" if setup == "empty" else "value\nAsthma\n", encoding="utf-8")
    ontology = FIXTURE
    if setup == "bad_ontology":
        ontology = tmp_path / "bad.obo"
        ontology.write_bytes(b"\x00\x01 this is not an ontology \xff\xfe")
    if setup == "missing_ontology":
        ontology = tmp_path / "missing.obo"
    out = tmp_path / "out.sssom.tsv"
    code, err = _run(
        ["ground", str(table), "--ontology", str(ontology), *extra, "-o", str(out)], capsys
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("harmonize: error:"), err
    assert needle in lines[0]
    assert "Traceback" not in err
    assert not out.exists()


def test_evidence_is_frozen() -> None:
    result = ground(["Asthma"], [FIXTURE])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.candidates[0].evidence.method = "fuzzy"  # type: ignore[misc]


def test_cli_header_only_and_bad_top_k(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "only-header.csv"
    table.write_text("phenotype\n", encoding="utf-8")
    out = tmp_path / "out.sssom.tsv"
    code, err = _run(["ground", str(table), "--ontology", str(FIXTURE), "-o", str(out)], capsys)
    assert code == 2 and "no values to ground" in err and not out.exists()
    table.write_text("phenotype\nAsthma\n", encoding="utf-8")
    args = ["ground", str(table), "--ontology", str(FIXTURE), "--top-k", "0", "-o", str(out)]
    code, err = _run(args, capsys)
    assert code == 2 and "--top-k" in err and not out.exists()


def test_outside_branch_is_explained_in_the_sssom_comment(tmp_path: Path) -> None:
    results = ground(["Atrial septal defect"], [FIXTURE], roots=["HP:0002086"], top_k=2)
    assert results[0].outside_branch is not None
    assert results[0].candidates == ()
    plain = results_to_mapping_set(results, namespace="x", mapping_set_id="https://e.org/x")
    assert plain.mappings == ()  # the API default: no row for a value without candidates
    mapping_set = results_to_mapping_set(
        results, namespace="x", mapping_set_id="https://e.org/x", unmatched=True
    )
    (row,) = mapping_set.mappings
    assert row.object_id == "sssom:NoTermFound"
    assert row.subject_label == "Atrial septal defect"
    assert "outside it: HP:0001631" in (row.comment or "")
    path = write_sssom(mapping_set, tmp_path / "none.sssom.tsv")
    assert read_sssom(path, strict=True).mappings == mapping_set.mappings
    cli = Path(sys.executable).parent / "sssom"
    require(cli.is_file(), "the sssom command (sssom-py, a test dependency) is not installed")
    done = subprocess.run([str(cli), "validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_predicates_follow_synonym_scope() -> None:
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Synonym, Term

    index = OntologyIndex(
        meta=OntologyMeta("X"),
        terms={
            "X:1": Term(
                "X:1",
                "heart disease",
                synonyms=(
                    Synonym("cardiopathy", "EXACT"),
                    Synonym("valve disease", "NARROW"),
                    Synonym("circulatory problem", "BROAD"),
                    Synonym("cardiac trouble", "RELATED"),
                ),
            )
        },
    )
    results = ground(
        ["heart disease", "cardiopathy", "valve disease", "circulatory problem", "cardiac trouble"],
        [index],
        top_k=1,
    )
    assert [r.candidates[0].predicate for r in results] == [
        "skos:exactMatch",
        "skos:exactMatch",
        "skos:broadMatch",  # the value is narrower than the term
        "skos:narrowMatch",  # the value is broader than the term
        "skos:closeMatch",
    ]
