"""harmonize: messy sample metadata in, ontology-coded, validated linked data out.

The public API, one function per job (the CLI, the demo and the notebook use only
these)::

    import harmonize
    table = harmonize.demo_table()                      # or your partner table
    columns = harmonize.match_columns(table)             # columns -> slots (SSSOM)
    values = harmonize.map_values(table, columns)        # values -> terms (SSSOM)
    harmonize.convert(table, mappings=[columns, values], out="out.ttl")
    report = harmonize.validate("out.ttl")               # SHACL + ontology checks

Names are imported lazily, so ``import harmonize`` stays cheap. See ``docs/api.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # jobs
    "ground": "harmonize.jobs.matching",
    "match_columns": "harmonize.jobs.matching",
    "map_values": "harmonize.jobs.matching",
    "convert": "harmonize.jobs.converting",
    "validate": "harmonize.jobs.converting",
    "publish": "harmonize.jobs.publishing",
    "scan_privacy": "harmonize.jobs.privacy",
    "replay": "harmonize.jobs.review",
    "accepted": "harmonize.jobs.review",
    "load_index": "harmonize.ontology.cache",
    "load_schema": "harmonize.schema.view",
    "read_sssom": "harmonize.mappings.sssom_io",
    "write_sssom": "harmonize.mappings.sssom_io",
    "results_to_mapping_set": "harmonize.match.values.ground",
    "demo_table": "harmonize.demo.pipeline",
    "common_model": "harmonize.jobs.inputs",
    "run_demo": "harmonize.demo.pipeline",
    # what they take and give
    "AUTO_ACCEPT": "harmonize.confidence",
    "shown": "harmonize.confidence",
    "HarmonizeError": "harmonize.errors",
    "Mapping": "harmonize.mappings.model",
    "MappingSet": "harmonize.mappings.model",
    "other_fields": "harmonize.mappings.model",
    "with_other": "harmonize.mappings.model",
    "MatchResult": "harmonize.match.values.candidate",
    "Candidate": "harmonize.match.values.candidate",
    "OntologyIndex": "harmonize.ontology.index",
    "Term": "harmonize.ontology.model",
    "Synonym": "harmonize.ontology.model",
    "normalize": "harmonize.text.normalize",
}

__all__ = [
    "AUTO_ACCEPT",
    "Candidate",
    "HarmonizeError",
    "Mapping",
    "MappingSet",
    "MatchResult",
    "OntologyIndex",
    "Synonym",
    "Term",
    "__version__",
    "accepted",
    "common_model",
    "convert",
    "demo_table",
    "ground",
    "load_index",
    "load_schema",
    "map_values",
    "match_columns",
    "normalize",
    "other_fields",
    "publish",
    "read_sssom",
    "replay",
    "results_to_mapping_set",
    "run_demo",
    "scan_privacy",
    "shown",
    "validate",
    "with_other",
    "write_sssom",
]

if TYPE_CHECKING:  # pragma: no cover
    from harmonize.confidence import AUTO_ACCEPT, shown
    from harmonize.demo.pipeline import demo_table, run_demo
    from harmonize.errors import HarmonizeError
    from harmonize.jobs.converting import convert, validate
    from harmonize.jobs.inputs import common_model
    from harmonize.jobs.matching import ground, map_values, match_columns
    from harmonize.jobs.privacy import scan_privacy
    from harmonize.jobs.publishing import publish
    from harmonize.jobs.review import accepted, replay
    from harmonize.mappings.model import Mapping, MappingSet, other_fields, with_other
    from harmonize.mappings.sssom_io import read_sssom, write_sssom
    from harmonize.match.values.candidate import Candidate, MatchResult
    from harmonize.match.values.ground import results_to_mapping_set
    from harmonize.ontology.cache import load_index
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import Synonym, Term
    from harmonize.schema.view import load_schema
    from harmonize.text.normalize import normalize


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'harmonize' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return __all__
