"""The one disk cache of harmonize: where it lives, how entries are named and read.

Every cached thing (ontology indexes, their normalised name tables, parsed schemas and
their column-matching indexes, downloaded ontology files) lives under :func:`cache_dir`
(``$HARMONIZE_CACHE_DIR`` or the platform's user cache folder), in a file named by
:func:`entry_path`: the sha256 of the entry's inputs (the source file's bytes and what
else it depends on) and of :func:`cache_version`. Entries are JSON or ``.npz`` read
without pickle; a damaged entry reads as ``None`` and is rebuilt, never trusted; writes
are atomic, and a read-only cache folder only costs speed.

The version is derived, not maintained by hand: :func:`cache_version` hashes harmonize's
version and the source of every package whose code decides what is cached (readers,
index, normalisation, schema loading, the name tables of the matchers), so a change to
any of them rebuilds the caches by itself.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from harmonize.io.atomic import atomic_write_text

__all__ = ["cache_dir", "cache_version", "entry_path", "read_json", "write_json"]

#: Packages whose code decides what is cached (relative to ``src/harmonize``).
_CACHED_CODE = ("ontology", "text", "schema", "match/values", "match/columns")


@functools.cache
def cache_version() -> str:
    """The one version every cache entry is keyed on (see the module docs)."""
    from harmonize import __version__

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for package in _CACHED_CODE:
        for source in sorted((root / package).rglob("*.py")):
            digest.update(source.relative_to(root).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    """Where caches live (``$HARMONIZE_CACHE_DIR`` wins)."""
    env = os.environ.get("HARMONIZE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("harmonize"))


def entry_path(kind: str, *inputs: str | bytes, suffix: str = ".json") -> Path:
    """The cache file of a ``kind`` of entry derived from ``inputs`` (e.g. a file's sha256).

    >>> entry_path("index", "ab12").name.endswith(".index.json")
    True
    """
    digest = hashlib.sha256(f"{cache_version()}\x00{kind}".encode())
    for part in inputs:
        digest.update(b"\x00")
        digest.update(part.encode() if isinstance(part, str) else part)
    return cache_dir() / f"{digest.hexdigest()[:32]}.{kind}{suffix}"


def read_json(path: Path) -> Any | None:
    """The JSON entry at ``path``, or ``None`` when it is missing or damaged."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Store ``data`` at ``path`` atomically; a cache folder we cannot write is skipped."""
    with contextlib.suppress(OSError):
        atomic_write_text(path, json.dumps(data, separators=(",", ":")))
