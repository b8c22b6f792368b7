"""Grounding results (with the ledger's decisions applied) as reconciliation candidates.

Score and match, as documented in the README:

* ``score`` is the calibrated confidence x 100 (0-100, ``standardizedScore``); a steward's
  decision from the ledger scores 100, and so does the replacement of an obsolete decided
  term (which still needs a steward: it is never a match).
* ``match`` is true for one candidate at most, the one harmonize would apply without
  review: the steward's choice, else the best candidate whose confidence reaches
  :data:`~harmonize.confidence.AUTO_ACCEPT`, exactly as
  :func:`~harmonize.mappings.replay.reviewed_or_auto` picks it.
* ``features`` name the evidence: the field and scope of the matched name, the matching
  method, each normalisation step, the raw lexical score and the confidence.

Candidates are sorted by score (highest first, ties in ranking order), as the
specification asks and OpenRefine expects (it auto-matches only the first one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harmonize.confidence import AUTO_ACCEPT
from harmonize.mappings.decisions import NO_TERM
from harmonize.mappings.model import JUSTIFICATION_MANUAL
from harmonize.mappings.replay import JUSTIFICATION_CHAINING, is_deferred

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping
    from harmonize.match.values.candidate import Candidate, MatchResult

__all__ = ["DECIDED_SCORE", "Feature", "Scored", "evidence_features", "scored_candidates"]

#: score of a steward's decision (and of an obsolete decided term's replacement)
DECIDED_SCORE = 100.0


@dataclass(frozen=True, slots=True)
class Feature:
    """A matching feature: ``id`` is stable, ``name`` says it in words."""

    id: str
    name: str
    value: bool | float

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "value": self.value}


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate as the service returns it (types and description are added from the
    ontology when it is serialised)."""

    id: str
    name: str
    score: float
    match: bool
    features: tuple[Feature, ...] = ()


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_") or "step"


def evidence_features(cand: Candidate, *, outside: Candidate | None = None) -> list[Feature]:
    """What the matcher saw: confidence, lexical score, matched name, scope, method, steps."""
    ev = cand.evidence
    feats = [
        Feature(
            "confidence", f"calibrated confidence (auto-accept at {AUTO_ACCEPT})", cand.confidence
        ),
        Feature("lexical_score", "lexical score before calibration", cand.score),
        Feature(f"field_{ev.field}", f"matched the term's {ev.field} {ev.matched_text!r}", True),
        Feature(f"scope_{ev.scope.lower()}", f"scope of the matched name: {ev.scope}", True),
        Feature(f"method_{ev.method}", ev.explain(), True),
        Feature(f"predicate_{_slug(cand.predicate)}", f"mapping predicate {cand.predicate}", True),
    ]
    feats.extend(Feature(f"normalised_{_slug(s)}", f"normalisation: {s}", True) for s in ev.steps)
    if cand.note:
        feats.append(Feature("note", cand.note, True))
    if outside is not None:
        feats.append(
            Feature(
                "better_hit_outside_type",
                f"a better hit outside the requested type: {outside.id} ({outside.label})",
                True,
            )
        )
    unique: dict[str, Feature] = {}
    for f in feats:
        unique.setdefault(f.id, f)
    return list(unique.values())


def _row_candidate(
    row: Mapping, cand: Candidate | None, outside: Candidate | None
) -> tuple[float, list[Feature]]:
    """(score, features) of one row of the replayed mapping set."""
    evidence = evidence_features(cand, outside=outside) if cand is not None else []
    if row.mapping_justification == JUSTIFICATION_MANUAL:
        note = row.comment or "a steward's decision"
        return DECIDED_SCORE, [Feature("steward_decision", note, True), *evidence]
    if row.mapping_justification == JUSTIFICATION_CHAINING:
        note = row.comment or "replaces an obsolete decided term"
        return DECIDED_SCORE, [Feature("replaces_obsolete_decision", note, True), *evidence]
    confidence = cand.confidence if cand is not None else (row.confidence or 0.0)
    if is_deferred(row):
        evidence.append(Feature("deferred", row.comment or "deferred by a steward", True))
    return round(confidence * 100.0, 2), evidence


def scored_candidates(
    result: MatchResult, rows: Sequence[Mapping], chosen: Mapping | None, limit: int
) -> list[Scored]:
    """The candidates of one value: ``rows`` are its rows after the ledger's decisions
    were applied (:func:`harmonize.mappings.replay.replay`), ``chosen`` the row
    :func:`~harmonize.mappings.replay.reviewed_or_auto` picked for it (if any)."""
    by_id = {c.id: c for c in result.candidates}
    first = result.candidates[0].id if result.candidates else None
    keyed: list[tuple[float, int, Scored]] = []
    seen: set[str] = set()
    for position, row in enumerate(rows):
        if row.negated or row.object_id == NO_TERM or row.object_id in seen:
            continue
        seen.add(row.object_id)
        cand = by_id.get(row.object_id)
        outside = result.outside_branch if row.object_id == first else None
        score, features = _row_candidate(row, cand, outside)
        is_choice = chosen is not None and row.object_id == chosen.object_id
        name = row.object_label or (cand.label if cand is not None else None) or row.object_id
        keyed.append(
            (-score, position, Scored(row.object_id, name, score, is_choice, tuple(features)))
        )
    keyed.sort(key=lambda item: (item[0], item[1]))
    out = [s for *_, s in keyed[:limit]]
    # OpenRefine auto-matches only the first candidate: a match anywhere else is a bug
    return [s if i == 0 or not s.match else _unmatched(s) for i, s in enumerate(out)]


def _unmatched(s: Scored) -> Scored:  # pragma: no cover - reviewed_or_auto picks the top
    return Scored(s.id, s.name, s.score, False, s.features)
