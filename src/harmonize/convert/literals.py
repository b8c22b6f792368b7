"""Parse partner cells into typed literal values (pure functions).

Each parser returns the canonical lexical form for its XSD datatype or raises
:class:`ValueError` with a short reason a data steward understands.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

__all__ = ["parse_literal", "split_number_unit"]

_NUMBER_UNIT = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*([A-Za-z][A-Za-z. ]*)?\s*$")


def split_number_unit(text: str) -> tuple[str, str | None] | None:
    """``"45 yrs"`` -> ``("45", "yrs")``; ``"45"`` -> ``("45", None)``; else None."""
    match = _NUMBER_UNIT.match(text)
    if match is None:
        return None
    unit = match.group(2)
    return match.group(1), unit.strip().rstrip(".") if unit else None


def _integer(text: str) -> str:
    try:
        return str(int(text))
    except ValueError:
        pass
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("is not a whole number") from None
    if number != number.to_integral_value():
        raise ValueError("is not a whole number")
    return str(int(number))


def _decimal(text: str) -> str:
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("is not a number") from None
    if not number.is_finite():
        raise ValueError("is not a finite number")
    return format(number.normalize(), "f")


def _double(text: str) -> str:
    try:
        number = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
    except ValueError:
        raise ValueError("is not a number") from None
    return repr(number)


def _boolean(text: str) -> str:
    low = text.casefold()
    if low in {"true", "yes", "y", "1", "t"}:
        return "true"
    if low in {"false", "no", "n", "0", "f"}:
        return "false"
    raise ValueError("is not yes/no (true/false)")


_DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")


def _date(text: str) -> str:
    head = text.split("T")[0].split(" ")[0]
    for form in _DATE_FORMS:
        try:
            return dt.datetime.strptime(head, form).date().isoformat()
        except ValueError:
            continue
    raise ValueError("is not a date in year-month-day order (YYYY-MM-DD)")


def _datetime(text: str) -> str:
    try:
        return dt.datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError("is not an ISO 8601 date-time") from None


def _uri(text: str) -> str:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", text):
        return text
    raise ValueError("is not a URI")


_PARSERS: dict[str, Callable[[str], str]] = {
    "xsd:integer": _integer,
    "xsd:decimal": _decimal,
    "xsd:float": _double,
    "xsd:double": _double,
    "xsd:boolean": _boolean,
    "xsd:date": _date,
    "xsd:dateTime": _datetime,
    "xsd:anyURI": _uri,
}


def parse_literal(text: str, datatype: str | None) -> str:
    """Canonical lexical form of ``text`` as ``datatype`` (an ``xsd:`` CURIE)."""
    parser = _PARSERS.get(datatype or "xsd:string")
    return parser(text.strip()) if parser is not None else text.strip()
