"""What a table cell says before any matching: empty or not, and the key it is compared by.

One source of truth for every package that reads partner values (column matching, value
mapping, conversion, review, replay).
"""

from __future__ import annotations

__all__ = ["MISSING", "is_missing", "value_key"]

#: Cells that mean "no value" (compared after :func:`value_key`).
MISSING = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "null",
        "nil",
        "-",
        "--",
        "?",
        "#n/a",
        "missing",
        "not available",
        "not applicable",
        "not recorded",
        "not collected",
    }
)


def value_key(text: str) -> str:
    """How partner values are compared: case-folded, whitespace collapsed.

    >>> value_key("  Liver   BX ")
    'liver bx'
    """
    return " ".join(text.split()).casefold()


def is_missing(text: str) -> bool:
    """True for a cell that holds no value (``""``, ``N/A``, ``not recorded`` ...).

    >>> is_missing(" N/A "), is_missing("liver")
    (True, False)
    """
    return value_key(text) in MISSING
