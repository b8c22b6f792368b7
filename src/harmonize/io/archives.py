"""Unpack gzip and zstd files with limits on size and ratio (no decompression bombs).

Decompression streams in blocks and stops as soon as the unpacked size passes
``ReadLimits.max_unpacked_bytes``, or passes ``max_ratio`` times the packed size once
past ``ratio_floor``: a 2.5 MB file that claims 2.5 GB fails in a fraction of a second.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeError, InputFileError
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["GZIP_MAGIC", "ZSTD_MAGIC", "check_unpacked", "is_compressed", "unpack"]

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_BLOCK = 1 << 20


def is_compressed(data: bytes) -> bool:
    """Whether ``data`` starts like a gzip or zstd stream."""
    return data.startswith((GZIP_MAGIC, ZSTD_MAGIC))


def check_unpacked(
    unpacked: int,
    packed: int,
    *,
    path: Path | None,
    limits: ReadLimits,
    error: type[HarmonizeError],
    what: str = "compressed file",
) -> None:
    """Raise ``error`` when ``unpacked`` bytes from ``packed`` pass a limit."""
    if unpacked > limits.max_unpacked_bytes:
        raise error(
            f"{what} unpacks to over {limits.max_unpacked_bytes:,} bytes (ReadLimits."
            "max_unpacked_bytes): refused as a possible decompression bomb",
            path=path,
        )
    if unpacked > limits.ratio_floor and unpacked > limits.max_ratio * max(packed, 1):
        raise error(
            f"{what} of {packed:,} bytes unpacks to over {unpacked:,} (more than "
            f"{limits.max_ratio}x, ReadLimits.max_ratio): refused as a possible "
            "decompression bomb",
            path=path,
        )


def _reader(raw: bytes) -> Any:
    if raw.startswith(GZIP_MAGIC):
        import gzip

        return gzip.GzipFile(fileobj=io.BytesIO(raw))
    import zstandard

    return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw), read_across_frames=True)


def unpack(
    raw: bytes,
    *,
    path: Path | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    error: type[HarmonizeError] = InputFileError,
) -> bytes:
    """The unpacked content of gzip/zstd ``raw`` (``raw`` itself when not compressed).

    >>> import gzip
    >>> unpack(gzip.compress(b"hello"))
    b'hello'
    >>> unpack(b"plain")
    b'plain'
    """
    if not is_compressed(raw):
        return raw
    out = io.BytesIO()
    try:
        with _reader(raw) as reader:
            while True:
                block = reader.read(_BLOCK)
                if not block:
                    break
                out.write(block)
                check_unpacked(out.tell(), len(raw), path=path, limits=limits, error=error)
    except HarmonizeError:
        raise
    except MemoryError:
        raise error("compressed file too large to unpack in memory", path=path) from None
    except Exception as exc:  # gzip: OSError/EOFError; zstandard.ZstdError has no common base
        raise error(f"corrupt compressed file: {exc}", path=path) from None
    return out.getvalue()
