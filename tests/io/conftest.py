"""Helpers for the reading/writing layer tests: run the CLI in-process or capped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harmonize.cli import main
from harmonize.testing.fuzz_inputs import HOSTILE
from harmonize.testing.fuzz_run import TARGETS, Case, Outcome, run_case

DATA = Path(__file__).resolve().parents[1] / "data"

CliResult = tuple[int, str, str]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``harmonize ARGS`` in this process: (exit code, stdout, stderr)."""

    def run(*args: object) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def one_line_error(err: str, *needles: str) -> str:
    """Assert ``err`` is exactly one ``harmonize: error:`` line holding every needle."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err[-2000:]
    assert lines[0].startswith("harmonize: error: "), lines[0][:500]
    assert len(lines[0].encode()) <= 2000
    for needle in needles:
        assert needle in lines[0], lines[0][:500]
    return lines[0]


def hostile(name: str) -> tuple[str, bytes]:
    """The hand-made hostile input ``name`` (e.g. ``"laughs"``) as (file name, bytes)."""
    for makers in HOSTILE.values():
        for make in makers:
            if make.__name__.strip("_") == name:
                return make(DATA)
    raise KeyError(name)


def capped(target_name: str, hostile_name: str, tmp_path: Path, timeout: float = 60) -> Outcome:
    """Run one hostile input through one command in a subprocess capped at 3 GiB."""
    target = next(t for t in TARGETS if t.name == target_name)
    name, content = hostile(hostile_name)
    case = Case(target, name, content, f"hostile: {hostile_name}")
    return run_case(case, tmp_path / "case", DATA, timeout=timeout)


def assert_clean_failure(outcome: Outcome, *needles: str) -> str:
    """A capped run that failed with one clear line: no problem of the issue's list."""
    assert outcome.problems == (), (outcome.problems, outcome.stderr_tail)
    assert outcome.returncode == 2, (outcome.returncode, outcome.stderr_tail)
    return one_line_error(outcome.stderr_tail, *needles)
