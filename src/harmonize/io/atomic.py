"""Atomic file writes: write a temporary file beside the target, then rename.

A crash or a full disk never leaves a half-written or truncated user file behind. Inside
:func:`~harmonize.io.staging.staged_outputs` the rename waits for the end of the block,
so all outputs of a command appear together, or none. A target that cannot be written
(a folder, a parent that is a file, a read-only folder) raises :class:`OutputFileError`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from harmonize.errors import OutputFileError
from harmonize.io.staging import active_stage

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "check_output_path"]


def _output_error(exc: OSError, path: Path) -> OutputFileError:
    if isinstance(exc, PermissionError):
        return OutputFileError("cannot write here: permission denied", path=path)
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return OutputFileError("is a folder; give a file name", path=path)
    if isinstance(exc, NotADirectoryError | FileExistsError):
        return OutputFileError("cannot write: a parent of this path is a file", path=path)
    return OutputFileError(f"cannot write: {exc.strerror or exc}", path=path)


def check_output_path(path: str | Path) -> Path:
    """Fail early (before any work) when ``path`` can clearly not be written.

    >>> check_output_path("/")
    Traceback (most recent call last):
    harmonize.errors.OutputFileError: /: is a folder; give a file name
    """
    target = Path(path)
    if target.is_dir():
        raise OutputFileError("is a folder; give a file name", path=target)
    folder = target.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputFileError(f"cannot write: {folder} is a file, not a folder", path=target)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputFileError(f"cannot write: folder {folder} is read-only", path=target)
    return target


def _make_temp(target: Path) -> tuple[int, Path]:
    if target.is_dir():
        raise OutputFileError("is a folder; give a file name", path=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _output_error(exc, target) from None
    return fd, Path(tmp_name)


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:  # type: ignore[type-arg]
    """Open a temporary file next to ``path``; on success fsync and rename it over ``path``.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("hello")
    >>> target.read_text()
    'hello'
    """
    target = Path(path)
    fd, tmp = _make_temp(target)
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:  # type: ignore[call-overload]
            yield handle
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:  # e.g. the disk is full
                raise _output_error(exc, target) from None
        if target.exists():
            with contextlib.suppress(OSError):
                tmp.chmod(target.stat().st_mode & 0o7777)
        else:
            tmp.chmod(0o644)
        stage = active_stage()
        if stage is not None:
            stage.add(target, tmp)
            return
        try:
            tmp.replace(target)
        except OSError as exc:
            raise _output_error(exc, target) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically and return the path."""
    with atomic_write(path, "w", encoding=encoding) as handle:
        handle.write(text)
    return Path(path)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_write(path, "wb", encoding=None) as handle:
        handle.write(data)
    return Path(path)
