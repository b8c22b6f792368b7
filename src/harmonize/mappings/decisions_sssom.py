"""Steward decisions as SSSOM, and back.

Chosen terms become ``semapv:ManualMappingCuration`` rows with ``author_id`` and
``mapping_date`` (a decision naming several terms gives one row per term, sharing the
decision uid in ``other``); "no suitable term" is ``object_id: sssom:NoTermFound``;
rejections form a separate negative mapping set (``predicate_modifier: Not``). Pure.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import cast

from harmonize.mappings.decisions import (
    CHOOSING,
    HOLDING,
    NO_TERM,
    Action,
    Decision,
    ItemState,
    Reviewer,
    reviewer,
    utc_now,
)
from harmonize.mappings.extras import dump_extras, extras_of
from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping, MappingSet

__all__ = ["decision_rows", "decisions_from_sssom", "decisions_to_sssom"]


def _other(d: Decision, terms: int) -> str:
    data: dict[str, object] = {"decision": d.uid, "action": d.action, "time": d.created_at}
    if terms > 1:
        data["terms"] = terms
    if d.confidence is not None:
        data["shown_confidence"] = round(d.confidence, 4)
    if d.evidence:
        data["shown_evidence"] = d.evidence
    if d.shown:
        data["shown_candidates"] = list(d.shown)
    if d.mapping_set_id:
        data["mapping_set"] = d.mapping_set_id
    return dump_extras(data)


def decision_rows(d: Decision, *, negative: bool = False) -> list[Mapping]:
    """The SSSOM rows of one decision: one per term it names."""
    terms = d.terms if d.action in CHOOSING else ((cast(str, d.object_id), d.object_label),)
    return [
        Mapping(
            subject_id=d.subject_id,
            subject_label=d.subject_label,
            predicate_id=d.predicate_id,
            predicate_modifier="Not" if negative else None,
            object_id=term,
            object_label=label,
            mapping_justification=JUSTIFICATION_MANUAL,
            author_id=(d.reviewer_id,),
            author_label=(d.reviewer_label,) if d.reviewer_label else (),
            mapping_date=d.date,
            comment=d.comment,
            other=_other(d, len(terms)),
        )
        for term, label in terms
    ]


def decisions_to_sssom(
    states: Iterable[ItemState], *, set_id: str, title: str | None = None
) -> tuple[MappingSet, MappingSet]:
    """(positive set, negative set) of the current decisions in ``states``.

    The positive set holds the rows of each subject that is accepted, replaced or has no
    suitable term; the negative set one row per rejected (subject, term) pair. Pending
    subjects and those held open (deferred, assigned, second opinion) are left out.
    """
    positive: list[Mapping] = []
    negative: list[Mapping] = []
    for state in sorted(states, key=lambda s: s.subject_id):
        if state.decided and state.decision is not None:
            positive.extend(decision_rows(state.decision))
        latest_reject: dict[str, Decision] = {}
        for d in state.history:
            if d.action == "reject" and not d.undone and d.object_id in state.rejected:
                latest_reject[d.object_id] = d
        for _, d in sorted(latest_reject.items()):
            negative.extend(decision_rows(d, negative=True))
    dates = [m.mapping_date for m in (*positive, *negative) if m.mapping_date]
    date = max(dates) if dates else utc_now()[:10]
    return (
        MappingSet(
            mapping_set_id=set_id,
            mappings=tuple(positive),
            mapping_set_title=title or "Reviewed mappings (steward decisions)",
            mapping_set_description="Mappings accepted or corrected by a data steward.",
            mapping_tool="harmonize review",
            mapping_date=date,
        ),
        MappingSet(
            mapping_set_id=f"{set_id}/negative",
            mappings=tuple(negative),
            mapping_set_title=f"{title or 'Reviewed mappings'}: rejected candidates",
            mapping_set_description="Candidates a data steward rejected (negative mappings).",
            mapping_tool="harmonize review",
            mapping_date=date,
        ),
    )


def _uid_for(m: Mapping, action: str) -> str:
    key = "\x00".join(str(x) for x in (m.subject_id, action, "|".join(m.author_id), m.mapping_date))
    if action not in CHOOSING:  # rows of one accept share a uid; others are one term each
        key += f"\x00{m.object_id}"
    return "sssom-" + hashlib.sha1(key.encode()).hexdigest()[:24]


def _author(author_id: str | None, label: str | None) -> Reviewer:
    """Who a curated row names, taken as written (a file from elsewhere is not ours to
    police: an ``author_id`` CURIE is kept even if it is not a valid ORCID iD)."""
    from harmonize.curie import is_curie

    if author_id and is_curie(author_id):
        return Reviewer(author_id, label or author_id.partition(":")[2])
    return reviewer(label or author_id or "unknown")


def _action(m: Mapping, extra: dict[str, object]) -> Action:
    marked = extra.get("action")
    if m.negated:
        return "reject"
    if isinstance(marked, str) and marked in HOLDING:
        return cast(Action, marked)
    if m.object_id == NO_TERM:
        return "none"
    return "replace" if marked == "replace" else "accept"


def _decision(m: Mapping, extra: dict[str, object], mapping_set: MappingSet) -> Decision:
    action = _action(m, extra)
    object_id: str | None = m.object_id
    object_label = m.object_label
    if action == "defer":
        object_id = object_label = None
    elif action in HOLDING and m.object_id == NO_TERM:  # an export's marker row
        assignee = extra.get("assignee")
        object_id = str(assignee) if assignee else None
        object_label = str(extra.get("assignee_label") or "") or None
    author_label = m.author_label[0] if m.author_label else None
    who = _author(m.author_id[0] if m.author_id else None, author_label)
    date = m.mapping_date or mapping_set.mapping_date or utc_now()[:10]
    shown = extra.get("shown_candidates")
    confidence = extra.get("shown_confidence")
    return Decision(
        uid=str(extra.get("decision") or _uid_for(m, action)),
        subject_id=m.subject_id,
        action=action,
        reviewer_id=who.id,
        reviewer_label=author_label or who.label,
        created_at=str(extra.get("time") or f"{date}T00:00:00.000000Z"),
        subject_label=m.subject_label,
        object_id=object_id,
        object_label=object_label,
        predicate_id=m.predicate_id,
        comment=m.comment,
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
        evidence=str(extra["shown_evidence"]) if extra.get("shown_evidence") else None,
        shown=tuple(str(s) for s in shown) if isinstance(shown, list) else (),
        mapping_set_id=str(extra.get("mapping_set") or mapping_set.mapping_set_id),
    )


def decisions_from_sssom(mapping_set: MappingSet) -> list[Decision]:
    """The decisions recorded in a (positive or negative) SSSOM set written by review.

    Only ``semapv:ManualMappingCuration`` rows count; a marker row of a reviewed export
    (``"action": "defer"``, ``"assign"`` or ``"second_opinion"`` in ``other``) is that
    decision, and candidates marked ``"deferred"`` are not decisions. Rows of one
    decision (the same uid in ``other``; for rows from elsewhere, the same subject,
    author and date) become one decision naming several terms. A row this module wrote
    keeps its decision uid, so importing the same file twice adds nothing.
    """
    out: dict[str, Decision] = {}
    for m in mapping_set:
        if m.mapping_justification != JUSTIFICATION_MANUAL:
            continue
        extra = extras_of(m)
        if extra.get("deferred"):
            continue  # a candidate of a held subject (reviewed export): no decision
        d = _decision(m, extra, mapping_set)
        known = out.get(d.uid)
        if known is None:
            out[d.uid] = d
        elif d.action in CHOOSING and d.object_id not in {t for t, _ in known.terms}:
            out[d.uid] = _with_term(known, cast(str, d.object_id), d.object_label)
    return list(out.values())


def _with_term(d: Decision, term: str, label: str | None) -> Decision:
    from dataclasses import replace

    return replace(d, also=(*d.also, (term, label)))
