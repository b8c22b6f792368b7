"""Which ontologies validation needs, and loading them (bundled by default)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema.view import SchemaInfo

__all__ = ["bound_prefixes", "load_for_schema"]


def bound_prefixes(schema: SchemaInfo) -> list[str]:
    """Prefixes of the roots of every ontology-bound slot (``UBERON``, ``MONDO``...)."""
    seen: dict[str, None] = {}
    for _, slot in schema.all_slots():
        if slot.binding.kind == "ontology":
            for root in slot.binding.roots:
                seen.setdefault(root.partition(":")[0], None)
    return list(seen)


def load_for_schema(
    schema: SchemaInfo, files: Sequence[str | Path] = ()
) -> dict[str, OntologyIndex]:
    """Prefix -> index. ``files`` given: exactly those (each covers its own prefixes);
    otherwise the bundled release of each ontology the schema binds to."""
    from harmonize.ontology.cache import load_index
    from harmonize.progress import progress

    out: dict[str, OntologyIndex] = {}
    if files:
        for file in files:
            index = load_index(file)
            prefixes = set(index.meta.prefixes) or {t.prefix for t in list(index)[:1000]}
            for prefix in prefixes:
                out.setdefault(prefix, index)
        return out
    for prefix in progress(bound_prefixes(schema), desc="loading ontologies"):
        out[prefix] = _bundled(prefix)
    return out


@functools.lru_cache(maxsize=16)
def _bundled(name: str) -> OntologyIndex:
    """A bundled ontology by manifest name, loaded once per process (the demo and the
    validator both need them; the on-disk cache makes the first load fast already)."""
    from harmonize.ontology.cache import load_index

    return load_index(name)
