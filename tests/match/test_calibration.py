"""Calibration: plain isotonic probability vs the map anchored on a target precision."""

from __future__ import annotations

import random

from harmonize.match.values.calibration import AUTO_ACCEPT, CandidateFeatures, fit_calibrator


def _feat(method: str, contested: bool) -> CandidateFeatures:
    return CandidateFeatures(
        method=method,
        scope="LABEL",
        field="label",
        weak=False,
        via_obsolete=False,
        score=1.0 if method == "exact" else 0.7,
        sim=1.0 if method == "exact" else 0.7,
        dice=1.0 if method == "exact" else 0.6,
        margin=0.5 if not contested else 0.0,
        tied=1 if not contested else 2,
        rank=0,
        query_tokens=2,
        contested=contested,
        contested_other_ontology=contested,
    )


def _data(seed: int = 3) -> tuple[list[CandidateFeatures], list[bool]]:
    rng = random.Random(seed)
    feats: list[CandidateFeatures] = []
    right: list[bool] = []
    groups = (("exact", False, 1.0), ("exact", True, 0.93), ("fuzzy", False, 0.5))
    for method, contested, rate in groups:
        for _ in range(600):
            feats.append(_feat(method, contested))
            right.append(rng.random() < rate)
    return feats, right


def test_anchored_map_keeps_ambiguous_ties_below_auto_accept() -> None:
    feats, right = _data()
    plain = fit_calibrator(feats, right, fitted_on="synthetic")
    anchored = fit_calibrator(feats, right, fitted_on="synthetic", target_precision=0.99)
    clean, tie, fuzzy = _feat("exact", False), _feat("exact", True), _feat("fuzzy", False)
    # the plain probability of the 93 %-right tie group is above 0.9 ...
    assert plain(tie) > 0.9
    # ... but only the all-right group reaches the auto-accept point once anchored on 0.99
    assert anchored(clean) >= AUTO_ACCEPT
    assert anchored(tie) < AUTO_ACCEPT
    assert anchored(fuzzy) < anchored(tie) < anchored(clean)


def test_anchored_map_without_a_precise_region_never_auto_accepts() -> None:
    rng = random.Random(5)
    feats = [_feat("exact", False) for _ in range(500)] + [
        _feat("fuzzy", False) for _ in range(500)
    ]
    right = [rng.random() < 0.95 for _ in range(500)] + [rng.random() < 0.4 for _ in range(500)]
    anchored = fit_calibrator(feats, right, fitted_on="synthetic", target_precision=0.99)
    assert anchored(_feat("exact", False)) < AUTO_ACCEPT
    assert fit_calibrator(feats, right, fitted_on="synthetic")(_feat("exact", False)) > 0.9


def test_the_fallback_prior_has_one_weight_per_feature() -> None:
    """Without the shipped model the matcher uses the prior: it must score a candidate."""
    from harmonize.match.values.calibration import _PRIOR, FEATURE_NAMES, Calibrator

    assert len(_PRIOR) == len(FEATURE_NAMES)
    exact = CandidateFeatures("exact", "LABEL", "label", False, False, 1, 1, 1, 1, 1, 0, 1)
    inexact = CandidateFeatures(
        "fuzzy", "RELATED", "synonym", False, False, 0.5, 0.5, 0.5, 0, 3, 1, 4
    )
    prior = Calibrator(coef=_PRIOR)
    assert prior(exact) > prior(inexact)
