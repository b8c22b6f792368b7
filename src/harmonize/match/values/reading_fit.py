"""Fit how sure a reading of a value makes the answer: the ``r_*`` columns of the model.

The shipped model's other coefficients and its isotonic map were fitted on label pairs
(UKBB-EFO, OLS-EFO) that never meet a reading: a value answered through a qualifier set
aside, a shorthand expanded or words dropped is only met in submitted values. Those
columns are fitted here on candidates of submitted values, with every other coefficient
held fixed (its part of the logit is an offset): a candidate no reading touched keeps
its confidence exactly, and a read one moves towards how often that reading was right.
The readings' caps (:data:`~harmonize.match.values.interpret.READING_MAX_CONFIDENCE`)
still apply after it: a reading is never auto-accepted. Pure numpy (damped Newton steps).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from harmonize.match.values.calibration import (
    FEATURE_NAMES,
    Calibrator,
    CandidateFeatures,
    feature_vector,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

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
    coef = np.asarray(base.coef, dtype=np.float64)
    cols = list(READING_COLUMNS)
    fixed = coef.copy()
    fixed[cols] = 0.0
    offset = x @ fixed
    r = x[:, cols]
    w = np.zeros(len(cols))
    reg = l2 * np.eye(len(cols))

    def loss(v: npt.NDArray[np.float64]) -> float:
        z = offset + r @ v  # penalised negative log-likelihood, stable for large |z|
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * v @ v)

    current = loss(w)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(offset + r @ w, -30.0, 30.0)))
        grad = r.T @ (p - y) + reg @ w
        hess = (r * (p * (1.0 - p))[:, None]).T @ r + reg
        step = np.linalg.solve(hess, grad)
        for _ in range(40):  # damped: a full Newton step can overshoot where p saturates
            trial = loss(w - step)
            if trial <= current:
                break
            step = step / 2.0
        else:
            break
        w, current = w - step, trial
        if float(np.abs(step).max()) < 1e-8:
            break
    fixed[cols] = w
    return Calibrator(
        coef=tuple(float(c) for c in fixed),
        iso_x=base.iso_x,
        iso_y=base.iso_y,
        fitted_on=fitted_on,
    )
