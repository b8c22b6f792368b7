"""Shared test fixtures.

Tests that need something a user's machine may lack (the shared benchmark data, a
browser, a triple store) call :func:`require`: it skips with a reason on a user's
machine and fails in CI (``CI=true``), where ``.ci/run`` provides everything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
BENCH_DATA = ROOT.parent / "shared" / "bench-data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip (user machine) or fail (CI) when ``condition`` does not hold."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Index caches go to a temporary folder, never the user's cache or the source tree."""
    os.environ["HARMONIZE_CACHE_DIR"] = str(tmp_path_factory.mktemp("harmonize-cache"))


@pytest.fixture(scope="session")
def bench_data() -> Path:
    """``../shared/bench-data`` (skips on a clone without it, fails in CI)."""
    require(BENCH_DATA.is_dir(), f"benchmark data not found at {BENCH_DATA}")
    return BENCH_DATA


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


#: fixtures that run the whole demo pipeline: every test using one is ``slow``
_SLOW_FIXTURES = frozenset({"demo_output", "demo_inputs", "demo_store", "endpoint"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
