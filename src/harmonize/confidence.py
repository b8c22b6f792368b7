"""What a confidence means to harmonize: the one auto-accept threshold.

Matching calibrates so that :data:`AUTO_ACCEPT` buys the precision ``bench/RESULTS.md``
reports; review, conversion, reconciliation, the CLI and the workbench accept at it. How a
confidence is shown (truncated, never rounded): :mod:`harmonize.display`.
"""

from __future__ import annotations

__all__ = ["AUTO_ACCEPT"]

#: Suggestions at or above this calibrated confidence are applied without review.
AUTO_ACCEPT: float = 0.95
