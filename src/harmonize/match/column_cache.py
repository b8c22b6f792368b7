"""Load a LinkML schema fast: :func:`harmonize.schema.load_schema` behind a disk cache.

SchemaView needs seconds for a large schema (GDC: 736 slots, 16,659 permissible
values). The resulting :class:`~harmonize.schema.SchemaInfo` is pickled into the
harmonize cache folder keyed by the schema's bytes, the harmonize version and the
schema reader's source, so any change to either rebuilds it. Schemas that import other
local files are not cached (their imports could change unseen).
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.match.column_index import SlotIndex
    from harmonize.schema import SchemaInfo

__all__ = ["load_schema_cached", "slot_index_cached"]


def _key(path: Path, data: bytes) -> str:
    import harmonize
    import harmonize.schema.view as view

    digest = hashlib.sha256(data)
    digest.update(harmonize.__version__.encode())
    digest.update(Path(view.__file__).read_bytes())
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
    """Like ``load_schema`` but reuses a pickled result for unchanged schema files."""
    from harmonize.ontology.cache import cache_dir
    from harmonize.schema import load_schema

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return load_schema(path)  # reports the one-line error
    if _imports_local(data):
        return load_schema(path)
    cached = cache_dir() / "schemas" / f"{_key(path, data)}.pickle"
    if cached.is_file():
        with contextlib.suppress(Exception):
            info = pickle.loads(cached.read_bytes())
            if type(info).__name__ == "SchemaInfo":
                return info  # type: ignore[no-any-return]
    info = load_schema(path)
    with contextlib.suppress(OSError):
        from harmonize.io.atomic import atomic_write_bytes

        cached.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(cached, pickle.dumps(info, protocol=pickle.HIGHEST_PROTOCOL))
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
    for name in ("column_index", "column_text", "column_features"):
        module = importlib.import_module(f"harmonize.match.{name}")
        digest.update(Path(str(module.__file__)).read_bytes())
    normalize = importlib.import_module("harmonize.text.normalize")
    digest.update(Path(str(normalize.__file__)).read_bytes())
    return digest.hexdigest()[:32]


def slot_index_cached(schema: SchemaInfo, class_name: str | None = None) -> SlotIndex:
    """:func:`~harmonize.match.column_index.slot_index`, also kept on disk per schema file."""
    from harmonize.match.column_index import remember_slot_index, slot_index
    from harmonize.ontology.cache import cache_dir

    cls = schema.cls(class_name)
    key = _index_key(schema, cls.name)
    if key is None:
        return slot_index(schema, cls.name)
    cached = cache_dir() / "schemas" / f"index-{key}.pickle"
    if cached.is_file():
        with contextlib.suppress(Exception):
            index = pickle.loads(cached.read_bytes())
            if type(index).__name__ == "SlotIndex":
                return remember_slot_index(schema, cls.name, index)
    index = slot_index(schema, cls.name)
    with contextlib.suppress(OSError):
        from harmonize.io.atomic import atomic_write_bytes

        cached.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(cached, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    return index
