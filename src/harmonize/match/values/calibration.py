"""Calibrated confidence for value candidates: features -> probability the candidate is right.

A logistic model over a handful of features of a candidate (how it matched, the scope of
the name it met, its similarity, its margin over the next term, how many terms tie),
followed by an isotonic map fitted by pool-adjacent-violators so that the output is a
frequency: among candidates with confidence >= 0.95, at least 95 % were right on the
calibration data. Both are fitted with numpy only (Newton/IRLS and PAV), on gold sets
the benchmark does not then score with the same fit (see ``bench/grounding.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harmonize.confidence import AUTO_ACCEPT
from harmonize.match.values.interpret import READING_KINDS

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "AUTO_ACCEPT",
    "CALIBRATED_TOP_K",
    "FEATURE_NAMES",
    "Calibrator",
    "CandidateFeatures",
    "default_calibrator",
    "feature_row",
    "feature_vector",
    "fit_calibrator",
]

#: candidates per value the model was fitted on (the benchmarks' top five): a candidate's
#: margin and contest are weighed against as many, whatever a caller asks for
CALIBRATED_TOP_K = 5

FEATURE_NAMES: tuple[str, ...] = (
    "bias",
    "m_exact",
    "m_normalized",
    "m_token",
    "m_fuzzy",
    "s_label",
    "s_exact",
    "s_narrow_broad",
    "s_related",
    "f_abbreviation",
    "f_curated",
    "weak",
    "via_obsolete",
    "score",
    "sim",
    "dice",
    "margin",
    "log_tied",
    "rank0",
    "short_query",
    "contested",
    "contested_other_ontology",
    # how the value was read (interpret.py): one column per reading kind, in its order
    *(f"r_{kind}" for kind in READING_KINDS),
    "curated_use",  # the term is in CELLxGENE's curated lists (usage.py)
)


@dataclass(slots=True)
class CandidateFeatures:
    """What the calibrator looks at for one candidate (internal; not frozen, for speed)."""

    method: str
    scope: str
    field: str
    weak: bool
    via_obsolete: bool
    score: float
    sim: float  # character similarity in [0, 1]
    dice: float  # IDF-weighted word overlap in [0, 1]
    margin: float  # score minus the next other term's score (negative below rank 0)
    tied: int  # number of terms sharing the top score
    rank: int
    query_tokens: int
    contested: bool = False  # another term within 0.03 of this one's score
    contested_other_ontology: bool = False  # ... and from another ontology (HP vs MONDO)
    reading: str | None = None  # the reading of the value that met the name (interpret.py)
    curated_use: bool = False  # the term is in CELLxGENE's curated lists
    #: not a feature: the highest confidence the matcher lets this candidate have (a
    #: reading, an alternative, a dropped bracket), so a benchmark can apply it too
    cap: float = 1.0


def feature_vector(f: CandidateFeatures) -> list[float]:
    """The numeric features, in :data:`FEATURE_NAMES` order."""
    return feature_row(
        f.method,
        f.scope,
        f.field,
        f.weak,
        f.via_obsolete,
        f.score,
        f.sim,
        f.dice,
        f.margin,
        f.tied,
        f.rank,
        f.query_tokens,
        f.contested,
        f.contested_other_ontology,
        f.reading,
        f.curated_use,
    )


# one-hot columns of the categorical features (anything else: all zeros)
_METHOD_COLUMNS = {
    "exact": (1.0, 0.0, 0.0, 0.0),
    "normalized": (0.0, 1.0, 0.0, 0.0),
    "token": (0.0, 0.0, 1.0, 0.0),
    "fuzzy": (0.0, 0.0, 0.0, 1.0),
}
_SCOPE_COLUMNS = {
    "LABEL": (1.0, 0.0, 0.0, 0.0),
    "EXACT": (0.0, 1.0, 0.0, 0.0),
    "NARROW": (0.0, 0.0, 1.0, 0.0),
    "BROAD": (0.0, 0.0, 1.0, 0.0),
    "RELATED": (0.0, 0.0, 0.0, 1.0),
}
_FIELD_COLUMNS = {"abbreviation": (1.0, 0.0), "curated": (0.0, 1.0)}
_READING_COLUMNS: dict[str | None, tuple[float, ...]] = {
    kind: tuple(1.0 if k == kind else 0.0 for k in READING_KINDS) for kind in READING_KINDS
}
_NO_READING = (0.0,) * len(READING_KINDS)
_ZEROS4 = (0.0, 0.0, 0.0, 0.0)
_ZEROS2 = (0.0, 0.0)
_LOG_TIED = [math.log(max(t, 1)) for t in range(16)]
# the one-hot head (bias, method, scope, field) of each combination met
_HEADS: dict[tuple[str, str, str], tuple[float, ...]] = {}


def feature_row(
    method: str,
    scope: str,
    field: str,
    weak: bool,
    via_obsolete: bool,
    score: float,
    sim: float,
    dice: float,
    margin: float,
    tied: int,
    rank: int,
    query_tokens: int,
    contested: bool,
    contested_other_ontology: bool,
    reading: str | None = None,
    curated_use: bool = False,
) -> list[float]:
    """:func:`feature_vector` of the features given one by one (no object built)."""
    key = (method, scope, field)
    head = _HEADS.get(key)
    if head is None:
        head = (
            1.0,
            *_METHOD_COLUMNS.get(method, _ZEROS4),
            *_SCOPE_COLUMNS.get(scope, _ZEROS4),
            *_FIELD_COLUMNS.get(field, _ZEROS2),
        )
        if len(_HEADS) < 1000:
            _HEADS[key] = head
    return [
        *head,
        1.0 if weak else 0.0,
        1.0 if via_obsolete else 0.0,
        float(score),
        float(sim),
        float(dice),
        max(-1.0, min(1.0, margin)),
        _LOG_TIED[tied] if 0 <= tied < 16 else math.log(max(tied, 1)),
        1.0 if rank == 0 else 0.0,
        1.0 if query_tokens <= 1 else 0.0,
        1.0 if contested else 0.0,
        1.0 if contested_other_ontology else 0.0,
        *_READING_COLUMNS.get(reading, _NO_READING),
        1.0 if curated_use else 0.0,
    ]


@dataclass(frozen=True, slots=True)
class Calibrator:
    """Logistic model then isotonic map (``iso_x`` ascending raw probabilities)."""

    coef: tuple[float, ...]
    iso_x: tuple[float, ...] = ()
    iso_y: tuple[float, ...] = ()
    fitted_on: str = "hand-set prior (not fitted)"

    def raw(self, x: Sequence[float]) -> float:
        z = sum(c * v for c, v in zip(self.coef, x, strict=True))
        z = max(-30.0, min(30.0, z))
        return 1.0 / (1.0 + math.exp(-z))

    def __call__(self, f: CandidateFeatures) -> float:
        return float(self.batch([feature_vector(f)])[0])

    def batch(
        self, rows: Sequence[Sequence[float]] | npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        """Confidences for many feature vectors (rows, or a 2-D array) at once, no Python loop."""
        import numpy as np

        if len(rows) == 0:
            return np.zeros(0)
        z = np.clip(np.asarray(rows, dtype=np.float64) @ np.asarray(self.coef), -30.0, 30.0)
        p = 1.0 / (1.0 + np.exp(-z))
        if self.iso_x:
            p = np.interp(p, np.asarray(self.iso_x), np.asarray(self.iso_y))
        return np.clip(p, 0.0, 1.0)  # type: ignore[no-any-return]

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(FEATURE_NAMES),
            "coef": list(self.coef),
            "iso_x": list(self.iso_x),
            "iso_y": list(self.iso_y),
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibrator:
        if list(data.get("features", FEATURE_NAMES)) != list(FEATURE_NAMES):
            raise ValueError("calibration features do not match this version")
        return cls(
            coef=tuple(float(c) for c in data["coef"]),
            iso_x=tuple(float(v) for v in data.get("iso_x", ())),
            iso_y=tuple(float(v) for v in data.get("iso_y", ())),
            fitted_on=str(data.get("fitted_on", "")),
        )


# A prior used until a fitted model ships: exact label hits near-certain, fuzzy weak.
_PRIOR = (
    -4.0, 4.0, 3.0, 1.5, 0.0, 1.0, 0.8, -0.5, -1.0, -0.5, 1.0, -1.5, -0.3,
    3.0, 1.0, 1.0, 3.0, -2.0, 1.0, -0.5, -1.0, -1.0,
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
)  # fmt: skip


def default_calibrator() -> Calibrator:
    """The shipped model (fitted by ``bench/grounding.py --fit``), else the prior."""
    try:
        from harmonize.match.values.calibration_model import MODEL
    except ImportError:  # pragma: no cover - the model module ships with the package
        return Calibrator(coef=_PRIOR)
    return Calibrator.from_dict(MODEL)


def _fit_logistic(rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float) -> list[float]:
    import numpy as np

    from harmonize.match.values.logistic import fit_logistic

    x = np.asarray(rows, dtype=np.float64)
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0  # the bias is not penalised
    w = fit_logistic(x, np.asarray(labels, dtype=np.float64), penalty)
    return [float(v) for v in w]


def _pav(xs: Sequence[float], ys: Sequence[int]) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators: non-decreasing step fit of ``ys`` on sorted ``xs``."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    blocks: list[list[float]] = []  # [sum_y, count, min_x, max_x]
    for i in order:
        if blocks and blocks[-1][3] == xs[i]:  # equal scores are one point, never split
            blocks[-1][0] += float(ys[i])
            blocks[-1][1] += 1.0
        else:
            blocks.append([float(ys[i]), 1.0, xs[i], xs[i]])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, c, _, hi = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
            blocks[-1][3] = hi
    px: list[float] = []
    py: list[float] = []
    for s, c, lo, hi in blocks:
        # conservative: a block's value is its Wilson-style lower estimate, so a small block
        # of all-correct items cannot claim certainty.
        mean = s / c
        lower = (s + 0.5) / (c + 1.0) if mean > 0.5 else mean
        px.extend([lo, hi])
        py.extend([min(mean, lower)] * 2)
    for i in range(1, len(py)):  # keep monotone after shrinkage
        py[i] = max(py[i], py[i - 1])
    return px, py


def fit_calibrator(
    features: Sequence[CandidateFeatures],
    correct: Sequence[bool],
    *,
    fitted_on: str,
    l2: float = 1.0,
    target_precision: float | None = None,
) -> Calibrator:
    """Fit logistic + isotonic on labelled candidates (``correct[i]`` for ``features[i]``).

    With ``target_precision`` (e.g. 0.99) the isotonic map is then anchored so that :data:`AUTO_ACCEPT` is only
    reached where the fitting candidates at or above it are right at that precision (see
    :func:`_anchor_auto_accept`); without it, the plain calibrated probability.
    """
    if len(features) != len(correct) or not features:
        raise ValueError("need as many labels as candidates, and at least one")
    rows = [feature_vector(f) for f in features]
    labels = [int(c) for c in correct]
    coef = _fit_logistic(rows, labels, l2)
    model = Calibrator(coef=tuple(coef))
    raws = [model.raw(r) for r in rows]
    iso_x, iso_y = _pav(raws, labels)
    if target_precision is not None:
        iso_y = _anchor_auto_accept(iso_x, iso_y, raws, labels, target_precision)
    return Calibrator(coef=tuple(coef), iso_x=tuple(iso_x), iso_y=tuple(iso_y), fitted_on=fitted_on)


#: z of the one-sided Wilson lower bound on precision used to place the auto-accept point
#: (0 = the point estimate): with 1.645 no region of the benchmark gold sets qualifies
WILSON_Z = 0.0


def _wilson_lower(right: float, n: float) -> float:
    if n <= 0:
        return 0.0
    p = right / n
    z2 = WILSON_Z * WILSON_Z
    centre = p + z2 / (2 * n)
    spread = WILSON_Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (centre - spread) / (1 + z2 / n)


def _anchor_auto_accept(
    iso_x: Sequence[float],
    iso_y: Sequence[float],
    raws: Sequence[float],
    labels: Sequence[int],
    target: float = 0.99,
) -> list[float]:
    """Re-map the isotonic output so that :data:`AUTO_ACCEPT` means precision ``target``.

    Among the fitting candidates, ``v`` is the lowest isotonic value such that those at or
    above it are right with a Wilson lower bound >= the target precision; the map is then
    stretched monotonically so that ``v`` lands on the auto-accept threshold (values above
    ``v`` in [0.95, 1], below it scaled into [0, 0.95)). A fit with no such ``v`` never
    reaches the threshold: auto-accepting needs evidence, not hope.
    """
    import numpy as np

    if not iso_x:
        return list(iso_y)
    conf = np.interp(np.asarray(raws), np.asarray(iso_x), np.asarray(iso_y))
    order = np.argsort(-conf, kind="stable")
    right = np.cumsum(np.asarray(labels, dtype=np.float64)[order])
    anchor: float | None = None
    for level in sorted(set(iso_y), reverse=True):
        n = int(np.searchsorted(-conf[order], -level + 1e-9, side="right"))
        if n and _wilson_lower(float(right[n - 1]), float(n)) >= target:
            anchor = float(level)
    out: list[float] = []
    for y in iso_y:
        if anchor is None:
            out.append(y * (AUTO_ACCEPT - 1e-3))
        elif y >= anchor:
            span = 1.0 - anchor
            out.append(AUTO_ACCEPT + (1 - AUTO_ACCEPT) * ((y - anchor) / span if span else 1.0))
        else:
            out.append(y * (AUTO_ACCEPT - 1e-3) / anchor)
    return out
