"""Open plain, gzip- or zstd-compressed ontology files transparently."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from harmonize.errors import OntologyLoadError

__all__ = ["read_bytes", "strip_compression_suffix"]

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def read_bytes(path: Path) -> bytes:
    """The decompressed content of ``path`` (gzip and zstd detected by magic bytes)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise OntologyLoadError("file not found", path=path) from None
    except IsADirectoryError:
        raise OntologyLoadError("is a folder, expected an ontology file", path=path) from None
    except OSError as exc:
        raise OntologyLoadError(f"cannot read file: {exc.strerror}", path=path) from exc
    try:
        if raw.startswith(_GZIP_MAGIC):
            return gzip.decompress(raw)
        if raw.startswith(_ZSTD_MAGIC):
            import zstandard

            with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)) as reader:
                return reader.read()
    except (OSError, EOFError, ValueError) as exc:
        raise OntologyLoadError(f"corrupt compressed file: {exc}", path=path) from exc
    except Exception as exc:  # zstandard.ZstdError has no common base
        raise OntologyLoadError(f"corrupt compressed file: {exc}", path=path) from exc
    return raw


def strip_compression_suffix(name: str) -> str:
    """``hp.obo.gz`` -> ``hp.obo``."""
    for suffix in (".gz", ".zst", ".zstd"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
