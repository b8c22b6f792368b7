"""``harmonize demo`` end to end, as the README's first command runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Namespace

from harmonize.mappings import read_sssom

HMZ = Namespace("https://w3id.org/harmonize/model/")
pytestmark = pytest.mark.slow
SH = Namespace("http://www.w3.org/ns/shacl#")


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "harmonize", "demo", "-o", str(out)],
        capture_output=True, text=True, env=os.environ.copy(), timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    for needle in (
        "columns mapped",
        "values mapped",
        "left for review",
        "triples written",
        "SHACL result",
    ):
        assert needle in text
    assert "Traceback" not in proc.stderr
    # every output the summary names exists and is what it says
    columns = read_sssom(out / "columns.sssom.tsv")
    values = read_sssom(out / "values.sssom.tsv")
    assert {m.subject_label for m in columns} >= {"Gender", "tissue_src", "Dx", "Age (yrs)"}
    by_label: dict[str | None, str] = {}
    for m in columns:  # best first per column
        by_label.setdefault(m.subject_label, m.object_id)
    assert by_label["tissue_src"] == "hmz:tissue" and by_label["Dx"] == "hmz:disease"
    assert any(m.subject_label == "HCC" and m.object_id == "MONDO:0007256" for m in values)
    g = rdflib.Graph().parse(out / "harmonized.ttl")
    assert len(list(g.subjects(RDF.type, HMZ.Biosample))) == 300
    assert f"triples written  {len(g)}" in text
    report = rdflib.Graph().parse(out / "shacl-report.ttl")
    node = next(report.subjects(RDF.type, SH.ValidationReport))
    # the partner table has real problems (e.g. "2x150" read lengths): SHACL must see them
    assert report.value(node, SH.conforms).toPython() is False
    assert "wrong datatype" in text
    assert (out / "partner_samples.csv").is_file()


def test_walkthrough_notebook_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("HARMONIZE_WALKTHROUGH_DIR", str(tmp_path / "walkthrough"))
    path = Path(__file__).resolve().parents[1] / "notebooks" / "walkthrough.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = " ".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/markdown", "")) for o in outputs
    )
    assert "values accepted (curated" in text and "triples" in text and "violation" in text
    assert (tmp_path / "walkthrough" / "harmonized.ttl").is_file()
    assert (tmp_path / "walkthrough" / "shacl-report.ttl").is_file()


def test_summary_lists_values_with_a_guess_before_those_without(tmp_path: Path) -> None:
    from harmonize.demo.pipeline import DemoResult
    from harmonize.demo.summary import format_result

    files = {name: tmp_path / name for name in ("t", "c", "v", "r", "s", "p", "h")}
    result = DemoResult(
        out_dir=tmp_path,
        table=files["t"],
        columns_sssom=files["c"],
        values_sssom=files["v"],
        rdf=files["r"],
        report=files["s"],
        privacy=files["p"],
        run_report=files["h"],
        values_review=[
            ("local:Gender/unknown", "unknown", None, None),
            ("local:Dx/HCC", "HCC", "hepatocellular carcinoma", 0.816),
        ],
    )
    review = [ln for ln in format_result(result).splitlines() if "review:" in ln]
    assert review == [
        "      review: 'HCC' -> best guess hepatocellular carcinoma (0.816)",
        "      review: 'unknown' -> best guess no candidate",
    ]
