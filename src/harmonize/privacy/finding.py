"""The result of scanning one column, and the column under scan (shared by the rules)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from harmonize.privacy.detectors import value_kind
from harmonize.privacy.headers import HeaderHint
from harmonize.privacy.mask import mask
from harmonize.privacy.names import NameLists

__all__ = ["SHARE", "SHARE_HINTED", "ColumnFinding", "ColumnValues", "pct"]

SHARE = 0.5  # share of values needed on value evidence alone
SHARE_HINTED = 0.2  # ... when the header says the same


@dataclass(frozen=True, slots=True)
class ColumnFinding:
    """The decision on one column: category, kind, how many values matched, why."""

    column: str
    category: str  # "direct" | "quasi" | "none"
    kind: str  # e.g. "national_id", "person_name", "study_id"; "none" when nothing found
    match_share: float
    n_values: int
    evidence: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # always masked

    @property
    def is_direct(self) -> bool:
        return self.category == "direct"

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "category": self.category,
            "kind": self.kind,
            "match_share": round(self.match_share, 4),
            "n_values": self.n_values,
            "evidence": list(self.evidence),
            "examples": list(self.examples),
        }


def pct(share: float) -> str:
    """``0.25`` -> ``"25%"``."""
    return f"{share:.0%}"


Predicate = Callable[[str], bool]


class ColumnValues:
    """One column under scan: its (sampled, non-missing) values, header hint and helpers."""

    def __init__(
        self,
        column: str,
        values: list[str],
        hint: HeaderHint | None,
        names: NameLists,
        today: dt.date,
    ) -> None:
        self.column = column
        self.values = values
        self.hint = hint
        self.hinted = hint.kind if hint else None
        self.header_evidence = [f"header says {hint.kind} ({hint.words!r})"] if hint else []
        self.names = names
        self.today = today
        self.counts = Counter(values)
        self.distinct = len(self.counts) / len(values) if values else 0.0

    def threshold(self, kind: str) -> float:
        """Share of values needed for ``kind``: lower when the header names it."""
        return SHARE_HINTED if self.hinted == kind else SHARE

    def share(self, predicate: Predicate, values: Sequence[str] | None = None) -> float:
        """Share of values for which ``predicate`` holds (evaluated once per distinct value)."""
        if values is None:
            counts: Counter[str] = self.counts
            total = len(self.values)
        else:
            counts = Counter(values)
            total = len(values)
        if not total:
            return 0.0
        return sum(n for value, n in counts.items() if predicate(value)) / total

    @functools.cached_property
    def value_kinds(self) -> Counter[str | None]:
        """Validated kind of each value (see :meth:`value_kind`), counted."""
        kinds: Counter[str | None] = Counter()
        for value, count in self.counts.items():
            kinds[self.value_kind(value)] += count
        return kinds

    def value_kind(self, value: str) -> str | None:
        """The validated kind of one value; bare SSNs/phones only under a saying header."""
        return value_kind(
            value,
            allow_plain_ssn=self.hinted == "national_id",
            allow_plain_phone=self.hinted == "phone",
        )

    def finding(
        self,
        category: str,
        kind: str,
        share: float,
        evidence: Sequence[str],
        predicate: Predicate | None = None,
    ) -> ColumnFinding:
        """A finding with up to three masked examples (of values matching ``predicate``)."""
        return ColumnFinding(
            column=self.column,
            category=category,
            kind=kind,
            match_share=share,
            n_values=len(self.values),
            evidence=tuple(evidence),
            examples=_examples(self.values, category, predicate),
        )


def _examples(
    values: Sequence[str], category: str, predicate: Predicate | None = None
) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in values:
        if value in chosen or (predicate is not None and not predicate(value)):
            continue
        chosen.append(value)
        if len(chosen) == 3:
            break
    keep = 0 if category == "direct" else 2
    return tuple(mask(v, keep=min(keep, max(0, len(v) // 3))) for v in chosen)
