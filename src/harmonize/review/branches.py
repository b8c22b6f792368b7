"""Which ontology branch a value under review must come from: its column's slot binding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.review.queue import Item
    from harmonize.review.workspace import Workspace

__all__ = ["slot_roots", "slot_roots_for"]


def slot_roots(workspace: Workspace) -> dict[str, tuple[str, ...]]:
    """Slot URI / name -> branch roots, for the ontology-bound slots of the schema."""
    out: dict[str, tuple[str, ...]] = {}
    if workspace.schema is None:
        return out
    for _, slot in workspace.schema.all_slots():
        if slot.binding.roots:
            out.setdefault(slot.uri, slot.binding.roots)
            out.setdefault(slot.name, slot.binding.roots)
    return out


def slot_roots_for(workspace: Workspace, item: Item, items: Sequence[Item]) -> tuple[str, ...]:
    """The roots of the slot chosen (or suggested first) for ``item``'s column in a column
    mapping set under review; () when there is none or no schema is loaded."""
    by_slot = slot_roots(workspace)
    if not by_slot:
        return ()
    index = workspace.index
    for other in items:
        if other.label != item.column or other.subject_id == item.subject_id:
            continue
        slot = other.effective.chosen or (
            other.candidates[0].object_id if other.candidates else None
        )
        if slot is None:
            continue
        roots = by_slot.get(slot) or by_slot.get(slot.partition(":")[2])
        if roots and index is not None:
            roots = tuple(r for r in roots if r in index)
        if roots:
            return roots
    return ()
