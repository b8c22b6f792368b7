"""Open input files: every operating-system failure becomes one line naming the file.

A missing file, a folder where a file was expected, a file without read permission or a
device error all raise the caller's error type (default :class:`InputFileError`), never
a bare ``OSError``; text that is not UTF-8 names the line of the first bad byte.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from harmonize.errors import HarmonizeError, InputFileError

__all__ = ["decode_text", "input_error", "open_input", "read_input_bytes", "read_input_text"]

ErrorType = type[HarmonizeError]


def input_error(
    exc: OSError, path: Path, error: ErrorType = InputFileError, what: str = "file"
) -> HarmonizeError:
    """The one-line error for an ``OSError`` raised while reading ``path``."""
    if isinstance(exc, FileNotFoundError):
        return error(f"{what} not found", path=path)
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return error(f"is a folder, expected a {what}", path=path)
    if isinstance(exc, PermissionError):
        return error(f"cannot read {what}: permission denied", path=path)
    reason = exc.strerror or os.strerror(exc.errno or errno.EIO)
    return error(f"cannot read {what}: {reason}", path=path)


@contextlib.contextmanager
def open_input(
    path: str | Path, *, error: ErrorType = InputFileError, what: str = "file"
) -> Iterator[BinaryIO]:
    """Open ``path`` for reading bytes; failures to open raise ``error`` naming the file."""
    path = Path(path)
    if path.is_dir():
        raise error(f"is a folder, expected a {what}", path=path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise input_error(exc, path, error, what) from None
    with handle:
        try:
            yield handle
        except OSError as exc:  # a read failing half way (device error, EISDIR...)
            raise input_error(exc, path, error, what) from None


def read_input_bytes(
    path: str | Path, *, max_bytes: int, error: ErrorType = InputFileError, what: str = "file"
) -> bytes:
    """All bytes of ``path``; a file over ``max_bytes`` is refused before it is read."""
    path = Path(path)
    with open_input(path, error=error, what=what) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise error(
                f"{what} is {size:,} bytes, over the limit of {max_bytes:,} (ReadLimits)",
                path=path,
            )
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # a pipe or a file growing while read
        raise error(f"{what} is over the limit of {max_bytes:,} bytes (ReadLimits)", path=path)
    return data


def decode_text(
    data: bytes, path: Path | None, *, error: ErrorType = InputFileError, encoding: str = "utf-8"
) -> str:
    """``data`` as text (a UTF-8 BOM is dropped); bad bytes name their line."""
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"not {encoding.upper()} text ({exc.reason})", path=path, line=line) from None


def read_input_text(
    path: str | Path, *, max_bytes: int, error: ErrorType = InputFileError, what: str = "file"
) -> str:
    """The UTF-8 text of ``path`` (see :func:`read_input_bytes` and :func:`decode_text`)."""
    path = Path(path)
    return decode_text(
        read_input_bytes(path, max_bytes=max_bytes, error=error, what=what), path, error=error
    )
