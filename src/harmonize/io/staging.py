"""All outputs of a command committed together, or none.

Inside ``with staged_outputs():`` every :func:`~harmonize.io.atomic.atomic_write` writes
its temporary file as usual but defers the rename: when the block ends without an error
all targets are renamed into place in one go; when it fails, the temporary files are
removed and every existing output is left exactly as it was. A rename failing half way
(rare: the files were all written already) rolls the earlier ones back.

>>> import pathlib, tempfile
>>> from harmonize.io.atomic import atomic_write_text
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> try:
...     with staged_outputs():
...         _ = atomic_write_text(folder / "a.tsv", "a")
...         raise ValueError("the second output fails")
... except ValueError:
...     pass
>>> sorted(p.name for p in folder.iterdir())
[]
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from harmonize.errors import OutputFileError

__all__ = ["Stage", "active_stage", "staged_outputs"]


class Stage:
    """Temporary files waiting to be renamed over their targets (insertion order)."""

    def __init__(self) -> None:
        self.pending: dict[Path, Path] = {}

    def add(self, target: Path, tmp: Path) -> None:
        """Stage ``tmp`` to become ``target`` (a later write to the same target wins)."""
        key = target.absolute()
        older = self.pending.pop(key, None)
        if older is not None:
            with contextlib.suppress(OSError):
                older.unlink()
        self.pending[key] = tmp

    def discard(self) -> None:
        """Remove every staged temporary file."""
        for tmp in self.pending.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        self.pending.clear()

    def commit(self) -> list[Path]:
        """Rename every staged file over its target; on a failure restore the targets
        already replaced and raise :class:`OutputFileError`."""
        done: list[tuple[Path, Path | None]] = []
        current: Path | None = None
        try:
            for current, tmp in self.pending.items():
                backup = _backup(current)
                try:
                    tmp.replace(current)
                except OSError:
                    if backup is not None:
                        backup.unlink()
                    raise
                done.append((current, backup))
        except OSError as exc:
            for target, backup in reversed(done):
                with contextlib.suppress(OSError):
                    if backup is not None:
                        backup.replace(target)
                    else:
                        target.unlink()
            self.discard()
            raise OutputFileError(
                f"cannot write: {exc.strerror or exc}; no output was changed", path=current
            ) from None
        for _, backup in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
        written = list(self.pending)
        self.pending.clear()
        return written


def _backup(target: Path) -> Path | None:
    """A hard link to the current ``target`` (None when there is none, or no links)."""
    if not target.is_file():
        return None
    backup = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.bak")
    try:
        os.link(target, backup)
    except OSError:
        return None
    return backup


_ACTIVE: ContextVar[Stage | None] = ContextVar("harmonize_output_stage", default=None)


def active_stage() -> Stage | None:
    """The stage of the innermost :func:`staged_outputs` block, if any."""
    return _ACTIVE.get()


@contextlib.contextmanager
def staged_outputs() -> Iterator[Stage]:
    """Defer the outputs written inside the block; commit them all at its end.

    Nested blocks join the outermost one (one commit for the whole command).
    """
    outer = _ACTIVE.get()
    if outer is not None:
        yield outer
        return
    stage = Stage()
    token = _ACTIVE.set(stage)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    finally:
        _ACTIVE.reset(token)
    stage.commit()
