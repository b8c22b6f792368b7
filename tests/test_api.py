"""The public API: ``import harmonize`` gives every job, cheaply, documented and runnable."""

from __future__ import annotations

import doctest
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import harmonize

ROOT = Path(__file__).resolve().parents[1]
JOBS = ["ground", "match_columns", "map_values", "convert", "validate", "publish",
        "scan_privacy", "replay", "accepted", "load_index", "read_sssom", "write_sssom"]  # fmt: skip


def test_every_exported_name_resolves() -> None:
    for name in harmonize.__all__:
        assert getattr(harmonize, name) is not None, name
    assert set(JOBS) <= set(harmonize.__all__)
    with pytest.raises(AttributeError):
        _ = harmonize.no_such_job  # type: ignore[attr-defined]


def test_jobs_take_keyword_only_options_and_are_documented() -> None:
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in JOBS:
        func = getattr(harmonize, name)
        params = list(inspect.signature(func).parameters.values())
        positional = [p for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert len(positional) <= 2, (name, positional)  # the data; options are keyword-only
        assert func.__doc__ and len(func.__doc__.strip()) > 40, name
        assert f"`{name}(" in api, f"docs/api.md does not list {name}"


def test_import_harmonize_stays_cheap() -> None:
    code = ("import sys, harmonize; heavy = {'rdflib', 'pyoxigraph', 'numpy', 'pyshacl', "
            "'linkml_runtime', 'rapidfuzz'} & set(sys.modules); print(sorted(heavy))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.parametrize("module", ["matching", "converting", "publishing", "privacy", "review"])
def test_job_examples_run(module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    mod = importlib.import_module(f"harmonize.jobs.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
