"""Partner table + reviewed mappings -> RDF records with PROV-O provenance.

``convert_table`` streams any table size; see :mod:`harmonize.conversion.run`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["ConversionSummary", "convert_table"]

if TYPE_CHECKING:  # pragma: no cover
    from harmonize.conversion.run import ConversionSummary, convert_table


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("harmonize.conversion.run"), name)
    raise AttributeError(f"module 'harmonize.conversion' has no attribute {name!r}")
