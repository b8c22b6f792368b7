"""The examples in the privacy modules' docstrings are run as tests (offline)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "harmonize.privacy.validators",
    "harmonize.privacy.detectors",
    "harmonize.privacy.headers",
    "harmonize.privacy.names",
    "harmonize.privacy.mask",
    "harmonize.privacy.pseudonymize",
    "harmonize.privacy.draft",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
