"""``harmonize match-columns``: end to end on our schema and on schemas/gdc.yaml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.mappings import read_sssom
from harmonize.mappings.model import other_fields

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data" / "columns"
GDC = ROOT / "schemas" / "gdc.yaml"


def _sssom_validate(path: Path) -> None:
    exe = Path(sys.executable).parent / "sssom"
    tool = str(exe) if exe.exists() else shutil.which("sssom")
    assert tool, "sssom (test dependency) is not installed"
    done = subprocess.run([tool, "validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_cli_writes_ordered_valid_sssom_and_values(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out, values = tmp_path / "cols.sssom.tsv", tmp_path / "vals.sssom.tsv"
    code = main(
        [
            "match-columns",
            str(DATA / "partner.csv"),
            "--schema",
            str(DATA / "biobank.yaml"),
            "--top-k",
            "3",
            "-o",
            str(out),
            "--values-out",
            str(values),
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "utf-8, comma-separated" in captured.out  # says how the table was read
    assert "Smoking_Hx" in captured.out and "smoking_status" in captured.out
    mapping_set = read_sssom(out, strict=True)
    groups = mapping_set.by_subject()
    assert len(groups) == 12 and all(len(rows) == 3 for rows in groups.values())
    for rows in groups.values():
        ranks = [other_fields(r)["rank"] for r in rows]
        assert ranks == [str(i) for i in range(1, len(rows) + 1)]
        after_first = [r.confidence or 0.0 for r in rows[1:]]
        assert after_first == sorted(after_first, reverse=True)  # best first
    first = {rows[0].subject_label: rows[0].object_id for rows in groups.values()}
    assert first["Tumor_Size_cm"] == "bb:tumor_largest_dimension"
    value_set = read_sssom(values, strict=True)
    male = [m for m in value_set if m.subject_label == "Male"]
    assert male and male[0].object_id == "PATO:0000384" and (male[0].confidence or 0.0) > 0.9
    _sssom_validate(out)
    _sssom_validate(values)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ragged.csv"], "ragged row"),
        (["binary.csv"], "binary file"),
        (["partner.csv", "--class", "Nope"], "no class 'Nope'"),
        (["partner.csv", "--schema-broken"], "not valid YAML"),
        (["missing.csv"], "file not found"),
        (["partner.csv", "--top-k", "0"], "--top-k must be at least 1"),
        (["partner.csv", "--schema-empty"], "has no slots"),
    ],
)
def test_bad_input_one_line_error_and_no_output(tmp_path, capsys, args, message) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.sssom.tsv"
    schema = DATA / "biobank.yaml"
    if "--schema-broken" in args:
        schema = DATA / "broken.yaml"
    if "--schema-empty" in args:
        schema = tmp_path / "empty.yaml"
        schema.write_text(
            "id: https://example.org/e\nname: e\nclasses:\n  Empty:\n    description: x\n",
            encoding="utf-8",
        )
    rest = [a for a in args[1:] if not a.startswith("--schema-")]
    code = main(
        ["match-columns", str(DATA / args[0]), "--schema", str(schema), "-o", str(out), *rest]
    )
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("harmonize: error:") and message in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()


def test_cli_on_gdc_schema(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out, values = tmp_path / "gdc.sssom.tsv", tmp_path / "gdc-values.sssom.tsv"
    code = main(
        [
            "match-columns",
            str(DATA / "gdc_partner.tsv"),
            "--schema",
            str(GDC),
            "-o",
            str(out),
            "--values-out",
            str(values),
            "--quiet",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == ""  # --quiet: no table
    groups = read_sssom(out, strict=True).by_subject()
    top = {rows[0].subject_label: [r.object_label for r in rows] for rows in groups.values()}
    for column, slot in {
        "Race": "race",
        "Ethnicity": "ethnicity",
        "VitalStatus": "vital_status",
        "Days_to_Death": "days_to_death",
        "Cigarettes_per_Day": "cigarettes_per_day",
        "Year_of_Birth": "year_of_birth",
        "BMI": "bmi",
        "Tumor_Grade": "tumor_grade",
        "Laterality": "laterality",
    }.items():
        assert top[column][0] == slot, (column, top[column])
    for column, slot in {"Patient_Sex": "gender", "Pack_Years": "pack_years_smoked"}.items():
        assert slot in top[column][:3], (column, top[column])
    assert all(r.object_id.startswith("gdc:") for rows in groups.values() for r in rows)
    value_rows = read_sssom(values, strict=True)
    dead = [m for m in value_rows if m.subject_label == "Dead"]
    assert dead and dead[0].object_id == "gdc:vital_status_enum/Dead"
    _sssom_validate(out)
    _sssom_validate(values)


def test_import_gdc_cli_on_small_dictionary(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "gdc.yaml"
    code = main(["schema", "import-gdc", str(DATA / "gdc_dictionary_small.json"), "-o", str(out)])
    assert code == 0
    assert "3 slots, 4 permissible values" in capsys.readouterr().out
    from harmonize.schema import load_schema

    cls = load_schema(out).cls()
    assert cls.name == "GDCRecord"
    gender = cls.slot("gender")
    assert gender is not None and gender.binding.kind == "enum"
    assert [pv.text for pv in gender.binding.permissible_values] == ["female", "male", "unknown"]


def test_cli_reads_xlsx_and_latin1_tables(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    rows = [
        line.split(",") for line in (DATA / "partner.csv").read_text(encoding="utf-8").splitlines()
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    xlsx = tmp_path / "partner.xlsx"
    book.save(xlsx)
    out = tmp_path / "x.sssom.tsv"
    schema = str(DATA / "biobank.yaml")
    assert main(["match-columns", str(xlsx), "--schema", schema, "-o", str(out)]) == 0
    assert "Excel workbook" in capsys.readouterr().out
    first = {r[0].subject_label: r[0].object_label for r in read_sssom(out).by_subject().values()}
    assert first["Smoking_Hx"] == "smoking_status"

    latin = tmp_path / "partner-latin1.tsv"
    latin.write_bytes("Sexe;Âge_ans\nfemme;54\nhomme;61\n".replace(";", "\t").encode("cp1252"))
    assert main(["match-columns", str(latin), "--schema", schema, "-o", str(out)]) == 0
    assert "cp1252, tab-separated" in capsys.readouterr().out
    labels = {m.subject_label for m in read_sssom(out)}
    assert labels == {"Sexe", "Âge_ans"}
