"""Load a LinkML schema fast: :func:`harmonize.schema.load_schema` behind a disk cache.

SchemaView needs seconds for a large schema (GDC: 736 slots, 16,659 permissible
values). The resulting :class:`~harmonize.schema.SchemaInfo` is stored as JSON
(:mod:`harmonize.schema.serialize`) and each class's column-matching
:class:`~harmonize.match.columns.index.SlotIndex` as an ``.npz`` read without pickle
(:mod:`harmonize.match.columns.index_store`) in the harmonize cache folder, keyed by the
schema's bytes, the harmonize version and the source of the code that builds and stores
them, so any change to either rebuilds them. Nothing is ever unpickled: a damaged or
tampered cache file fails its checks and is rebuilt. Schemas that import other local
files are not cached (their imports could change unseen).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.match.columns.index import SlotIndex
    from harmonize.schema import SchemaInfo

__all__ = ["load_schema_cached", "slot_index_cached"]

#: Indexes already read in this process, per (schema object, class name).
_MEMO: dict[tuple[int, str], tuple[SchemaInfo, SlotIndex]] = {}


def _key(path: Path, data: bytes) -> str:
    import harmonize
    import harmonize.schema.serialize as serialize
    import harmonize.schema.view as view

    digest = hashlib.sha256(data)
    digest.update(harmonize.__version__.encode())
    digest.update(Path(view.__file__).read_bytes())
    digest.update(Path(serialize.__file__).read_bytes())
    digest.update(str(path.resolve()).encode())
    return digest.hexdigest()[:32]


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
    from harmonize.ontology.cache import cache_dir
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
    cached = cache_dir() / "schemas" / f"{_key(path, data)}.json"
    if cached.is_file():
        with contextlib.suppress(Exception):  # damaged: rebuilt below, never trusted
            return schema_from_dict(json.loads(cached.read_bytes()), source=cached)
    info = load_schema(path)
    with contextlib.suppress(OSError):
        from harmonize.io.atomic import atomic_write_text

        cached.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(schema_to_dict(info), ensure_ascii=False, separators=(",", ":"))
        atomic_write_text(cached, text)
    return info


def _index_key(schema: SchemaInfo, class_name: str) -> str | None:
    import importlib

    try:
        data = schema.path.read_bytes()
    except OSError:
        return None
    if _imports_local(data):
        return None
    digest = hashlib.sha256(_key(schema.path, data).encode())
    digest.update(class_name.encode())
    for name in ("index", "index_store", "text", "features"):
        module = importlib.import_module(f"harmonize.match.columns.{name}")
        digest.update(Path(str(module.__file__)).read_bytes())
    normalize = importlib.import_module("harmonize.text.normalize")
    digest.update(Path(str(normalize.__file__)).read_bytes())
    return digest.hexdigest()[:32]


def slot_index_cached(schema: SchemaInfo, class_name: str | None = None) -> SlotIndex:
    """:func:`~harmonize.match.columns.index.slot_index`, also kept on disk per schema file."""
    from harmonize.match.columns.index import remember_slot_index, slot_index
    from harmonize.match.columns.index_store import read_index, write_index
    from harmonize.ontology.cache import cache_dir

    cls = schema.cls(class_name)
    hit = _MEMO.get((id(schema), cls.name))
    if hit is not None and hit[0] is schema:
        return hit[1]
    key = _index_key(schema, cls.name)
    if key is None:
        return slot_index(schema, cls.name)
    cached = cache_dir() / "schemas" / f"index-{key}.npz"
    index = None
    if cached.is_file():
        with contextlib.suppress(Exception):  # damaged: rebuilt below, never trusted
            index = remember_slot_index(schema, cls.name, read_index(cached, cls.slots))
    if index is None:
        index = slot_index(schema, cls.name)
        with contextlib.suppress(OSError):
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_index(cached, index)
    if len(_MEMO) > 16:
        _MEMO.clear()
    _MEMO[(id(schema), cls.name)] = (schema, index)
    return index
