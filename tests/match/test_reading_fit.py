"""Part 9: the reading columns of the model are fitted on submitted values, the rest kept."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from harmonize.match.values.calibration import (
    FEATURE_NAMES,
    Calibrator,
    CandidateFeatures,
    default_calibrator,
    fit_calibrator,
)
from harmonize.match.values.interpret import READING_KINDS
from harmonize.match.values.reading_fit import READING_COLUMNS, fit_reading_columns


def _feat(exact: bool, reading: str | None = None) -> CandidateFeatures:
    return CandidateFeatures(
        method="exact" if exact else "fuzzy",
        scope="LABEL",
        field="label",
        weak=False,
        via_obsolete=False,
        score=1.0 if exact else 0.7,
        sim=1.0 if exact else 0.7,
        dice=1.0 if exact else 0.6,
        margin=0.5,
        tied=1,
        rank=0,
        query_tokens=2,
        reading=reading,
    )


def _base() -> Calibrator:
    rng = random.Random(7)
    feats = [_feat(True) for _ in range(400)] + [_feat(False) for _ in range(400)]
    right = [rng.random() < 0.97 for _ in range(400)] + [rng.random() < 0.4 for _ in range(400)]
    fitted = fit_calibrator(feats, right, fitted_on="synthetic pairs")
    # an identity isotonic map: two synthetic groups would make it a two-step function
    return Calibrator(coef=fitted.coef, iso_x=(0.0, 1.0), iso_y=(0.0, 1.0), fitted_on="pairs")


def test_each_reading_moves_towards_how_often_it_was_right() -> None:
    base = _base()
    rng = random.Random(11)
    feats: list[CandidateFeatures] = []
    right: list[bool] = []
    # an exact name met after a qualifier was set aside: right a third of the time;
    # a fuzzy name met after words were dropped: right nine times in ten
    for reading, exact, rate in (("qualifier", True, 0.33), ("dropped", False, 0.9)):
        for _ in range(500):
            feats.append(_feat(exact, reading))
            right.append(rng.random() < rate)
    fitted = fit_reading_columns(base, feats, right, fitted_on="synthetic values")
    qualifier, dropped = _feat(True, "qualifier"), _feat(False, "dropped")
    assert base(qualifier) > 0.9 and fitted(qualifier) < 0.6
    assert base(dropped) < 0.6 and fitted(dropped) > 0.75
    # a candidate no reading touched keeps its confidence exactly
    for plain in (_feat(True), _feat(False)):
        assert fitted(plain) == base(plain)
    # only the reading columns moved; the isotonic map is the base model's
    moved = [
        name for name, a, b in zip(FEATURE_NAMES, base.coef, fitted.coef, strict=True) if a != b
    ]
    assert moved == ["r_qualifier", "r_dropped"]
    assert (fitted.iso_x, fitted.iso_y) == (base.iso_x, base.iso_y)
    assert fitted.fitted_on == "synthetic values"


def test_a_reading_never_met_keeps_weight_zero() -> None:
    base = _base()
    feats = [_feat(True, "qualifier")] * 50
    fitted = fit_reading_columns(base, feats, [True] * 25 + [False] * 25, fitted_on="x")
    never = {f"r_{k}" for k in READING_KINDS} - {"r_qualifier"}
    assert all(
        c == 0.0 for name, c in zip(FEATURE_NAMES, fitted.coef, strict=True) if name in never
    )


def test_fit_needs_labelled_candidates() -> None:
    with pytest.raises(ValueError, match="as many labels"):
        fit_reading_columns(_base(), [_feat(True)], [], fitted_on="x")


def test_shipped_model_has_its_reading_columns_fitted_on_submitted_values() -> None:
    model = default_calibrator()
    assert "bench/fit_readings.py" in model.fitted_on
    assert {FEATURE_NAMES[i] for i in READING_COLUMNS} == {f"r_{k}" for k in READING_KINDS}
    # no value of the fitting sets is negated, and a term contradicting a value's marker
    # signs never reaches their top 5: those two columns have no labelled candidate
    unseen = {"r_hedge", "r_contradicted"}
    fitted = [model.coef[i] for i in READING_COLUMNS if FEATURE_NAMES[i] not in unseen]
    assert all(abs(c) > 0.01 for c in fitted)
    # a read answer's confidence is the plain one's, moved by its reading's weight only
    plain = _feat(True)
    for kind in READING_KINDS:
        read = replace(plain, reading=kind)
        weight = model.coef[FEATURE_NAMES.index(f"r_{kind}")]
        if weight > 0:
            assert model(read) >= model(plain)
        else:
            assert model(read) <= model(plain)
