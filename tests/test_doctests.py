"""The examples in the docstrings of every module of harmonize run as tests (offline): an
example that no longer says what the code does fails here, not in a reader's hands."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
MODULES = sorted(
    ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
    for path in (SRC / "harmonize").rglob("*.py")
    if any(
        line.lstrip().startswith(">>> ") for line in path.read_text(encoding="utf-8").splitlines()
    )
)


def test_the_modules_with_examples_are_found() -> None:
    assert len(MODULES) >= 50
    assert "harmonize.match.values.qualifiers" in MODULES
    assert "harmonize.privacy.validators" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
