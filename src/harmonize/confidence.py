"""What a confidence means to harmonize: the auto-accept threshold, and how to show it.

One source of truth: matching calibrates so that :data:`AUTO_ACCEPT` buys the precision
``bench/RESULTS.md`` reports; review, conversion, the CLI and the workbench accept at it;
and every screen shows a confidence truncated (never rounded) so a value below the
threshold never looks like one above it.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

__all__ = ["AUTO_ACCEPT", "shown"]

#: Suggestions at or above this calibrated confidence are applied without review.
AUTO_ACCEPT: float = 0.95


def shown(confidence: float | None, digits: int = 3) -> str:
    """``confidence`` truncated to ``digits`` decimals: 0.9487 -> ``'0.948'``, never 0.949.

    >>> shown(0.9487), shown(0.95), shown(1.0), shown(None)
    ('0.948', '0.950', '1.000', '-')
    """
    if confidence is None:
        return "-"
    exact = Decimal(repr(float(confidence)))  # the shortest text that reads back the same
    return str(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN))
