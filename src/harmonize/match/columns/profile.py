"""What a partner column looks like before it is matched: its name words and a summary
of its values (distinct values by frequency, how many are numbers, dates, yes/no or
identifier-like codes, and their range)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from harmonize.match.columns.text import NameWords, name_words
from harmonize.text.values import is_missing

__all__ = ["ColumnProfile", "as_number", "column_profile"]


@dataclass(frozen=True, slots=True)
class ColumnProfile:
    """What a column looks like: name words and a summary of its values."""

    name: str
    words: NameWords
    values: tuple[str, ...]  # distinct non-missing values, most frequent first
    counts: tuple[int, ...]
    n_rows: int
    n_filled: int
    numeric: float  # share of filled cells that are numbers
    minimum: float | None = None
    maximum: float | None = None
    dates: float = 0.0  # share of filled cells that look like dates
    booleans: float = 0.0  # share that are yes/no/true/false
    id_like: float = 0.0  # 1 when (almost) every value is distinct and code-like

    @property
    def distinct(self) -> int:
        return len(self.values)


def as_number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "")) if text else None
    except ValueError:
        return None
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return value


_DATE = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{4}/\d{1,2}/\d{1,2})$"
)
_BOOLEAN = frozenset({"yes", "no", "true", "false", "y", "n", "t", "f"})
_CODE = re.compile(r"^[A-Za-z0-9]+([-_.:/][A-Za-z0-9]+)*$")


def column_profile(name: str, cells: list[str]) -> ColumnProfile:
    """Profile one column from its cell texts."""
    counts = Counter(c.strip() for c in cells if not is_missing(c))
    filled = sum(counts.values())
    numbers = [(v, n) for v, n in ((as_number(v), n) for v, n in counts.items()) if v is not None]
    n_numeric = sum(n for _, n in numbers)
    ordered = counts.most_common()
    dates = sum(n for v, n in ordered if _DATE.match(v))
    booleans = sum(n for v, n in ordered if v.casefold() in _BOOLEAN)
    codes = [v for v, _ in ordered if _CODE.match(v) and as_number(v) is None]
    id_like = float(
        filled >= 5 and len(ordered) >= 0.95 * filled and len(codes) >= 0.9 * len(ordered)
    )
    return ColumnProfile(
        name=name,
        words=name_words(name),
        values=tuple(v for v, _ in ordered),
        counts=tuple(n for _, n in ordered),
        n_rows=len(cells),
        n_filled=filled,
        numeric=n_numeric / filled if filled else 0.0,
        minimum=min((v for v, _ in numbers), default=None),
        maximum=max((v for v, _ in numbers), default=None),
        dates=dates / filled if filled else 0.0,
        booleans=booleans / filled if filled else 0.0,
        id_like=id_like,
    )
