"""Build an ontology index once, cache it on disk, reload it fast.

The cache is plain JSON (never pickle), an entry of :mod:`harmonize.cache` keyed by the
SHA-256 of the source file's bytes, so a changed file rebuilds automatically. Loading switches the cyclic garbage collector
off while it creates its many small objects (they hold no cycles), which roughly
halves the warm load time.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from pathlib import Path

from harmonize.cache import entry_path
from harmonize.gc_pause import paused_gc
from harmonize.io.atomic import atomic_write_text
from harmonize.io.checksum import file_sha256
from harmonize.ontology.index import OntologyIndex

__all__ = ["cache_path", "file_sha256", "load_index"]


def cache_path(sha256: str) -> Path:
    """The cache file of a source file whose bytes hash to ``sha256``."""
    return entry_path("index", sha256)


def _read_cache(cached: Path) -> OntologyIndex | None:
    try:
        with paused_gc():
            return OntologyIndex.from_dict(json.loads(cached.read_bytes()))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # a damaged cache is rebuilt, never trusted


def load_index(
    spec: str | Path, *, use_cache: bool = True, manifest: str | Path | None = None
) -> OntologyIndex:
    """The index of an ontology file, or of a manifest ontology by name (``"UBERON"``).

    From cache when the file's bytes are unchanged; otherwise built (progress bar on
    a terminal) and cached. A manifest name resolves through
    :func:`harmonize.ontology.manifest.resolve_source` (offline package file first).
    """
    from harmonize.ontology.readers import read_ontology

    path = Path(spec)
    entry = None
    if not path.is_file():
        from harmonize.ontology.manifest import locate

        path, entry = locate(spec, manifest=manifest)
    if not use_cache or not path.is_file():
        return read_ontology(path)  # a folder etc. raises the right one-line error
    sha256 = file_sha256(path)
    if entry is not None:
        from harmonize.ontology.manifest import check_pin

        check_pin(path, entry, sha256)
    cached = cache_path(sha256)
    if cached.is_file():
        index = _read_cache(cached)
        if index is not None:
            if index.meta.source != str(path):  # same bytes, found at another place
                index.meta = replace(index.meta, source=str(path))
            return index
    with paused_gc():
        index = read_ontology(path)
    with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
        atomic_write_text(cached, json.dumps(index.to_dict(), separators=(",", ":")))
    return index
