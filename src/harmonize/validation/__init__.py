"""SHACL (pyshacl) and ontology-aware validation with steward-readable reports.

``validate_file`` validates RDF in batches; see :mod:`harmonize.validation.run`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["Issue", "ValidationReport", "format_report", "validate_file"]

_WHERE = {
    "Issue": "harmonize.validation.report",
    "ValidationReport": "harmonize.validation.report",
    "format_report": "harmonize.validation.report",
    "validate_file": "harmonize.validation.run",
}

if TYPE_CHECKING:  # pragma: no cover
    from harmonize.validation.report import Issue, ValidationReport, format_report
    from harmonize.validation.run import validate_file


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'harmonize.validation' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
