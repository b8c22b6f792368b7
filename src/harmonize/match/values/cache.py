"""Disk cache of the value matcher's name table (plain JSON, never pickle).

Normalising a few hundred thousand names is most of a matcher's start-up; the table only
depends on the ontology files (their SHA-256), the curated names and this code's version,
so it is stored next to the ontology index caches and reused. Tiny or in-memory indexes
(a schema enum, a test index) are never cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from harmonize.match.values.index import (
    CuratedName,
    NameTable,
    build_name_table,
)

if TYPE_CHECKING:
    from harmonize.ontology.index import OntologyIndex

__all__ = ["TABLE_VERSION", "cached_name_table", "table_from_dict", "table_to_dict"]

#: Bump when the name table's content or layout changes; old caches then rebuild.
TABLE_VERSION = 18  # 18: a word twice is twice in the token key; 17: a code's plural ("ILC2s" -> "ilc2"); 16: a letter after "type" is a key word ("type A ..."); 15: a bracket glued to a one- or two-letter word is part of it ("T(FH)" -> "tfh"); 14: a marker's minus sign is "negative" ("CD16- monocyte"); 13: bracket keys keep every word ("K562(S)"); 12: classical plurals (testes, ganglia, cortices); 11: Latin plurals (naevi, -cocci, -omata); 10: ageing, mould
_MIN_TERMS = 5000  # smaller indexes build in well under a second


def table_to_dict(table: NameTable) -> dict[str, Any]:
    return {
        "version": TABLE_VERSION,
        "term_ids": table.term_ids,
        "term_labels": table.term_labels,
        "text": table.text,
        "norm": table.norm,
        "field": table.field,
        "scope": table.scope,
        "note": table.note,
        "term": table.term,
        "weak": table.weak,
        "bracket_key": table.bracket_key,
    }


def table_from_dict(data: dict[str, Any]) -> NameTable:
    if data.get("version") != TABLE_VERSION:
        raise ValueError("name table cache version mismatch")
    table = NameTable()
    table.term_ids = list(data["term_ids"])
    table.term_labels = list(data["term_labels"])
    for column in ("text", "norm", "term", "weak", "bracket_key"):
        setattr(table, column, list(data[column]))
    # a handful of distinct words, one shared object each (JSON gives every row its own
    # copy: hundreds of thousands of objects in every process that loads the table)
    for column in ("field", "scope", "note"):
        setattr(table, column, [None if v is None else sys.intern(v) for v in data[column]])
    columns = ("text", "norm", "field", "scope", "term", "weak", "bracket_key")
    lengths = {len(getattr(table, c)) for c in columns}
    if len(lengths) != 1 or max(table.term, default=-1) >= len(table.term_ids):
        raise ValueError("name table cache is inconsistent")
    for row, (text, norm) in enumerate(zip(table.text, table.norm, strict=True)):
        table.index_row(row, text, norm)
    table.finish()
    return table


def _key(index: OntologyIndex, curated: Sequence[CuratedName]) -> str | None:
    sources = index.sources or (index.meta,)
    if len(index.terms) < _MIN_TERMS or any(not m.sha256 for m in sources):
        return None
    fingerprint = {  # the code's version is in harmonize.cache's key already
        "sources": [[m.name, m.version, m.sha256] for m in sources],
        "terms": len(index.terms),
        "synonyms": sum(len(t.synonyms) for t in index.terms.values()),
        "curated": [[c.text, c.term_id, c.scope, c.source] for c in curated],
    }
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:32]


def cached_name_table(index: OntologyIndex, curated: Sequence[CuratedName] = ()) -> NameTable:
    """The name table of ``index``, from the disk cache when its inputs are unchanged."""
    key = _key(index, curated)
    if key is None:
        return build_name_table(index, curated)
    from harmonize.cache import entry_path
    from harmonize.io.atomic import atomic_write_text

    path = entry_path("names", key)
    if path.is_file():
        try:
            with path.open(encoding="utf-8") as handle:
                return table_from_dict(json.load(handle))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache is rebuilt, never trusted
    table = build_name_table(index, curated)
    with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
        atomic_write_text(path, json.dumps(table_to_dict(table), separators=(",", ":")))
    return table
