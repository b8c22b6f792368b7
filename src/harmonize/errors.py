"""Errors and warnings of harmonize.

Every error a user can cause derives from :class:`HarmonizeError` and carries the
file, the place in it (line or row) and the offending value, so the CLI can print a
single line a data steward can act on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "MESSAGE_BYTES",
    "ConversionError",
    "CurieError",
    "HarmonizeError",
    "HarmonizeWarning",
    "InputFileError",
    "MappingFileError",
    "OntologyLoadError",
    "OntologyRepairWarning",
    "OutputFileError",
    "PrivacyError",
    "PublishError",
    "ReconcileError",
    "ReviewError",
    "SchemaError",
    "ValidationError",
    "clip",
    "excerpt",
    "naming_file",
    "shorten",
]

#: No error or warning line harmonize prints is longer than this (UTF-8 bytes).
MESSAGE_BYTES = 1000
#: Characters of an offending value shown in a message.
EXCERPT_CHARS = 80


def clip(text: str, limit: int = MESSAGE_BYTES) -> str:
    """``text`` on one line, cut to at most ``limit`` UTF-8 bytes (``...`` marks a cut).

    >>> clip("a  b\\n c")
    'a b c'
    >>> len(clip("x" * 5000).encode())
    1000
    """
    line = " ".join(text.split())
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    return data[: limit - 3].decode("utf-8", errors="ignore") + "..."


def shorten(text: str, chars: int = 300) -> str:
    """``text`` on one line, cut to about ``chars`` characters (for library messages
    that quote another library's error).

    >>> shorten("a very long message", chars=6)
    'a very... (19 characters)'
    """
    line = " ".join(text[: chars * 4].split())
    return line if len(line) <= chars else f"{line[:chars]}... ({len(text)} characters)"


def excerpt(value: object, chars: int = EXCERPT_CHARS) -> str:
    """A readable excerpt of an offending value: ``repr``-quoted, cut to ``chars``, with
    its full length when cut.

    >>> excerpt("abc")
    "'abc'"
    >>> excerpt(42)
    '42'
    >>> excerpt("x" * 1000, chars=10)
    "'xxxxx... (1000 characters)"
    """
    text = value if isinstance(value, str) else repr(value)
    shown = repr(text[: chars * 2]) if isinstance(value, str) else text[: chars * 2]
    if len(shown) <= chars:
        return shown
    return f"{shown[: chars - 4]}... ({len(text)} characters)"


class HarmonizeError(Exception):
    """Base of every error harmonize raises on bad input or a failed step."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        place: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.row = row
        self.column = column
        self.value = value
        self.place = place  # any other place in the file, e.g. a JSON path ``$.a[3].b``

    def location(self) -> str:
        """``file:line`` / ``file, row N, column C`` or ``""`` when nothing is known."""
        parts: list[str] = []
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            parts.append(where)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {excerpt(self.column)}")
        if self.place is not None:
            parts.append(f"at {self.place}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None:
            text += f" (value {excerpt(self.value)})"
        return clip(text)  # always one readable line


class InputFileError(HarmonizeError):
    """A partner table or text input cannot be read (encoding, delimiter, ragged rows...)."""


class OntologyLoadError(HarmonizeError):
    """An ontology file cannot be loaded at all."""


class CurieError(HarmonizeError):
    """A CURIE or IRI cannot be expanded or compressed (unknown prefix, bad syntax)."""


class SchemaError(HarmonizeError):
    """A LinkML schema fails to load, or names a class or slot that does not exist."""


class MappingFileError(HarmonizeError):
    """An SSSOM mapping set is malformed or refers to unknown things."""


class ConversionError(HarmonizeError):
    """A partner table cannot be converted into model instances."""


class ValidationError(HarmonizeError):
    """Validation could not run (not: the data has violations - that is a report)."""


class ReviewError(HarmonizeError):
    """A review decision cannot be recorded (conflict, unknown item...)."""


class PublishError(HarmonizeError):
    """Publishing to a store or serving it failed."""


class ReconcileError(HarmonizeError):
    """A reconciliation request cannot be answered (malformed, too large, unknown type...).

    ``status`` is the HTTP status the reconciliation service answers with (4xx).
    """

    def __init__(self, message: str, *, status: int = 400, value: object = None) -> None:
        super().__init__(message, value=value)
        self.status = status


class PrivacyError(HarmonizeError):
    """Data would leave with identifying columns that no policy covers."""


class OutputFileError(HarmonizeError):
    """An output file cannot be written (its folder is missing or read-only, it is a
    folder...); nothing was written."""


@contextlib.contextmanager
def naming_file(path: str | Path, note: str | None = None) -> Iterator[None]:
    """Errors raised inside the block that name no file are about ``path`` (e.g. a
    mapping set whose prefix came from a schema); ``note`` is added to their message.

    >>> with naming_file("schema.yaml", "declare it under prefixes:"):
    ...     raise MappingFileError("unknown CURIE prefix 'ZZZ'")
    Traceback (most recent call last):
    harmonize.errors.MappingFileError: schema.yaml: unknown CURIE prefix 'ZZZ'; declare it under prefixes:
    """
    try:
        yield
    except HarmonizeError as exc:
        if exc.path is None:
            exc.path = Path(path)
            if note:
                exc.message = f"{exc.message}; {note}"
        raise


class HarmonizeWarning(UserWarning):
    """Recoverable data issue: harmonize went on, but a steward should know."""


class OntologyRepairWarning(HarmonizeWarning):
    """A malformed stanza of an ontology file was repaired or skipped."""
