"""Errors and warnings of harmonize.

Every error a user can cause derives from :class:`HarmonizeError` and carries the
file, the place in it (line or row) and the offending value, so the CLI can print a
single line a data steward can act on.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConversionError",
    "CurieError",
    "HarmonizeError",
    "HarmonizeWarning",
    "InputFileError",
    "MappingFileError",
    "OntologyLoadError",
    "OntologyRepairWarning",
    "PrivacyError",
    "PublishError",
    "ReconcileError",
    "ReviewError",
    "SchemaError",
    "ValidationError",
]


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
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.row = row
        self.column = column
        self.value = value

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
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None:
            shown = repr(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            text += f" (value {shown})"
        return " ".join(text.split())  # always one line


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


class HarmonizeWarning(UserWarning):
    """Recoverable data issue: harmonize went on, but a steward should know."""


class OntologyRepairWarning(HarmonizeWarning):
    """A malformed stanza of an ontology file was repaired or skipped."""
