"""What a browser may send the workbench, checked before anything is written.

Pure parsing: every malformed field is a :class:`FormError` (a ``ReviewError``: the app
answers 400 with its message), never a crash, never a silent default. The version an
item was seen at is mandatory on every write that decides something: without it there
is no conflict check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as AbstractMapping
from typing import Any

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import ACTIONS, Action

__all__ = [
    "DECIDING",
    "FILTERS",
    "FormError",
    "filter_kwargs",
    "filters_of",
    "parse_action",
    "parse_pick",
    "parse_version",
    "text_field",
    "version_field",
]

#: Actions a steward takes on an item page (``undo`` has its own request).
DECIDING: tuple[Action, ...] = tuple(a for a in ACTIONS if a != "undo")
FILTERS = ("column", "ontology", "status", "band", "q")
_VERSION = re.compile(r"[0-9]{1,9}")
_MAX_TEXT = 2000


class FormError(ReviewError):
    """A request the workbench refuses as malformed (HTTP 400)."""


def text_field(form: AbstractMapping[str, Any], name: str, *, limit: int = _MAX_TEXT) -> str:
    """A text field, stripped; "" when absent. Refused when not text or too long."""
    value = form.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FormError(f"{name} must be text, not a file upload")
    if len(value) > limit or "\x00" in value:
        raise FormError(f"{name} is longer than {limit} characters or holds a NUL byte")
    return value.strip()


def version_field(form: AbstractMapping[str, Any]) -> int:
    """The ``version`` field exactly as sent (never stripped: ``" 1"`` is refused)."""
    raw = form.get("version")
    if raw is not None and not isinstance(raw, str):
        raise FormError("version must be text, not a file upload")
    return parse_version(raw)


def parse_version(text: str | None, *, what: str = "version") -> int:
    """The item version a page showed: digits only (``"1"``; not ``" 1"``, ``-1``, ``abc``).

    >>> parse_version("3")
    3
    """
    if text is None or text == "":
        raise FormError(f"the {what} of the item is missing: reload the page and decide again")
    if not _VERSION.fullmatch(text):
        raise FormError(f"the {what} of the item must be a whole number", value=text)
    return int(text)


def parse_action(text: str) -> Action:
    """One of :data:`DECIDING`."""
    if text not in DECIDING:
        raise FormError("unknown action", value=text)
    return text


def parse_pick(text: str) -> tuple[str, str, int]:
    """A bulk-accept pick ``SUBJECT<TAB>TERM<TAB>VERSION``."""
    parts = text.split("\t")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise FormError("a bulk pick must be subject, term and version", value=text)
    return parts[0], parts[1], parse_version(parts[2], what=f"version of {parts[0]}")


def filters_of(source: AbstractMapping[str, Any]) -> dict[str, str]:
    """The queue filters of a query string or form (status defaults to "open")."""
    out = {k: str(source.get(k) or "").strip()[:200] for k in FILTERS}
    if "status" not in source:
        out["status"] = "open"
    return out


def filter_kwargs(filters: dict[str, str], me: str | None = None) -> dict[str, str | None]:
    """:func:`harmonize.review.queue.filter_items` keywords of ``filters``."""
    return {
        "column": filters["column"] or None,
        "ontology": filters["ontology"] or None,
        "status": filters["status"] or None,
        "band": filters["band"] or None,
        "text": filters["q"] or None,
        "me": me,
    }
