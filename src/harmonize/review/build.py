"""Assemble the queue's items from mapping sets, ledger states and the partner table. Pure."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AbstractMapping
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.mappings.decisions import ItemState
from harmonize.mappings.model import Mapping, MappingSet
from harmonize.mappings.replay_match import Replayed, Similar, grouped, namespace_of
from harmonize.mappings.reviewed import settle
from harmonize.review.queue import Item, offered
from harmonize.review.table_index import TableIndex

__all__ = ["Inputs", "build_items", "rows_hint"]


def rows_hint(rows: Sequence[Mapping]) -> int | None:
    """A row count carried in the mapping set itself: ``other`` as JSON with a ``rows``
    (or ``count``/``frequency``) key, or ``other`` as ``rows=N``."""
    for m in rows:
        other = (m.other or "").strip()
        if other.startswith("{"):
            try:
                data = json.loads(other)
            except ValueError:
                continue
            for key in ("rows", "count", "frequency") if isinstance(data, dict) else ():
                value = data.get(key)
                if isinstance(value, int | float) and value >= 0:
                    return int(value)
        elif other.startswith("rows="):
            digits = other[5:].split(";")[0].strip()
            if digits.isdecimal():
                return int(digits)
    return None


@functools.lru_cache(maxsize=262_144)
def _hedge(label: str) -> str | None:
    from harmonize.text.values import hedge

    return hedge(label)


@dataclass
class Inputs:
    """Everything an item is made of, gathered by the workspace."""

    sets: Sequence[tuple[Path | None, MappingSet]]
    states: AbstractMapping[str, ItemState]
    replayed: AbstractMapping[str, Replayed]
    threshold: float
    table: TableIndex = field(default_factory=TableIndex)
    proposals: AbstractMapping[str, Mapping] = field(default_factory=dict)
    similar: AbstractMapping[str, Similar] = field(default_factory=dict)
    previous: AbstractMapping[str, Item] = field(default_factory=dict)


def _title(ms: MappingSet) -> str:
    return ms.mapping_set_title or ms.mapping_set_id.rsplit("/", 1)[-1]


def _reusable(old: Item | None, state: ItemState, inputs: Inputs, subject: str) -> bool:
    """Is last build's item still right (same state, replay and evidence objects)?"""
    if old is None or old.proposed is not None or subject in inputs.proposals:
        return False
    rep, sim = inputs.replayed.get(subject), inputs.similar.get(subject)
    same_state = old.state is state or (state.version == 0 and old.state.version == 0)
    same_rep = old.replayed is rep or (
        old.replayed is not None
        and rep is not None
        and (old.replayed.state, old.replayed.via, old.replayed.obsolete)
        == (rep.state, rep.via, rep.obsolete)
    )
    same_sim = old.similar is sim or (
        old.similar is not None and sim is not None and old.similar.state is sim.state
    )
    return same_state and same_rep and same_sim


def _item(
    subject: str, rows: list[Mapping], path: Path | None, ms: MappingSet, inputs: Inputs
) -> Item:
    state = inputs.states.get(subject) or ItemState(subject)
    rep = inputs.replayed.get(subject)
    rejected_ids = {m.object_id for m in rows if m.negated} | set(state.rejected)
    if rep is not None and rep.state is not state:
        rejected_ids |= set(rep.state.rejected)
    ranked: list[Mapping] = []
    proposal = inputs.proposals.get(subject)
    for m in [proposal, *offered(rows)] if proposal is not None else offered(rows):
        if all(m.object_id != r.object_id for r in ranked):
            ranked.append(m)
    label = rows[0].subject_label or subject
    return Item(
        subject_id=subject,
        label=label,
        column=inputs.table.column_of.get(subject) or namespace_of(subject) or _title(ms),
        set_id=ms.mapping_set_id,
        candidates=tuple(m for m in ranked if m.object_id not in rejected_ids),
        rejected=tuple(m for m in ranked if m.object_id in rejected_ids),
        state=state,
        rows=inputs.table.counts.get(subject, rows_hint(rows)),
        replayed=rep,
        proposed=proposal.object_id if proposal is not None else None,
        ranked=tuple(ranked),
        settled=settle(subject, rows, rep, inputs.threshold),
        source=path.name if path is not None else None,
        similar=inputs.similar.get(subject),
        hedge=_hedge(label),
        kind="column" if subject in inputs.table.columns else "value",
        threshold=inputs.threshold,
    )


def build_items(inputs: Inputs) -> list[Item]:
    """Items of every subject, in queue order (open items by impact, then the rest).

    Values of the table no mapping set has a candidate for are queued with none, so a
    steward can search for a term or say there is none. An item of the last build
    (``inputs.previous``) whose state, replay and evidence are the very same objects is
    reused as is (the workbench rebuilds after every decision).
    """
    items: dict[str, Item] = {}
    for path, ms in inputs.sets:
        for subject, rows in grouped(ms).items():
            if subject in items:
                continue
            state = inputs.states.get(subject) or ItemState(subject)
            old = inputs.previous.get(subject)
            if old is not None and _reusable(old, state, inputs, subject):
                items[subject] = old
                continue
            items[subject] = _item(subject, rows, path, ms, inputs)
    for subject, (label, column) in inputs.table.unmatched.items():
        if subject not in items:
            items[subject] = Item(
                subject_id=subject,
                label=label,
                column=column,
                set_id="",
                candidates=(),
                rejected=(),
                state=inputs.states.get(subject) or ItemState(subject),
                rows=inputs.table.counts.get(subject),
                replayed=inputs.replayed.get(subject),
                similar=inputs.similar.get(subject),
                hedge=_hedge(label),
                threshold=inputs.threshold,
            )
    return sorted(
        items.values(),
        key=lambda i: (not i.open, -i.impact, -(i.rows or 0), i.column, i.label.casefold()),
    )


def unmatched_subjects(table: TableIndex) -> Iterable[tuple[str, str, frozenset[str]]]:
    """``(subject, value, no candidates)`` of the table's values no set has rows for."""
    return ((s, label, frozenset()) for s, (label, _) in table.unmatched.items())
