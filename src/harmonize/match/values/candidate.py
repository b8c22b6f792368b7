"""What a value matcher returns: candidates with their evidence, per query value.

Frozen dataclasses only; they cross package boundaries (column matching, review, SSSOM
export) and never change after the matcher built them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from harmonize.ontology.model import NAME_SCOPES, NameScope

__all__ = [
    "FIELDS",
    "METHODS",
    "NAME_SCOPES",
    "Candidate",
    "Evidence",
    "Field",
    "MatchResult",
    "Method",
    "NameScope",
]

#: Where the matched text came from.
Field = Literal["label", "synonym", "curated", "abbreviation"]
FIELDS: tuple[Field, ...] = get_args(Field)
#: How the query met the name, strongest first (``bracketed``: only without the name's
#: bracketed qualifier).
Method = Literal["exact", "normalized", "token", "fuzzy", "bracketed"]
METHODS: tuple[Method, ...] = get_args(Method)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a candidate matched: the name it met, that name's field and scope, and how."""

    matched_text: str
    field: Field
    scope: NameScope  # LABEL for the term's own label
    method: Method
    steps: tuple[str, ...] = ()  # normalisation steps used on the query

    def explain(self) -> str:
        """One line a steward reads: ``exact synonym 'HCC' (abbreviation) after case``."""
        what = "label" if self.scope == "LABEL" else f"{self.scope.lower()} {self.field}"
        if self.field in {"curated", "abbreviation"} and self.scope != "LABEL":
            what = f"{self.field} ({self.scope.lower()})"
        text = f"{self.method} match on {what} {self.matched_text!r}"
        if self.steps:
            text += f" after {', '.join(self.steps)}"
        return text


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ontology term proposed for a value.

    ``score`` is the raw lexical score in [0, 1] (ranking); ``confidence`` is the
    calibrated probability that the candidate is right (auto-accept threshold
    :data:`harmonize.match.values.ground.AUTO_ACCEPT`).
    """

    id: str
    label: str | None
    score: float
    confidence: float
    predicate: str
    evidence: Evidence
    note: str | None = None

    def explain(self) -> str:
        text = self.evidence.explain()
        return f"{text}; {self.note}" if self.note else text


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Candidates for one query value, best first.

    ``outside_branch`` is the best hit outside the requested branch when it beat every
    in-branch candidate; it is reported, never returned among ``candidates``. ``note``
    says how the value as a whole was read, when that matters to a steward: a cell line,
    a negation or uncertainty, qualifiers only ("normal adjacent tissue").
    """

    query: str
    candidates: tuple[Candidate, ...]
    outside_branch: Candidate | None = None
    note: str | None = None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None
