"""Confidence on screen: truncated, so no figure rounds across the auto-accept threshold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from harmonize.display import format_confidence, truncate
from harmonize.match.values.ground import AUTO_ACCEPT


def test_examples() -> None:
    assert format_confidence(0.9487) == "0.948"  # the demo's NASH, T2D, cirrhosis
    assert format_confidence(0.95) == "0.950"
    assert format_confidence(0.959) == "0.959"  # floor(0.959 * 1000) would give 0.958
    assert format_confidence(0.9999) == "0.999"
    assert format_confidence(1.0) == "1.000" and format_confidence(0.0) == "0.000"
    assert format_confidence(None) == "–"
    assert format_confidence(0.9487, 2) == "0.94"


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_a_shown_confidence_never_exceeds_the_true_one(value: float) -> None:
    shown = float(format_confidence(value))
    assert shown <= value
    assert value - shown < 0.001 + 1e-12
    # the threshold has three digits: the figure shown is on its side of it, always
    assert (shown >= AUTO_ACCEPT) == (value >= AUTO_ACCEPT)
    assert truncate(truncate(value)) == truncate(value)
