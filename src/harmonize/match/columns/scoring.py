"""Combine column-slot evidence into one score: a small logistic model.

``design`` turns the raw features of one column against every slot into the model's
inputs: the features themselves, each relative to the column's best slot on that
feature (so "the best name match among 736 slots" counts, not only its absolute value),
and value overlap x name similarity. ``fit_weights`` is a plain L2-regularised logistic
regression (Newton steps, numpy); positives are up-weighted and the intercept is
corrected for that weight afterwards, so ``confidence`` is a probability again.

The shipped weights (:mod:`harmonize.match.columns.weights`) are written by
``bench/gdc.py --write-weights``; the benchmark itself reports leave-one-study-out
figures, each study scored with weights fit on the other studies only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harmonize.match.columns.features import FEATURES

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DESIGN",
    "Weights",
    "default_weights",
    "design",
    "fit_weights",
    "score",
]

#: Features shown as evidence but left out of the model: the name TF-IDF cosine is
#: redundant with the two coverage features (slot words named, column words found),
#: and leaving it out scored better leave-one-study-out (bench/RESULTS.md).
_EXCLUDED = ("name_tfidf",)
_MODEL = tuple(name for name in FEATURES if name not in _EXCLUDED)
_RELATIVE = ("name_fuzzy", "desc_tfidf", "value_overlap", "slot_cover", "col_cover",
             "value_tokens")  # fmt: skip
#: Names of the model inputs, in order.
DESIGN: tuple[str, ...] = (
    *_MODEL,
    *(f"{name}_rel" for name in _RELATIVE),
    "value_x_name",
)
_MODEL_IDX = [FEATURES.index(n) for n in _MODEL]
_REL_IDX = [FEATURES.index(n) for n in _RELATIVE]


@dataclass(frozen=True, slots=True)
class Weights:
    """Coefficients over :data:`DESIGN` plus intercept; ``offset`` undoes class weighting."""

    coef: tuple[float, ...]
    intercept: float
    offset: float = 0.0
    note: str = ""


def design(features: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Model inputs for one column: (slots x features) -> (slots x len(DESIGN))."""
    import numpy as np

    best = features.max(axis=0, keepdims=True)
    best[best == 0] = 1.0
    relative = features[:, _REL_IDX] / best[:, _REL_IDX]
    value = features[:, FEATURES.index("value_overlap")]
    name = features[:, FEATURES.index("slot_cover")]
    return np.hstack([features[:, _MODEL_IDX], relative, (value * name)[:, None]]).astype(
        np.float32
    )


def score(
    features: npt.NDArray[np.float32], weights: Weights
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(logit, confidence) per slot for one column's (slots x features) array."""
    import numpy as np

    logit = design(features) @ np.asarray(weights.coef, dtype=np.float32) + weights.intercept
    confidence = 1.0 / (1.0 + np.exp(-(logit - weights.offset)))
    return logit.astype(np.float32), confidence.astype(np.float32)


def fit_weights(
    examples: Sequence[tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]],
    *,
    l2: float = 1.0,
    max_positive_weight: float = 50.0,
    iterations: int = 50,
    note: str = "",
) -> Weights:
    """Fit on (features of one column vs all slots, which slots are right) examples."""
    import numpy as np

    x = np.concatenate([design(f) for f, _ in examples]).astype(np.float64)
    y = np.concatenate([labels for _, labels in examples]).astype(np.float64)
    x1 = np.hstack([x, np.ones((len(x), 1))])
    positives = max(float(y.sum()), 1.0)
    pos_weight = min((len(y) - positives) / positives, max_positive_weight)
    sample = np.where(y == 1, pos_weight, 1.0)
    w = np.zeros(x1.shape[1])
    ridge = l2 * np.eye(len(w))
    ridge[-1, -1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x1 @ w)))
        grad = x1.T @ (sample * (p - y)) + ridge @ w
        hess = (x1 * (sample * p * (1 - p))[:, None]).T @ x1 + ridge
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return Weights(
        coef=tuple(round(float(v), 4) for v in w[:-1]),
        intercept=round(float(w[-1]), 4),
        offset=round(math.log(pos_weight), 4),
        note=note,
    )


def default_weights() -> Weights:
    """The shipped weights (fit on the five public GDC studies; see module docstring)."""
    from harmonize.match.columns.weights import COEF, INTERCEPT, NOTE, OFFSET

    if len(COEF) != len(DESIGN):  # features changed without refitting: fail loudly
        raise RuntimeError(
            "column_weights.py does not match DESIGN; run bench/gdc.py --write-weights"
        )
    return Weights(coef=COEF, intercept=INTERCEPT, offset=OFFSET, note=NOTE)
