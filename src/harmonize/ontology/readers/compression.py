"""Open plain, gzip- or zstd-compressed ontology files transparently (within limits)."""

from __future__ import annotations

from pathlib import Path

from harmonize.errors import OntologyLoadError
from harmonize.io.archives import unpack
from harmonize.io.files import read_input_bytes
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["read_bytes", "strip_compression_suffix"]


def read_bytes(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The decompressed content of ``path`` (gzip and zstd detected by magic bytes);
    unreadable files and decompression bombs raise :class:`OntologyLoadError`."""
    raw = read_input_bytes(
        path, max_bytes=limits.max_unpacked_bytes, error=OntologyLoadError, what="ontology file"
    )
    return unpack(raw, path=path, limits=limits, error=OntologyLoadError)


def strip_compression_suffix(name: str) -> str:
    """``hp.obo.gz`` -> ``hp.obo``."""
    for suffix in (".gz", ".zst", ".zstd"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
