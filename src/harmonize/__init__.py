"""harmonize: messy sample metadata in, ontology-coded, validated linked data out.

The stable API is re-exported here lazily, so ``import harmonize`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "HarmonizeError": "harmonize.errors",
    "Term": "harmonize.ontology.model",
    "Synonym": "harmonize.ontology.model",
    "OntologyIndex": "harmonize.ontology.index",
    "load_index": "harmonize.ontology.cache",
    "normalize": "harmonize.text.normalize",
    "write_report": "harmonize.report",
}

__all__ = [
    "HarmonizeError",
    "OntologyIndex",
    "Synonym",
    "Term",
    "__version__",
    "load_index",
    "normalize",
    "write_report",
]

if TYPE_CHECKING:  # pragma: no cover
    from harmonize.errors import HarmonizeError
    from harmonize.ontology.cache import load_index
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import Synonym, Term
    from harmonize.report import write_report
    from harmonize.text.normalize import normalize


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'harmonize' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
