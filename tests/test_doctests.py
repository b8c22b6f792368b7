"""The examples in the docstrings of the privacy and reading/writing modules run as tests
(offline)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "harmonize.errors",
    "harmonize.io.archives",
    "harmonize.io.atomic",
    "harmonize.io.json_text",
    "harmonize.io.limits",
    "harmonize.io.staging",
    "harmonize.io.xml_guard",
    "harmonize.io.yaml_text",
    "harmonize.privacy.detectors",
    "harmonize.privacy.draft",
    "harmonize.privacy.headers",
    "harmonize.privacy.mask",
    "harmonize.privacy.names",
    "harmonize.privacy.pseudonymize",
    "harmonize.privacy.scattered",
    "harmonize.privacy.validators",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
