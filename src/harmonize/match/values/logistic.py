"""Penalised logistic regression by damped Newton steps (numpy only).

The one fit behind the shipped calibration model (:func:`~harmonize.match.values.
calibration.fit_calibrator`) and its reading columns (:mod:`~harmonize.match.values.
reading_fit`). A full Newton step can overshoot where the probabilities saturate (a
fixed offset near certainty): a step that raises the penalised loss is halved until it
does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["fit_logistic"]

_MAX_STEPS = 100
_MAX_HALVINGS = 40
_TOLERANCE = 1e-8


def fit_logistic(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    penalty: npt.NDArray[np.float64],
    offset: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Weights ``w`` minimising the negative log-likelihood of ``y`` under
    ``sigmoid(offset + x @ w)`` plus ``0.5 * sum(penalty * w**2)`` (``penalty``: one L2
    weight per column; 0 leaves a column, such as the bias, unpenalised)."""
    import numpy as np

    base = np.zeros(len(y)) if offset is None else offset
    reg = np.diag(penalty) + 1e-9 * np.eye(x.shape[1])

    def loss(v: npt.NDArray[np.float64]) -> float:
        z = base + x @ v  # stable for large |z|
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * v @ (penalty * v))

    w = np.zeros(x.shape[1])
    current = loss(w)
    for _ in range(_MAX_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(base + x @ w, -30.0, 30.0)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1.0 - p))[:, None]).T @ x + reg
        step = np.linalg.solve(hess, grad)
        for _ in range(_MAX_HALVINGS):
            trial = loss(w - step)
            if trial <= current:
                break
            step = step / 2.0
        else:
            break  # no step lowers the loss: at the minimum (to rounding)
        w, current = w - step, trial
        if float(np.abs(step).max()) < _TOLERANCE:
            break
    return w  # type: ignore[no-any-return]
