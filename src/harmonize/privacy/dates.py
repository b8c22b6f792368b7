"""Dates as partner tables write them: ISO, day-month-year, and with month names
(pure functions; a date of birth is an identifier, a collection date is not)."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_date"]

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january", "januar", "januari"),
            ("feb", "february", "februar", "februari"),
            ("mar", "march", "marts", "mars", "marz", "märz"),
            ("apr", "april"),
            ("may", "maj", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august", "augusti"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember"),
        ),
        start=1,
    )
    for m in names
}
_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TEXT_DATE = re.compile(
    r"^(\d{1,2})\.?\s+([A-Za-zäé]+)\.?,?\s+(\d{4})$|^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$"
)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: str) -> dt.date | None:
    """A full calendar date (day precision) in a common notation, else ``None``.

    ISO (``1962-10-21``, with optional time), day-first (``21.10.1962``, ``21/10/1962``),
    US month-first when the first number cannot be a day-of-month first, and written
    months (``21 Oct 1962``, ``October 21, 1962``).

    >>> parse_date("1962-10-21"), parse_date("10/21/1962"), parse_date("21. Oktober 1962")
    (datetime.date(1962, 10, 21), datetime.date(1962, 10, 21), datetime.date(1962, 10, 21))
    >>> parse_date("2.5"), parse_date("1962")
    (None, None)
    """
    text = value.strip()
    if len(text) < 8 or len(text) > 35:
        return None
    match = _ISO.match(text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = _DMY.match(text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        return _date(year, second, first) or _date(year, first, second)
    match = _TEXT_DATE.match(text)
    if match:
        if match[1]:
            day, month_name, year = int(match[1]), match[2], int(match[3])
        else:
            month_name, day, year = match[4], int(match[5]), int(match[6])
        month = _MONTHS.get(month_name.casefold())
        return _date(year, month, day) if month else None
    return None
