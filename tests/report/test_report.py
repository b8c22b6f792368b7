"""The run report: figures counted by hand from the review fixtures, a static page that
opens offline in Chromium, and the command line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import DATA, require

from harmonize.mappings.decisions import new_decision, reviewer
from harmonize.mappings.ledger import Ledger
from harmonize.report import write_report
from harmonize.report.inputs import find_run_files
from harmonize.report.summary import summarize

REVIEW = DATA / "review"


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """A run folder: partner 1's table, its mapping sets, a SHACL and a privacy report."""
    folder = tmp_path / "run"
    folder.mkdir()
    for name in ("partner1.csv", "partner1_tissue.sssom.tsv", "partner1_columns.sssom.tsv"):
        shutil.copy(REVIEW / name, folder / name)
    for name in ("shacl-report.ttl", "privacy-report.json"):
        shutil.copy(DATA / "report" / name, folder / name)
    return folder


def test_cells_are_counted_as_mapped_pending_unmapped(run_dir: Path) -> None:
    s = summarize(find_run_files(run_dir))
    assert s.rows == 35 and s.table == "partner1.csv"
    (tissue,) = s.shares
    # tests/data/review/README.md: 8 values at 0.99 cover 4+6+1+2+3+2+2+4 = 24 cells;
    # liver bx 5, lung tissue 3, cardiac muscle 1, hepatic 1 (0.9487), PBMC 1 wait
    assert (tissue.column, tissue.mapped, tissue.pending, tissue.unmapped, tissue.empty) == (
        "tissue", 24, 11, 0, 0,
    )  # fmt: skip
    assert (tissue.values, tissue.values_pending) == (13, 5)
    # best confidence per value, 0.05 bins: 0.84 -> 16, 0.85 -> 17, 0.91 and 0.9487 -> 18
    # (below the threshold), eight 0.99 -> 19 (at or above it); PBMC has no candidate
    assert s.histogram[16] == (1, 0) and s.histogram[17] == (1, 0)
    assert s.histogram[18] == (2, 0) and s.histogram[19] == (0, 8)
    assert sum(a + b for a, b in s.histogram) == 12
    assert [p.value for p in s.pending][:2] == ["liver bx", "lung tissue"]  # most rows first


def test_a_stewards_decisions_move_cells(run_dir: Path) -> None:
    ledger = Ledger.open(run_dir / "decisions.sqlite")
    ada = reviewer("Ada")
    ledger.record(new_decision("local:tissue/PBMC-a128ec", "none", ada, subject_label="PBMC"))
    ledger.record(new_decision("local:tissue/liver_bx-e0d66b", "accept", ada,
                               subject_label="liver bx", object_id="UBERON:0002107"))  # fmt: skip
    (tissue,) = summarize(find_run_files(run_dir)).shares
    assert (tissue.mapped, tissue.pending, tissue.unmapped) == (24 + 5, 11 - 5 - 1, 1)


def test_shacl_problems_are_grouped_by_slot_and_kind(run_dir: Path) -> None:
    s = summarize(find_run_files(run_dir))
    assert s.conforms is False and s.problem_total == 3
    groups = [(g.slot, g.kind, g.count, [p.row for p in g.examples]) for g in s.problems]
    assert groups == [
        ("tissue", "required value is missing", 2, [7, 16]),
        ("age", "wrong datatype", 1, [5]),
    ]
    assert s.privacy is not None and {f["column"] for f in s.privacy} >= {"donor_name"}


def test_the_report_is_one_static_page_with_escaped_text(run_dir: Path, tmp_path: Path) -> None:
    out = write_report(run_dir, tmp_path / "report.html")
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and 'class="threshold"' in html
    assert "auto-accept ≥ 0.950" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from anywhere
    assert "<script" not in html and "<link" not in html
    assert "&lt;b&gt;27&lt;/b&gt;" in html and "<b>27</b>" not in html  # a value, escaped
    assert "Xxxx Xxxxxx" in html and "person_name" in html  # masked examples only
    assert ">0.948<" in html  # hepatic, truncated


def test_a_run_without_shacl_or_privacy_reports_says_so(run_dir: Path, tmp_path: Path) -> None:
    (run_dir / "shacl-report.ttl").unlink()
    (run_dir / "privacy-report.json").unlink()
    html = write_report(run_dir, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No <code>shacl-report.ttl</code> in the folder" in html
    assert "No <code>privacy-report.json</code> in the folder" in html
    assert not list(run_dir.glob("*.sqlite*"))  # reading a run never writes into it


def _harmonize(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harmonize", *args], capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def test_command_line(run_dir: Path, tmp_path: Path) -> None:
    done = _harmonize("report", str(run_dir), "-o", str(tmp_path / "report.html"))
    assert done.returncode == 0 and f"wrote {tmp_path / 'report.html'}" in done.stdout
    missing = _harmonize("report", str(tmp_path / "nope"), "-o", str(tmp_path / "x.html"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
    (run_dir / "copy.csv").write_text("a\n1\n")
    two = _harmonize("report", str(run_dir), "-o", str(tmp_path / "x.html"))
    assert two.returncode == 2 and "more than one partner table" in two.stderr


@pytest.mark.browser
@pytest.mark.slow
def test_the_demo_report_opens_offline_in_chromium(tmp_path: Path, review_demo: Any) -> None:
    path = shutil.which("chromium")
    require(path is not None, "Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    out = write_report(review_demo.out_dir, tmp_path / "report.html")
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.route(
            "**/*",
            lambda route: (
                route.abort() if not route.request.url.startswith("file:") else route.continue_()
            ),
        )
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(out.as_uri())
        assert page.title().startswith("Harmonization report")
        bars = page.locator("svg.shares rect.seg")
        assert bars.count() >= 8  # coded columns of the demo, segment by segment
        line = page.locator("svg.histogram line.threshold").bounding_box()
        assert line is not None and line["height"] > 100
        shown = int(page.inner_text("#values-pending"))
        assert "required value is missing" in page.inner_text("#problems")
        folder = Path(os.environ.get("HARMONIZE_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        png = page.screenshot(path=str(folder / "report.png"), full_page=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        browser.close()
    assert requests == [out.as_uri()] and errors == []
    # the same figure as the workbench's open values for this run
    from harmonize.review.workspace import load_workspace

    ws = load_workspace([review_demo.columns_sssom, review_demo.values_sssom],
                        tmp_path / "d.sqlite", table=review_demo.table)  # fmt: skip
    assert shown == sum(1 for i in ws.items() if i.open and i.kind == "value")
