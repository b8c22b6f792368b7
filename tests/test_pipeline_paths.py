"""One code path: the README's step-by-step commands, the Python API and ``harmonize demo``
give the same result, and a decision taken on one replays on the others."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from harmonize.mappings import read_sssom

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "src" / "harmonize" / "demo_data" / "partner_samples.csv"
HMZ = "https://w3id.org/harmonize/model/"
# the per-cell provenance nodes name the mapping set; the codings themselves do not
_PROVENANCE = {"valueCoding", "codedAs", "sourceValue", "sourceColumn", "slot", "confidence"}

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "harmonize", *map(str, args)],
        capture_output=True, text=True, env=os.environ.copy(), timeout=900, cwd=cwd,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def codings(path: Path) -> set[tuple[str, str, str]]:
    """(record, model slot, value) for every record triple of a converted file."""
    out = set()
    for s, p, o in rdflib.Graph().parse(path):
        slot = str(p).removeprefix(HMZ)
        if str(p).startswith(HMZ) and slot not in _PROVENANCE and "/coding/" not in str(s):
            out.add((str(s), slot, str(o)))
    return out


def pairs(path: Path) -> set[tuple[str, str]]:
    return {(m.subject_id, m.object_id) for m in read_sssom(path)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    proc = run("demo", "-o", out)
    (out / "demo-summary.txt").write_text(proc.stdout, encoding="utf-8")
    return out


def test_step_by_step_commands_give_the_demo_result(demo: Path, tmp_path: Path) -> None:
    cols, vals, rdf = (
        tmp_path / "columns.sssom.tsv",
        tmp_path / "values.sssom.tsv",
        tmp_path / "out.ttl",
    )
    run("match-columns", TABLE, "--schema", ROOT / "schemas" / "harmonize.yaml",
        "-o", cols, "--values-out", vals)  # fmt: skip
    run("convert", TABLE, "--mappings", cols, "--mappings", vals, "-o", rdf)
    assert pairs(cols) == pairs(demo / "columns.sssom.tsv")
    assert pairs(vals) == pairs(demo / "values.sssom.tsv")
    mine, theirs = codings(rdf), codings(demo / "harmonized.ttl")
    assert mine == theirs and len(mine) > 4000
    # the values the issue found dropped are coded: Dx 'hepatocellular carcinoma'
    mondo_hcc = "http://purl.obolibrary.org/obo/MONDO_0007256"
    assert any(slot == "disease" and value == mondo_hcc for _, slot, value in mine)
    assert any(o.startswith("hmz:LibraryLayoutEnum/") for _, o in pairs(vals))


def test_value_subjects_are_the_same_from_every_command(demo: Path, tmp_path: Path) -> None:
    grounded = tmp_path / "tissue.sssom.tsv"
    run("ground", TABLE, "--column", "tissue_src", "--ontology", "UBERON",
        "--root", "UBERON:0001062", "-o", grounded)  # fmt: skip
    demo_subjects = {m.subject_label: m.subject_id for m in read_sssom(demo / "values.sssom.tsv")}
    for m in read_sssom(grounded):
        assert demo_subjects[m.subject_label] == m.subject_id


def test_a_decision_on_the_demo_replays_on_the_step_by_step_path(
    demo: Path, tmp_path: Path
) -> None:
    from harmonize.mappings.decisions import new_decision, reviewer
    from harmonize.mappings.ledger import Ledger

    hcc = next(m for m in read_sssom(demo / "values.sssom.tsv") if m.subject_label == "HCC")
    assert hcc.confidence is not None and hcc.confidence < 0.95  # not auto-accepted
    ledger = Ledger.open(tmp_path / "decisions.sqlite")
    ledger.record(new_decision(hcc.subject_id, "accept", reviewer("Ada Steward"),
                               subject_label="HCC", object_id="MONDO:0007256"))  # fmt: skip
    cols, vals = tmp_path / "c.sssom.tsv", tmp_path / "v.sssom.tsv"
    run("match-columns", TABLE, "--schema", ROOT / "schemas" / "harmonize.yaml",
        "-o", cols, "--values-out", vals)  # fmt: skip
    plain = run("convert", TABLE, "--mappings", cols, "--mappings", vals, "-o", tmp_path / "a.ttl")
    reviewed = run("convert", TABLE, "--mappings", cols, "--mappings", vals,
                   "--ledger", tmp_path / "decisions.sqlite", "-o", tmp_path / "b.ttl")  # fmt: skip
    coded = [int(re.search(r"coded values: (\d+)", p.stdout).group(1)) for p in (plain, reviewed)]  # type: ignore[union-attr]
    rows_hcc = sum(1 for line in TABLE.read_text().splitlines()[1:] if ",HCC," in line)
    assert "Dx='HCC'" in plain.stdout and "Dx='HCC'" not in reviewed.stdout
    assert rows_hcc > 0 and coded[1] == coded[0] + rows_hcc
    hcc = "http://purl.obolibrary.org/obo/MONDO_0007256"
    assert len([c for c in codings(tmp_path / "b.ttl") if c[2] == hcc]) > len(
        [c for c in codings(tmp_path / "a.ttl") if c[2] == hcc]
    )


def _readme_python() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use harmonize from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_readme_python_pipeline_runs_as_printed(demo: Path, tmp_path: Path) -> None:
    script = _readme_python()
    lines = [ln for ln in script.splitlines() if ln.strip()]
    assert len(lines) <= 15 and lines[0] == "import harmonize"
    assert not [ln for ln in lines if ln.startswith(("import ", "from ")) and ln != lines[0]]
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=900, env=os.environ.copy())  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert codings(tmp_path / "out.ttl") == codings(demo / "harmonized.ttl")
    assert (tmp_path / "store").is_dir() and "triples" in proc.stdout


def test_the_review_command_the_demo_prints_works_as_printed(demo: Path) -> None:
    """Issue #13 item 6: with the ontologies, so items show definitions and hierarchy."""
    import shlex
    import socket
    import time

    import httpx

    summary = (demo / "demo-summary.txt").read_text(encoding="utf-8")
    line = next(
        ln.strip() for ln in summary.splitlines() if ln.strip().startswith("harmonize review")
    )
    assert "--ontology MONDO" in line and "--schema" in line
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    args = [*shlex.split(line)[1:], "--port", str(port), "--reviewer", "Ada Steward"]
    proc = subprocess.Popen([sys.executable, "-m", "harmonize", *args], env=os.environ.copy(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                if httpx.get(url + "/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "review did not start"
            time.sleep(1)
        hcc = next(m for m in read_sssom(demo / "values.sssom.tsv") if m.subject_label == "HCC")
        page = httpx.get(url + "/item", params={"s": hcc.subject_id}, timeout=30).text
        assert "MONDO:0007256" in page
        assert 'class="def">A malignant tumor that arises from hepatocytes' in page  # definition
        assert 'class="hier"' in page and "carcinoma of liver" in page  # a parent
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("study", ["cao", "clark", "dou", "huang", "krug"])
def test_the_step_by_step_commands_work_on_each_gdc_study(
    study: str, bench_data: Path, tmp_path: Path
) -> None:
    """match-columns -> convert -> validate with the GDC dictionary on a real study: every
    row converted, coded values written, value subjects as the ledger keys them."""
    source = bench_data / "gdc" / "studies" / study / "source.csv"
    schema = ROOT / "schemas" / "gdc.yaml"
    columns, values, out = tmp_path / "c.sssom.tsv", tmp_path / "v.sssom.tsv", tmp_path / "o.ttl"
    run("match-columns", source, "--schema", schema, "-o", columns, "--values-out", values)
    converted = run("convert", source, "--schema", schema, "--mappings", columns,
                    "--mappings", values, "-o", out)  # fmt: skip
    rows = sum(1 for _ in source.open(encoding="utf-8")) - 1
    assert f"converted {rows} rows" in converted.stdout
    assert any(str(p) == HMZ + "sourceValue" for _, p, _ in rdflib.Graph().parse(out))
    subjects = {m.subject_id for m in read_sssom(values)}
    assert subjects and all(re.fullmatch(r"local:[^/]+/.+", s) for s in subjects)
    proc = subprocess.run(
        [sys.executable, "-m", "harmonize", "validate", out, "--schema", schema],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
