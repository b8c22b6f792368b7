"""Part 8: top-k that helps review: k candidates even after an exact hit, best first."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmonize.cli import main
from harmonize.match.values.matcher import ValueMatcher


@pytest.mark.parametrize("value", ["heart", "liver", "CD8 T", "colon (sigmoid)", "BM"])
def test_k_candidates_in_descending_confidence(value: str, request: pytest.FixtureRequest) -> None:
    for slot in ("uberon", "cl"):
        matcher: ValueMatcher = request.getfixturevalue(slot)
        candidates = matcher.match(value, top_k=5).candidates
        confidences = [c.confidence for c in candidates]
        assert confidences == sorted(confidences, reverse=True), (slot, value)
    exact = request.getfixturevalue("uberon").match("heart", top_k=5).candidates
    assert len(exact) == 5 and exact[0].predicate == "skos:exactMatch"


def test_without_fill_an_exact_hit_stands_alone(uberon: ValueMatcher) -> None:
    plain = ValueMatcher(uberon.index, roots=uberon.roots)
    assert len(plain.match("heart", top_k=5).candidates) < 5


def test_ground_cli_writes_k_rows_per_value_best_first(tmp_path: Path) -> None:
    values = tmp_path / "tissues.txt"
    values.write_text("heart\nliver bx\n", encoding="utf-8")
    out = tmp_path / "tissues.sssom.tsv"
    args = ["ground", str(values), "--ontology", "UBERON", "--root", "UBERON:0001062"]
    assert main([*args, "--top-k", "4", "--taxon", "NCBITaxon:9606", "-o", str(out)]) == 0
    rows = list(csv.DictReader((r for r in out.open() if not r.startswith("#")), delimiter="\t"))
    by_value: dict[str, list[float]] = {}
    for row in rows:
        by_value.setdefault(row["subject_label"], []).append(float(row["confidence"]))
    assert set(by_value) == {"heart", "liver bx"}
    for confidences in by_value.values():
        assert len(confidences) == 4 and confidences == sorted(confidences, reverse=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.sampled_from(
        ["grade 2 astrocytoma", "HCC", "mild asthma", "Hepatocelular carcinoma", "no HCC", "DM"]
    ),
    k=st.integers(min_value=1, max_value=12),
)
def test_a_candidate_is_as_sure_however_many_are_asked_for(
    value: str, k: int, disease: ValueMatcher
) -> None:
    """The first answers' confidences do not depend on ``--top-k`` (``HCC`` had 0.90 with
    one candidate asked for, 0.82 with two or more: weighed against no rival)."""
    asked = [(c.id, c.confidence) for c in disease.match(value, top_k=k).candidates]
    calibrated = [(c.id, c.confidence) for c in disease.match(value, top_k=5).candidates]
    n = min(k, 5, len(calibrated))
    assert asked[:n] == calibrated[:n], (value, k)
