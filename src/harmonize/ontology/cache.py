"""Build an ontology index once, cache it on disk, reload it fast.

The cache is plain JSON (never pickle), keyed by the SHA-256 of the source file's
bytes, so a changed file rebuilds automatically. Location: ``$HARMONIZE_CACHE_DIR``
or the platform's user cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from harmonize.io.atomic import atomic_write_text
from harmonize.ontology.index import FORMAT_VERSION, OntologyIndex

__all__ = ["cache_dir", "file_sha256", "load_index"]


def cache_dir() -> Path:
    """Where index caches live (``$HARMONIZE_CACHE_DIR`` wins)."""
    env = os.environ.get("HARMONIZE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("harmonize"))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_index(path: str | Path, *, use_cache: bool = True) -> OntologyIndex:
    """The index of the ontology file at ``path``, from cache when the file is unchanged."""
    from harmonize.ontology.readers import read_ontology

    path = Path(path)
    if not use_cache:
        return read_ontology(path)
    if not path.is_file():
        return read_ontology(path)  # raises the right one-line error
    key = hashlib.sha256(f"{file_sha256(path)}:{FORMAT_VERSION}".encode()).hexdigest()[:32]
    cached = cache_dir() / f"{key}.index.json"
    if cached.is_file():
        try:
            with cached.open(encoding="utf-8") as handle:
                return OntologyIndex.from_dict(json.load(handle))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache is rebuilt, never trusted
    index = read_ontology(path)
    with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
        atomic_write_text(cached, json.dumps(index.to_dict(), separators=(",", ":")))
    return index
