"""Content checksums of files, for cache keys, pins and provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

from harmonize.errors import HarmonizeError, InputFileError
from harmonize.io.files import open_input

__all__ = ["file_sha256"]


def file_sha256(path: str | Path, *, error: type[HarmonizeError] = InputFileError) -> str:
    """Hex SHA-256 of the file's bytes, read in 1 MiB blocks (bounded memory); an
    unreadable file raises ``error`` naming it."""
    digest = hashlib.sha256()
    with open_input(Path(path), error=error) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
