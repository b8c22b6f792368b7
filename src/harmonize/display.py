"""How numbers are shown to a person: one function per kind of number, used everywhere.

A confidence is *truncated*, never rounded: ``0.9487`` shows as ``0.948``, so no figure on
screen (workbench, command line, notebook, run report) can round across the auto-accept
threshold and look accepted when it is not.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation

__all__ = ["CONFIDENCE_DIGITS", "format_confidence", "truncate"]

#: Decimal places a confidence is shown with.
CONFIDENCE_DIGITS = 3


def truncate(value: float, digits: int = CONFIDENCE_DIGITS) -> float:
    """``value`` cut (towards zero) to ``digits`` decimal places.

    Works on the shortest decimal text of the float, so binary noise cannot push a value
    below its own digits (``0.959`` stays ``0.959``; ``math.floor(0.959 * 1000)`` is 958).

    >>> truncate(0.9487), truncate(0.959), truncate(0.95)
    (0.948, 0.959, 0.95)
    """
    try:
        exact = Decimal(repr(float(value)))
        return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN))
    except InvalidOperation:  # nan, inf
        return float(value)


def format_confidence(value: float | None, digits: int = CONFIDENCE_DIGITS) -> str:
    """A confidence as text, truncated to ``digits`` places; ``"–"`` when unknown.

    >>> format_confidence(0.9487), format_confidence(1.0), format_confidence(None)
    ('0.948', '1.000', '–')
    """
    if value is None:
        return "–"
    return f"{truncate(value, digits):.{digits}f}"
