"""Turn what a steward did on an item page into a :class:`Decision` (checked first)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from harmonize.errors import ReviewError
from harmonize.mappings.decisions import CHOOSING, Action, Decision, Reviewer, new_decision

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping
    from harmonize.review.queue import Item
    from harmonize.review.workspace import Workspace

__all__ = ["decision_for"]


def _known(item: Item, term_id: str) -> Mapping | None:
    return next((m for m in item.ranked if m.object_id == term_id), None)


def _term(workspace: Workspace, item: Item, term_id: str) -> tuple[str | None, bool]:
    """(label, is a candidate) of a term a steward names; refused when it is neither a
    candidate of the item nor a term of the item's branch in the loaded ontology."""
    cand = _known(item, term_id)
    if cand is not None:
        return cand.object_label, True
    index = workspace.index
    term = index.get(term_id) if index is not None else None
    if index is None or term is None:
        raise ReviewError("unknown term: not a candidate nor in the ontology", value=term_id)
    roots = workspace.item_roots(item)
    if roots and not index.is_under(term_id, roots):
        raise ReviewError("term lies outside the slot's branch", value=term_id)
    return term.label, False


def decision_for(
    workspace: Workspace,
    item: Item,
    action: Action,
    who: Reviewer,
    *,
    object_id: str | None = None,
    comment: str | None = None,
    predicate: str | None = None,
    also: Sequence[str] = (),
    assignee: Reviewer | None = None,
) -> Decision:
    """The decision ``who`` takes on ``item`` (a term not among the candidates turns an
    accept into a replace; ``also`` adds terms; ``assignee`` is who an assign names)."""
    from harmonize.mappings.model import PREDICATES

    if predicate and predicate not in PREDICATES:
        raise ReviewError("unknown mapping predicate", value=predicate)
    if action == "undo":
        raise ReviewError("undo is its own request, not a decision", value=action)
    label = None
    if action in CHOOSING or action == "reject" or (action == "second_opinion" and object_id):
        if not object_id:
            raise ReviewError(f"{action} needs a term", value=item.subject_id)
        label, is_candidate = _term(workspace, item, object_id)
        if not is_candidate and action == "accept":
            action = "replace"
    more = []
    for term_id in also:
        if action not in CHOOSING:
            raise ReviewError(f"a {action} names one term at most", value=term_id)
        more.append((term_id, _term(workspace, item, term_id)[0]))
        if not _known(item, term_id) and action == "accept":
            action = "replace"
    if action == "assign":
        if assignee is None:
            raise ReviewError("assign to whom? type the reviewer's name or ORCID iD")
        object_id, label = assignee.id, assignee.label
    elif action not in CHOOSING and action not in {"reject", "second_opinion"}:
        object_id = None
    cand = _known(item, object_id) if object_id else None
    shown_from = cand or (item.candidates[0] if item.candidates else None)
    decision = new_decision(
        item.subject_id,
        action,
        who,
        subject_label=item.label,
        object_id=object_id,
        object_label=label,
        predicate_id=cand.predicate_id if cand is not None else None,
        comment=comment,
        confidence=shown_from.confidence if shown_from is not None else None,
        evidence=(shown_from.comment or "|".join(shown_from.match_string) or None)
        if shown_from
        else None,
        shown=[m.object_id for m in item.candidates],
        mapping_set_id=item.set_id or None,
        also=[(t, lab) for t, lab in more if t != object_id],
    )
    if predicate and action in CHOOSING:
        decision = replace(decision, predicate_id=predicate)
    return decision
