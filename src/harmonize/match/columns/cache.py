"""Load a LinkML schema fast: :func:`harmonize.schema.load_schema` behind a disk cache.

SchemaView needs seconds for a large schema (GDC: 736 slots, 16,659 permissible
values). The resulting :class:`~harmonize.schema.SchemaInfo` is stored as JSON
(:mod:`harmonize.schema.serialize`) and each class's column-matching
:class:`~harmonize.match.columns.index.SlotIndex` as an ``.npz`` read without pickle
(:mod:`harmonize.match.columns.index_store`) in the harmonize cache folder, keyed by the
schema's bytes and path (entries of :mod:`harmonize.cache`, whose version changes with the
code that builds them), so any change to either rebuilds them. Nothing is ever unpickled: a damaged or
tampered cache file fails its checks and is rebuilt. Schemas that import other local
files are not cached (their imports could change unseen).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.cache import entry_path, read_json, write_json

if TYPE_CHECKING:
    from harmonize.match.columns.index import SlotIndex
    from harmonize.schema import SchemaInfo

__all__ = ["load_schema_cached", "slot_index_cached"]

#: Indexes already read in this process, per (schema object, class name).
_MEMO: dict[tuple[int, str], tuple[SchemaInfo, SlotIndex]] = {}


def _imports_local(data: bytes) -> bool:
    """Whether the schema imports anything but ``linkml:`` modules (a cheap line scan)."""
    text = data.decode("utf-8", errors="replace")
    match = re.search(r"^imports:[ \t]*(\[.*?\]|\n(?:[ \t]*-[^\n]*\n?)+)", text, re.M | re.S)
    if match is None:
        return False
    items = re.findall(r"[\w:./-]+", match.group(1))
    return any(not i.startswith("linkml:") for i in items if i != "-")


def load_schema_cached(path: str | Path) -> SchemaInfo:
    """Like ``load_schema`` but reuses a stored (JSON) result for unchanged schema files."""
    from harmonize.io.limits import DEFAULT_LIMITS
    from harmonize.schema import load_schema
    from harmonize.schema.serialize import schema_from_dict, schema_to_dict

    path = Path(path)
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_yaml_bytes:
            return load_schema(path)  # refused there, in one line
        data = path.read_bytes()
    except OSError:
        return load_schema(path)  # reports the one-line error
    if _imports_local(data):
        return load_schema(path)
    cached = entry_path("schema", data, str(path.resolve()))
    stored = read_json(cached)
    if stored is not None:
        with contextlib.suppress(Exception):  # damaged: rebuilt below, never trusted
            return schema_from_dict(stored, source=cached)
    info = load_schema(path)
    write_json(cached, schema_to_dict(info))
    return info


def _index_path(schema: SchemaInfo, class_name: str) -> Path | None:
    try:
        data = schema.path.read_bytes()
    except OSError:
        return None
    if _imports_local(data):
        return None
    return entry_path("slot-index", data, str(schema.path.resolve()), class_name, suffix=".npz")


def slot_index_cached(schema: SchemaInfo, class_name: str | None = None) -> SlotIndex:
    """:func:`~harmonize.match.columns.index.slot_index`, also kept on disk per schema file."""
    from harmonize.match.columns.index import remember_slot_index, slot_index
    from harmonize.match.columns.index_store import read_index, write_index

    cls = schema.cls(class_name)
    hit = _MEMO.get((id(schema), cls.name))
    if hit is not None and hit[0] is schema:
        return hit[1]
    cached = _index_path(schema, cls.name)
    if cached is None:
        return slot_index(schema, cls.name)
    index = None
    if cached.is_file():
        with contextlib.suppress(Exception):  # damaged: rebuilt below, never trusted
            index = remember_slot_index(schema, cls.name, read_index(cached, cls.slots))
    if index is None:
        index = slot_index(schema, cls.name)
        with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_index(cached, index)
    if len(_MEMO) > 16:
        _MEMO.clear()
    _MEMO[(id(schema), cls.name)] = (schema, index)
    return index
