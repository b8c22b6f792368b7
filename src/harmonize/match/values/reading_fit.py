"""Fit how sure a reading of a value makes the answer: the ``r_*`` columns of the model.

The shipped model's other coefficients and its isotonic map were fitted on label pairs
(UKBB-EFO, OLS-EFO) that never meet a reading: a value answered through a qualifier set
aside, a shorthand expanded or words dropped is only met in submitted values. Those
columns are fitted here on candidates of submitted values, with every other coefficient
held fixed (its part of the logit is an offset): a candidate no reading touched keeps
its confidence exactly, and a read one moves towards how often that reading was right.
The readings' caps (:data:`~harmonize.match.values.interpret.READING_MAX_CONFIDENCE`)
still apply after it: a reading is never auto-accepted. Pure numpy (:func:`~harmonize.match.values.logistic.fit_logistic`).
"""

from __future__ import annotations

from collections.abc import Sequence

from harmonize.match.values.calibration import (
    FEATURE_NAMES,
    Calibrator,
    CandidateFeatures,
    feature_vector,
)
from harmonize.match.values.logistic import fit_logistic

__all__ = ["READING_COLUMNS", "fit_reading_columns"]

#: the model's columns this fit sets (one per reading kind)
READING_COLUMNS: tuple[int, ...] = tuple(
    i for i, name in enumerate(FEATURE_NAMES) if name.startswith("r_")
)


def fit_reading_columns(
    base: Calibrator,
    features: Sequence[CandidateFeatures],
    correct: Sequence[bool],
    *,
    fitted_on: str,
    l2: float = 1.0,
) -> Calibrator:
    """``base`` with its reading columns fitted on labelled candidates (``correct[i]`` for
    ``features[i]``); L2-penalised towards 0, so a reading seldom met stays near the
    base model. The other coefficients and the isotonic map are ``base``'s."""
    import numpy as np

    if len(features) != len(correct) or not features:
        raise ValueError("need as many labels as candidates, and at least one")
    x = np.asarray([feature_vector(f) for f in features], dtype=np.float64)
    y = np.asarray(correct, dtype=np.float64)
    cols = list(READING_COLUMNS)
    fixed = np.asarray(base.coef, dtype=np.float64)  # a copy: the tuple is never touched
    fixed[cols] = 0.0
    w = fit_logistic(x[:, cols], y, np.full(len(cols), l2), offset=x @ fixed)
    fixed[cols] = w
    return Calibrator(
        coef=tuple(float(c) for c in fixed),
        iso_x=base.iso_x,
        iso_y=base.iso_y,
        fitted_on=fitted_on,
    )
