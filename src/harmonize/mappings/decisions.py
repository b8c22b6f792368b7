"""Steward decisions on mappings: the record, the state they add up to, and SSSOM.

A :class:`Decision` is one act of a reviewer on one mapping subject (a partner value or
column): ``accept`` or ``replace`` (a term is chosen), ``reject`` (one candidate is wrong
and must never be offered again), ``none`` ("no suitable term"), ``defer``, or ``undo``
of an earlier decision. Decisions are only ever appended; :func:`fold` turns a subject's
history into its current :class:`ItemState`.

Decisions travel as SSSOM (:func:`decisions_to_sssom` / :func:`decisions_from_sssom`):
chosen terms as ``semapv:ManualMappingCuration`` rows with ``author_id`` and
``mapping_date``; "no suitable term" as ``object_id: sssom:NoTermFound``; rejections as a
separate negative mapping set (``predicate_modifier: Not``). Everything here is pure.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, cast

from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping, MappingSet

__all__ = [
    "ACTIONS",
    "CHOOSING",
    "NO_TERM",
    "Action",
    "Decision",
    "ItemState",
    "Reviewer",
    "decisions_from_sssom",
    "decisions_to_sssom",
    "fold",
    "new_decision",
    "reviewer",
    "utc_now",
    "with_seq",
]

Action = Literal["accept", "replace", "reject", "none", "defer", "undo"]
ACTIONS: tuple[Action, ...] = ("accept", "replace", "reject", "none", "defer", "undo")
#: Actions that settle which term a subject maps to.
CHOOSING: frozenset[str] = frozenset({"accept", "replace"})
#: SSSOM's object for "we looked and there is no suitable term".
NO_TERM = "sssom:NoTermFound"
_ORCID = re.compile(r"^(?:https?://orcid\.org/|orcid:)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.I)


def utc_now() -> str:
    """The current time, ISO 8601 in UTC with seconds (``2026-11-25T15:04:05Z``)."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class Reviewer:
    """Who decided: ``id`` is a CURIE (``orcid:...`` or a local one), ``label`` a name."""

    id: str
    label: str


def reviewer(name_or_orcid: str) -> Reviewer:
    """A :class:`Reviewer` from an ORCID (bare, ``orcid:`` or URL form) or a plain name.

    >>> reviewer("https://orcid.org/0000-0002-1825-0097")
    Reviewer(id='orcid:0000-0002-1825-0097', label='0000-0002-1825-0097')
    >>> reviewer("Ada Steward").id
    'local:reviewer/Ada_Steward-18c929'

    An ORCID iD's check digit is verified (ISO 7064 MOD 11-2).
    """
    from harmonize.curie import local_curie

    text = " ".join(name_or_orcid.split())
    match = _ORCID.match(text)
    if match:
        from stdnum.iso7064 import mod_11_2

        orcid = match.group(1).upper()
        if not mod_11_2.is_valid(orcid.replace("-", "")):
            from harmonize.errors import ReviewError

            raise ReviewError("not a valid ORCID iD (its check digit is wrong)", value=text)
        return Reviewer(f"orcid:{orcid}", orcid)
    if text.startswith("local:"):
        return Reviewer(text, text.rpartition("/")[2] or text)
    return Reviewer(local_curie("reviewer", text or "anonymous"), text or "anonymous")


@dataclass(frozen=True, slots=True)
class Decision:
    """One steward decision (one row of the ledger).

    ``confidence``, ``evidence`` and ``shown`` record what the reviewer saw: the
    confidence and explanation of the chosen (or rejected) candidate and the ids of all
    candidates on screen. ``target_uid`` is the decision an ``undo`` cancels;
    ``undone`` is set when a later ``undo`` cancelled this one.
    """

    uid: str
    subject_id: str
    action: Action
    reviewer_id: str
    created_at: str
    subject_label: str | None = None
    object_id: str | None = None
    object_label: str | None = None
    predicate_id: str = "skos:exactMatch"
    reviewer_label: str | None = None
    comment: str | None = None
    confidence: float | None = None
    evidence: str | None = None
    shown: tuple[str, ...] = ()
    mapping_set_id: str | None = None
    target_uid: str | None = None
    undone: bool = False
    seq: int | None = None  # ledger row number (order of recording), None before storing

    @property
    def date(self) -> str:
        return self.created_at[:10]


def new_decision(
    subject_id: str,
    action: Action,
    who: Reviewer,
    *,
    subject_label: str | None = None,
    object_id: str | None = None,
    object_label: str | None = None,
    predicate_id: str | None = None,
    comment: str | None = None,
    confidence: float | None = None,
    evidence: str | None = None,
    shown: Sequence[str] = (),
    mapping_set_id: str | None = None,
    target_uid: str | None = None,
) -> Decision:
    """A fresh decision stamped with a new uid and the current UTC time."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action in CHOOSING or action == "reject":
        if not object_id:
            raise ValueError(f"a {action} decision needs an object_id")
    elif action == "none":
        object_id, object_label = NO_TERM, object_label or "no suitable term"
    elif action == "defer":
        object_id = object_label = None  # "later" is about the item, not a term
    return Decision(
        uid=uuid.uuid4().hex,
        subject_id=subject_id,
        action=action,
        reviewer_id=who.id,
        reviewer_label=who.label,
        created_at=utc_now(),
        subject_label=subject_label,
        object_id=object_id,
        object_label=object_label,
        predicate_id=predicate_id or "skos:exactMatch",
        comment=comment or None,
        confidence=confidence,
        evidence=evidence,
        shown=tuple(shown),
        mapping_set_id=mapping_set_id,
        target_uid=target_uid,
    )


Status = Literal["pending", "accepted", "replaced", "no_term", "deferred"]
_STATUS: dict[str, Status] = {
    "accept": "accepted",
    "replace": "replaced",
    "none": "no_term",
    "defer": "deferred",
}


@dataclass(frozen=True, slots=True)
class ItemState:
    """Where one subject stands: its version, the settling decision, rejected terms."""

    subject_id: str
    version: int = 0
    decision: Decision | None = None
    rejected: frozenset[str] = frozenset()
    history: tuple[Decision, ...] = ()

    @property
    def status(self) -> Status:
        return _STATUS[self.decision.action] if self.decision is not None else "pending"

    @property
    def chosen(self) -> str | None:
        """The term this subject maps to after review (None unless accepted/replaced)."""
        d = self.decision
        return d.object_id if d is not None and d.action in CHOOSING else None

    @property
    def decided(self) -> bool:
        return self.status in {"accepted", "replaced", "no_term"}

    @property
    def last(self) -> Decision | None:
        return self.history[-1] if self.history else None


def fold(subject_id: str, history: Iterable[Decision], version: int | None = None) -> ItemState:
    """The state a subject's decision history (in recording order) adds up to.

    Undone decisions and ``undo`` records are skipped. A later rejection of the chosen
    term cancels the choice; a later acceptance of a rejected term lifts the rejection.
    """
    rows = tuple(history)
    decision: Decision | None = None
    rejected: set[str] = set()
    for d in rows:
        if d.undone or d.action == "undo":
            continue
        if d.action == "reject":
            rejected.add(cast(str, d.object_id))
            if decision is not None and decision.object_id == d.object_id:
                decision = None
        elif d.action in CHOOSING:
            rejected.discard(cast(str, d.object_id))
            decision = d
        else:
            decision = d
    return ItemState(
        subject_id=subject_id,
        version=len(rows) if version is None else version,
        decision=decision,
        rejected=frozenset(rejected),
        history=rows,
    )


# -- SSSOM ------------------------------------------------------------------------------


def _other(d: Decision) -> str:
    data: dict[str, object] = {"decision": d.uid, "action": d.action, "time": d.created_at}
    if d.confidence is not None:
        data["shown_confidence"] = round(d.confidence, 4)
    if d.evidence:
        data["shown_evidence"] = d.evidence
    if d.shown:
        data["shown_candidates"] = list(d.shown)
    if d.mapping_set_id:
        data["mapping_set"] = d.mapping_set_id
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _row(d: Decision, *, negative: bool) -> Mapping:
    return Mapping(
        subject_id=d.subject_id,
        subject_label=d.subject_label,
        predicate_id=d.predicate_id,
        predicate_modifier="Not" if negative else None,
        object_id=cast(str, d.object_id),
        object_label=d.object_label,
        mapping_justification=JUSTIFICATION_MANUAL,
        author_id=(d.reviewer_id,),
        author_label=(d.reviewer_label,) if d.reviewer_label else (),
        mapping_date=d.date,
        comment=d.comment,
        other=_other(d),
    )


def decisions_to_sssom(
    states: Iterable[ItemState], *, set_id: str, title: str | None = None
) -> tuple[MappingSet, MappingSet]:
    """(positive set, negative set) of the current decisions in ``states``.

    The positive set holds one row per subject that is accepted, replaced or has no
    suitable term; the negative set one row per rejected (subject, term) pair.
    Deferred and pending subjects are left out.
    """
    positive: list[Mapping] = []
    negative: list[Mapping] = []
    for state in sorted(states, key=lambda s: s.subject_id):
        if state.decided and state.decision is not None:
            positive.append(_row(state.decision, negative=False))
        latest_reject: dict[str, Decision] = {}
        for d in state.history:
            if d.action == "reject" and not d.undone and d.object_id in state.rejected:
                latest_reject[d.object_id] = d
        negative.extend(_row(d, negative=True) for _, d in sorted(latest_reject.items()))
    dates = [m.mapping_date for m in (*positive, *negative) if m.mapping_date]
    common = {
        "mapping_tool": "harmonize review",
        "mapping_date": max(dates) if dates else utc_now()[:10],
    }
    return (
        MappingSet(
            mapping_set_id=set_id,
            mappings=tuple(positive),
            mapping_set_title=title or "Reviewed mappings (steward decisions)",
            mapping_set_description="Mappings accepted or corrected by a data steward.",
            **common,  # type: ignore[arg-type]
        ),
        MappingSet(
            mapping_set_id=f"{set_id}/negative",
            mappings=tuple(negative),
            mapping_set_title=f"{title or 'Reviewed mappings'}: rejected candidates",
            mapping_set_description="Candidates a data steward rejected (negative mappings).",
            **common,  # type: ignore[arg-type]
        ),
    )


def _uid_for(m: Mapping, action: str) -> str:
    key = "\x00".join(
        str(x) for x in (m.subject_id, m.object_id, action, m.author_id, m.mapping_date)
    )
    return "sssom-" + hashlib.sha1(key.encode()).hexdigest()[:24]


def _author(author_id: str | None, label: str | None) -> Reviewer:
    """Who a curated row names, taken as written (a file from elsewhere is not ours to
    police: an ``author_id`` CURIE is kept even if it is not a valid ORCID iD)."""
    from harmonize.curie import is_curie

    if author_id and is_curie(author_id):
        return Reviewer(author_id, label or author_id.partition(":")[2])
    return (
        reviewer(label or author_id or "unknown") if (label or author_id) else reviewer("unknown")
    )


def decisions_from_sssom(mapping_set: MappingSet) -> list[Decision]:
    """The decisions recorded in a (positive or negative) SSSOM set written by review.

    Only ``semapv:ManualMappingCuration`` rows count; one marked ``"action": "defer"``
    in ``other`` (a reviewed export's deferred subject) is a ``defer``, and candidates
    marked ``"deferred"`` are not decisions. A row this module wrote keeps its
    decision uid (in ``other``), so importing the same file twice adds nothing; rows from
    elsewhere get a uid derived from their content.
    """
    out: list[Decision] = []
    for m in mapping_set:
        if m.mapping_justification != JUSTIFICATION_MANUAL:
            continue
        extra: dict[str, object] = {}
        if m.other and m.other.lstrip().startswith("{"):
            try:
                loaded = json.loads(m.other)
            except ValueError:
                loaded = {}
            extra = loaded if isinstance(loaded, dict) else {}
        if extra.get("deferred"):
            continue  # a candidate of a deferred subject (reviewed export): no decision
        action: Action
        object_id: str | None = m.object_id
        object_label = m.object_label
        if m.negated:
            action = "reject"
        elif extra.get("action") == "defer":
            action, object_id, object_label = "defer", None, None
        elif m.object_id == NO_TERM:
            action = "none"
        else:
            action = "replace" if extra.get("action") == "replace" else "accept"
        author_label = m.author_label[0] if m.author_label else None
        who = _author(m.author_id[0] if m.author_id else None, author_label)
        date = m.mapping_date or mapping_set.mapping_date or utc_now()[:10]
        time = str(extra.get("time") or f"{date}T00:00:00.000000Z")
        shown = extra.get("shown_candidates")
        confidence = extra.get("shown_confidence")
        out.append(
            Decision(
                uid=str(extra.get("decision") or _uid_for(m, action)),
                subject_id=m.subject_id,
                action=action,
                reviewer_id=who.id,
                reviewer_label=author_label or who.label,
                created_at=time,
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
        )
    return out


def with_seq(decision: Decision, seq: int, *, undone: bool) -> Decision:
    """``decision`` as stored: with its ledger row number and undone flag."""
    return replace(decision, seq=seq, undone=undone)
