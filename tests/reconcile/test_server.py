"""``harmonize reconcile`` as a user runs it: a real server, one-line errors, and the
preview card rendered in headless Chromium inside a sandboxed iframe, as OpenRefine
shows it."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.reconcile.conftest import BRANCH, REVIEW
from tests.review.conftest import browser, free_port  # noqa: F401 - the shared Chromium fixture

#: Screenshots go to a temporary folder; to refresh the README's, run
#: ``HARMONIZE_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/reconcile/test_server.py``
SHOTS_ENV = "HARMONIZE_SCREENSHOTS"


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harmonize", "reconcile", *args],
        capture_output=True, text=True, env=os.environ.copy(), timeout=timeout,
    )  # fmt: skip


@contextlib.contextmanager
def _server(tmp_path: Path, *args: str) -> Iterator[tuple[str, Path]]:
    """A ``harmonize reconcile`` subprocess; yields (service URL, its log)."""
    port = free_port()
    log = tmp_path / f"reconcile-{port}.log"
    cmd = [sys.executable, "-m", "harmonize", "reconcile", *args, "--port", str(port),
           "--ledger", str(tmp_path / "decisions.sqlite"), "--reviewer", "Ada Steward"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(url + "/health", timeout=2) as resp,
            ):
                if resp.status == 200:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError("the service did not start within 180 s")
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_the_command_serves_and_prints_the_url_to_add(tmp_path: Path) -> None:
    with _server(tmp_path, "--ontology", str(REVIEW / "anatomy.obo"), "--root", BRANCH) as (
        url,
        log,
    ):
        with urllib.request.urlopen(url + "/") as resp:
            manifest = json.load(resp)
        assert manifest["defaultTypes"][0]["id"] == BRANCH
        body = "queries=" + urllib.request.quote(
            json.dumps({"q0": {"query": "Liver", "type": BRANCH}})
        )
        with urllib.request.urlopen(url + "/", data=body.encode()) as resp:
            assert json.load(resp)["q0"]["result"][0]["match"] is True
        assert f"add the service {url}/" in log.read_text()


def test_command_errors_are_one_line(tmp_path: Path) -> None:
    missing = _cli("--ledger", str(tmp_path / "l.sqlite"))
    assert missing.returncode == 2 and "--ontology" in missing.stderr
    bad_root = _cli("--ontology", str(REVIEW / "anatomy.obo"), "--root", "UBERON:404")
    assert bad_root.returncode == 2 and "UBERON:404" in bad_root.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        taken = _cli("--ontology", str(REVIEW / "anatomy.obo"), "--port", port)
    assert taken.returncode == 2 and "cannot listen" in taken.stderr
    slash = _cli("--ontology", str(REVIEW / "anatomy.obo"), "--token", "a/token/with/slashes")
    assert slash.returncode == 2 and "--token" in slash.stderr
    for proc in (missing, bad_root, taken, slash):
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.browser
def test_the_preview_card_renders_in_a_sandboxed_iframe(tmp_path: Path, browser: Any) -> None:  # noqa: F811
    # the UBERON excerpt: real UBERON texts, with the synonyms the bundled build leaves out
    with _server(tmp_path, "--ontology", str(REVIEW / "anatomy.obo"), "--root", BRANCH) as (url, _):
        with urllib.request.urlopen(url + "/") as resp:
            preview = json.load(resp)["preview"]
        src = preview["url"].replace("{{id}}", "UBERON:0002107")
        page = browser.new_page(viewport={"width": 640, "height": 420})
        page.set_content(  # how OpenRefine embeds it: sandboxed, the manifest's size
            '<body style="margin:16px;background:#f4f4f4">'
            f'<iframe sandbox="" src="{src}" width="{preview["width"]}" '
            f'height="{preview["height"]}" style="border:1px solid #bbb;background:#fff"></iframe>'
        )
        frame = page.frame_locator("iframe")
        frame.locator("h1").wait_for()
        assert frame.locator("h1").inner_text() == "liver"
        assert "UBERON:0002107" in frame.locator(".id").inner_text()
        text = frame.locator("article").inner_text()
        assert "Parents" in text and "organ" in text and "hepar" in text and "exact" in text
        box = page.locator("iframe").bounding_box()
        assert box is not None and round(box["width"]) == preview["width"] + 2  # + border
        folder = Path(os.environ.get(SHOTS_ENV) or tmp_path / "shots")
        folder.mkdir(parents=True, exist_ok=True)
        png = page.locator("iframe").screenshot(path=str(folder / "reconcile-preview.png"))
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        page.close()
