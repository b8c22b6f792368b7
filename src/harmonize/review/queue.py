"""The review queue: mapping subjects as items, ordered by impact, with filters.

Pure functions over mapping sets, ledger states and row counts; no I/O. An item's
*impact* is the number of table rows its value covers times how uncertain the best
remaining suggestion is (``1 - confidence``), so the work that fixes most rows with the
least trustworthy suggestion comes first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AbstractMapping
from dataclasses import dataclass

from harmonize.mappings.decisions import NO_TERM, Decision, ItemState
from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping, MappingSet
from harmonize.mappings.replay import Replayed, grouped, namespace_of

__all__ = [
    "BANDS",
    "STATUSES",
    "ColumnProgress",
    "Item",
    "band_of",
    "build_items",
    "filter_items",
    "next_item",
    "progress",
    "rows_hint",
]

#: Confidence bands offered as a filter: name -> [low, high).
BANDS: dict[str, tuple[float, float]] = {
    "high": (0.95, 1.01),
    "medium": (0.7, 0.95),
    "low": (0.0, 0.7),
}
STATUSES = ("pending", "accepted", "replaced", "no_term", "deferred", "requeued", "disputed")


def band_of(confidence: float | None) -> str:
    if confidence is None:
        return "none"
    for name, (low, high) in BANDS.items():
        if low <= confidence < high:
            return name
    return "none"


def rows_hint(rows: Sequence[Mapping]) -> int | None:
    """A row count carried in the mapping set itself: ``other`` as JSON with a ``rows``
    (or ``count``/``frequency``) key, or ``other`` as ``rows=N``."""
    for m in rows:
        other = (m.other or "").strip()
        if not other:
            continue
        if other.startswith("{"):
            try:
                data = json.loads(other)
            except ValueError:
                continue
            if isinstance(data, dict):
                for key in ("rows", "count", "frequency"):
                    value = data.get(key)
                    if isinstance(value, int | float) and value >= 0:
                        return int(value)
        elif other.startswith("rows="):
            digits = other[5:].split(";")[0].strip()
            if digits.isdigit():
                return int(digits)
    return None


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to review: a partner value (or column) and its candidates."""

    subject_id: str
    label: str
    column: str  # the namespace (column or slot) of the subject, or the set's title
    set_id: str
    candidates: tuple[Mapping, ...]  # rejected ones removed, best first
    rejected: tuple[Mapping, ...]
    state: ItemState
    rows: int | None = None
    replayed: Replayed | None = None
    proposed: str | None = None  # a replacement for an obsolete accepted term

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
    def status(self) -> str:
        if self.proposed is not None or (self.replayed is not None and self.replayed.obsolete):
            return "requeued"
        own = self.state.status
        if own != "pending" or self.replayed is None:
            return own
        return self.replayed.state.status

    @property
    def is_replayed(self) -> bool:
        return self.state.version == 0 and self.replayed is not None and self.status != "pending"

    @property
    def open(self) -> bool:
        """Still needs a steward: pending, deferred or requeued."""
        return self.status in {"pending", "deferred", "requeued"}

    @property
    def band(self) -> str:
        return band_of(self.top_confidence)

    @property
    def agreement(self) -> bool | None:
        """Do the stewards who decided this item agree? None unless two or more did
        (each reviewer's latest accept / replace / no-term decision counts)."""
        latest: dict[str, str | None] = {}
        for d in self.state.history:
            if not d.undone and d.action in {"accept", "replace", "none"}:
                latest[d.reviewer_id] = d.object_id
        if len(latest) < 2:
            return None
        return len(set(latest.values())) == 1

    @property
    def decided_label(self) -> str | None:
        """Label of the decided term (from the decision, else from the candidates)."""
        d = self.decision
        if d is None or d.object_id is None or d.object_label:
            return d.object_label if d is not None else None
        object_id = d.object_id
        for m in (*self.candidates, *self.rejected):
            if m.object_id == object_id and m.object_label:
                return m.object_label
        return object_id

    @property
    def decision(self) -> Decision | None:
        if self.state.decision is not None:
            return self.state.decision
        return self.replayed.state.decision if self.replayed else None


def _title(ms: MappingSet) -> str:
    return ms.mapping_set_title or ms.mapping_set_id.rsplit("/", 1)[-1]


def build_items(
    mapping_sets: Iterable[MappingSet],
    states: AbstractMapping[str, ItemState],
    replayed: AbstractMapping[str, Replayed],
    counts: AbstractMapping[str, int],
    proposals: AbstractMapping[str, Mapping] | None = None,
    unmatched: AbstractMapping[str, tuple[str, str]] | None = None,
    previous: AbstractMapping[str, Item] | None = None,
    column_of: AbstractMapping[str, str] | None = None,
) -> list[Item]:
    """Items of every subject, in queue order (open items by impact, then the rest).

    ``counts``: rows per subject id (from the partner table); ``proposals``: a row to
    put first for subjects whose accepted term became obsolete; ``unmatched``: values
    of the table no mapping set has a candidate for (subject id -> (value, column)),
    queued with no candidate so a steward can search for a term or say there is none.
    ``column_of``: the partner-table column of a subject, when known (else its
    namespace is shown); ``previous``: the last build's items; an item whose state and replay are the very
    same objects is reused as is (the workbench rebuilds after every decision).
    """
    items: dict[str, Item] = {}
    for ms in mapping_sets:
        for subject, rows in grouped(ms).items():
            if subject in items:
                continue
            state = states.get(subject) or ItemState(subject)
            rep = replayed.get(subject)
            proposal = (proposals or {}).get(subject)
            old = (previous or {}).get(subject)
            if (
                old is not None
                and proposal is None
                and old.proposed is None
                and (old.state is state or (state.version == 0 and old.state.version == 0))
                and _same_replay(old.replayed, rep)
            ):
                items[subject] = old
                continue
            rejected_ids = {m.object_id for m in rows if m.negated} | set(state.rejected)
            if rep is not None and rep.state is not state:
                rejected_ids |= set(rep.state.rejected)
            candidates = [
                m
                for m in rows
                if not m.negated
                and m.object_id not in rejected_ids
                and m.mapping_justification != JUSTIFICATION_MANUAL
                and m.object_id != NO_TERM  # "the matcher found nothing" is no candidate
            ]
            proposal = (proposals or {}).get(subject)
            if proposal is not None:
                candidates = [
                    proposal,
                    *(m for m in candidates if m.object_id != proposal.object_id),
                ]
            seen: set[str] = set()
            unique: list[Mapping] = []
            for m in candidates:
                if m.object_id not in seen:
                    seen.add(m.object_id)
                    unique.append(m)
            rejected = [m for m in rows if not m.negated and m.object_id in rejected_ids]
            hint = rows_hint(rows)
            items[subject] = Item(
                subject_id=subject,
                label=rows[0].subject_label or subject,
                column=(column_of or {}).get(subject) or namespace_of(subject) or _title(ms),
                set_id=ms.mapping_set_id,
                candidates=tuple(unique),
                rejected=tuple(rejected),
                state=state,
                rows=counts.get(subject, hint),
                replayed=rep,
                proposed=proposal.object_id if proposal is not None else None,
            )
    for subject, (label, column) in (unmatched or {}).items():
        if subject in items:
            continue
        items[subject] = Item(
            subject_id=subject,
            label=label,
            column=column,
            set_id="",
            candidates=(),
            rejected=(),
            state=states.get(subject) or ItemState(subject),
            rows=counts.get(subject),
        )
    return sorted(
        items.values(),
        key=lambda i: (not i.open, -i.impact, -(i.rows or 0), i.column, i.label.casefold()),
    )


def _same_replay(a: Replayed | None, b: Replayed | None) -> bool:
    if a is None or b is None:
        return a is b
    return (
        a.state is b.state
        and a.via == b.via
        and a.obsolete == b.obsolete
        and a.replacement == b.replacement
    )


def filter_items(
    items: Iterable[Item],
    *,
    column: str | None = None,
    ontology: str | None = None,
    status: str | None = None,
    band: str | None = None,
    text: str | None = None,
) -> list[Item]:
    """Items passing every given filter (``status="open"`` = pending/deferred/requeued)."""
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


@dataclass(frozen=True, slots=True)
class ColumnProgress:
    column: str
    total: int
    decided: int
    replayed: int
    deferred: int
    open: int
    rows_total: int
    rows_decided: int
    auto: int  # open items whose top confidence reaches the auto-accept threshold
    double: int = 0  # items decided by two or more stewards
    agreed: int = 0  # of which they agree

    @property
    def agreement(self) -> int | None:
        return round(100 * self.agreed / self.double) if self.double else None

    @property
    def percent(self) -> int:
        return round(100 * self.decided / self.total) if self.total else 100


def progress(items: Iterable[Item], threshold: float = 0.95) -> list[ColumnProgress]:
    """Per column: how much is decided (directly or by replay), deferred, still open."""
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.column, []).append(item)
    out = []
    for column, group in sorted(grouped.items()):
        decided = [i for i in group if not i.open]
        out.append(
            ColumnProgress(
                column=column,
                total=len(group),
                decided=len(decided),
                replayed=sum(1 for i in decided if i.is_replayed),
                deferred=sum(1 for i in group if i.status == "deferred"),
                open=sum(1 for i in group if i.open),
                rows_total=sum(i.rows or 0 for i in group),
                rows_decided=sum(i.rows or 0 for i in decided),
                auto=sum(
                    1
                    for i in group
                    if i.open and (i.top_confidence or 0) >= threshold and i.proposed is None
                ),
                double=sum(1 for i in group if i.agreement is not None),
                agreed=sum(1 for i in group if i.agreement is True),
            )
        )
    return out
