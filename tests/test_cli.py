"""The CLI shell: help, fast start, one-line errors."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from harmonize.cli import main
from harmonize.errors import HarmonizeError, InputFileError


def test_help_lists_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "harmonize demo" in out


def test_help_starts_fast_without_heavy_imports() -> None:
    code = (
        "import sys, time; t=time.perf_counter();"
        "from harmonize.cli import build_parser; build_parser().format_help();"
        "heavy=[m for m in ('rdflib','pronto','pyshacl','linkml_runtime','networkx','pyoxigraph',"
        "'starlette','uvicorn','pandas','rapidfuzz','curies') if m in sys.modules];"
        "print(heavy); print(time.perf_counter()-t)"
    )
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    heavy, _elapsed = out.stdout.splitlines()
    assert heavy == "[]", f"heavy modules imported at CLI start: {heavy}"
    assert wall < 3.0  # interpreter start included; the in-process part is far below


def test_error_message_is_one_line_with_place() -> None:
    err = InputFileError("row has 3 cells\nbut header 2", path="t.csv", line=4, value="x" * 200)
    text = str(err)
    assert "\n" not in text
    assert text.startswith("t.csv:4: row has 3 cells but header 2")
    assert text.endswith('...")') or "..." in text
    assert isinstance(err, HarmonizeError)


def test_cli_warning_format_does_not_leak_to_the_caller(tmp_path: object) -> None:
    import warnings

    before = warnings.formatwarning
    assert main(["ontology", "info", "/nonexistent/file.obo"]) == 2
    assert warnings.formatwarning is before
