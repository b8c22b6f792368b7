"""The review queue: mapping subjects as items, ordered by impact, with filters.

Pure functions over mapping sets, ledger states and row counts; no I/O. An item's
*impact* is the number of table rows its value covers times how uncertain the best
remaining suggestion is (``1 - confidence``), so the work that fixes most rows with the
least trustworthy suggestion comes first.

Statuses: ``pending`` (nobody decided), ``deferred``, ``assigned`` (to a reviewer),
``second_opinion`` and ``requeued`` (an accepted term became obsolete) are *open*;
``accepted``, ``replaced``, ``no_term`` (a steward decided), ``curated`` (the mapping
set's own curated row) and ``auto`` (accepted at the threshold, as convert will) are not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from harmonize.mappings.decisions import HOLDING, Decision, ItemState
from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping
from harmonize.mappings.replay_match import Replayed, Similar
from harmonize.mappings.reviewed import Settled

__all__ = [
    "OPEN",
    "STATUSES",
    "STATUS_LABELS",
    "Item",
    "band_of",
    "bands",
    "filter_items",
    "next_item",
]

STATUSES = (
    "pending", "deferred", "assigned", "second_opinion", "requeued",
    "accepted", "replaced", "no_term", "curated", "auto",
)  # fmt: skip
OPEN = frozenset({"pending", "deferred", "assigned", "second_opinion", "requeued"})
#: How each status reads on screen.
STATUS_LABELS = {
    "pending": "pending",
    "deferred": "deferred",
    "assigned": "assigned",
    "second_opinion": "needs a second opinion",
    "requeued": "requeued",
    "accepted": "accepted",
    "replaced": "replaced",
    "no_term": "no suitable term",
    "curated": "curated",
    "auto": "auto-accepted",
}
Kind = Literal["value", "column"]


def bands(threshold: float) -> dict[str, tuple[float, float]]:
    """Confidence bands offered as a filter: name -> [low, high)."""
    return {"high": (threshold, 1.01), "medium": (0.7, threshold), "low": (0.0, 0.7)}


def band_of(confidence: float | None, threshold: float) -> str:
    if confidence is None:
        return "none"
    for name, (low, high) in bands(threshold).items():
        if low <= confidence < high:
            return name
    return "none"


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to review: a partner value (or column) and its candidates."""

    subject_id: str
    label: str
    column: str  # the partner-table column (or the subject's namespace, or the set title)
    set_id: str
    candidates: tuple[Mapping, ...]  # offered (not rejected, not curated), best first
    rejected: tuple[Mapping, ...]
    state: ItemState
    rows: int | None = None
    replayed: Replayed | None = None
    proposed: str | None = None  # a replacement for an obsolete accepted term
    ranked: tuple[Mapping, ...] = ()  # every candidate ever offered, rejected ones too
    settled: Settled | None = None  # decided, curated or auto (reviewed.settle)
    source: str | None = None  # the file the item's mapping set came from
    similar: Similar | None = None  # a decision on a value that resembles this one
    hedge: str | None = None  # a hedging word in the value ("?", "suspected", "no")
    kind: Kind = "value"
    threshold: float = 1.0

    @property
    def ontology(self) -> str:
        top = self.candidates[0].object_id if self.candidates else ""
        return top.partition(":")[0] if ":" in top else ""

    @property
    def top_confidence(self) -> float | None:
        return self.candidates[0].confidence if self.candidates else None

    @property
    def uncertainty(self) -> float:
        conf = self.top_confidence
        return 1.0 if conf is None else max(0.0, 1.0 - conf)

    @property
    def impact(self) -> float:
        return (self.rows if self.rows is not None else 1) * self.uncertainty

    @property
    def effective(self) -> ItemState:
        """The state that applies: the item's own, else the one replayed onto it."""
        if self.state.decision is None and self.replayed is not None:
            return self.replayed.state
        return self.state

    @property
    def status(self) -> str:
        if self.proposed is not None or (self.replayed is not None and self.replayed.obsolete):
            return "requeued"
        own = self.effective.status
        if own != "pending":
            return own
        if self.settled is not None and self.settled.basis != "decision":
            return "no_term" if self.settled.no_term else self.settled.basis
        return "pending"

    @property
    def is_replayed(self) -> bool:
        return self.state.version == 0 and self.replayed is not None and self.status != "pending"

    @property
    def open(self) -> bool:
        """Still needs a steward (pending, deferred, assigned, second opinion, requeued)."""
        return self.status in OPEN

    @property
    def band(self) -> str:
        return band_of(self.top_confidence, self.threshold)

    @property
    def never_had_candidates(self) -> bool:
        return not self.ranked

    @property
    def assignee(self) -> tuple[str, str | None] | None:
        d = self.effective.decision
        if d is None or d.action != "assign" or d.object_id is None:
            return None
        return d.object_id, d.object_label

    @property
    def agreement(self) -> bool | None:
        """Do the stewards who decided this item agree? None unless two or more did
        (each reviewer's latest accept / replace / no-term decision counts)."""
        latest: dict[str, tuple[str, ...]] = {}
        for d in self.state.history:
            if not d.undone and d.action in {"accept", "replace", "none"}:
                latest[d.reviewer_id] = tuple(sorted(t for t, _ in d.terms))
        if len(latest) < 2:
            return None
        return len(set(latest.values())) == 1

    @property
    def decision(self) -> Decision | None:
        return self.effective.decision

    @property
    def curated(self) -> tuple[Mapping, ...]:
        """The rows that settle the item without a steward (curated or auto)."""
        if self.settled is None or self.settled.basis == "decision":
            return ()
        return self.settled.rows

    @property
    def decided_label(self) -> str | None:
        """Label(s) of the decided or curated term(s), else None."""
        d = self.decision
        if d is not None and d.action not in HOLDING and d.object_id is not None:
            labels = {m.object_id: m.object_label for m in (*self.ranked, *self.candidates)}
            return ", ".join(label or labels.get(t) or t for t, label in d.terms)
        if self.curated:
            return ", ".join(m.object_label or m.object_id for m in self.curated)
        return None

    def is_rejected(self, mapping: Mapping) -> bool:
        return any(m.object_id == mapping.object_id for m in self.rejected)


def offered(rows: Sequence[Mapping]) -> list[Mapping]:
    """The candidates among a subject's rows: not negative, not curated, not "no term"."""
    from harmonize.mappings.decisions import NO_TERM

    return [
        m
        for m in rows
        if not m.negated
        and m.mapping_justification != JUSTIFICATION_MANUAL
        and m.object_id != NO_TERM
    ]


def filter_items(
    items: Iterable[Item],
    *,
    column: str | None = None,
    ontology: str | None = None,
    status: str | None = None,
    band: str | None = None,
    text: str | None = None,
    me: str | None = None,
) -> list[Item]:
    """Items passing every given filter (``status="open"``: still to do;
    ``"disputed"``: stewards disagree; ``"mine"``: assigned to reviewer id ``me``)."""
    needle = (text or "").casefold().strip()
    out = []
    for item in items:
        if column and item.column != column:
            continue
        if ontology and item.ontology != ontology:
            continue
        if status == "disputed":
            if item.agreement is not False:
                continue
        elif status == "mine":
            if item.assignee is None or item.assignee[0] != me or not item.open:
                continue
        elif status and not (item.open if status == "open" else item.status == status):
            continue
        if band and item.band != band:
            continue
        if needle and needle not in item.label.casefold():
            continue
        out.append(item)
    return out


def next_item(items: Sequence[Item], after: str | None) -> Item | None:
    """The next open item after ``after`` in queue order (wrapping), or None."""
    open_items = [i for i in items if i.open]
    if not open_items:
        return None
    ids = [i.subject_id for i in items]
    if after in ids:
        start = ids.index(after)
        for item in [*items[start + 1 :], *items[:start]]:
            if item.open:
                return item
        return None
    return open_items[0]
