"""Steward decisions on mappings: the record, and the state they add up to.

A :class:`Decision` is one act of a reviewer on one mapping subject (a partner value or
column): ``accept`` or ``replace`` (a term is chosen; ``also`` holds more terms when one
value names several, "liver and kidney"), ``reject`` (one candidate is wrong and must never
be offered again), ``none`` ("no suitable term"), ``defer``, ``assign`` (hand the item to
another reviewer, named by ``object_id``), ``second_opinion`` (ask another steward to
look; ``object_id`` may name the term the first one leans to), or ``undo`` of an earlier
decision. Decisions are only ever appended; :func:`fold` turns a subject's history into
its current :class:`ItemState`. Their SSSOM form is in
:mod:`harmonize.mappings.decisions_sssom`. Everything here is pure.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, cast

__all__ = [
    "ACTIONS",
    "CHOOSING",
    "HOLDING",
    "NO_TERM",
    "Action",
    "Decision",
    "ItemState",
    "Reviewer",
    "Status",
    "fold",
    "new_decision",
    "reviewer",
    "utc_now",
    "with_seq",
]

Action = Literal["accept", "replace", "reject", "none", "defer", "assign", "second_opinion", "undo"]
ACTIONS: tuple[Action, ...] = (
    "accept", "replace", "reject", "none", "defer", "assign", "second_opinion", "undo",
)  # fmt: skip
#: Actions that settle which term(s) a subject maps to.
CHOOSING: frozenset[str] = frozenset({"accept", "replace"})
#: Actions that keep a subject open for a person ("not yet", "you look", "someone else
#: look"): nothing is chosen, and no score may accept the subject meanwhile.
HOLDING: frozenset[str] = frozenset({"defer", "assign", "second_opinion"})
#: SSSOM's object for "we looked and there is no suitable term".
NO_TERM = "sssom:NoTermFound"
_ORCID = re.compile(r"^(?:https?://orcid\.org/|orcid:)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.I)


def utc_now() -> str:
    """The current time, ISO 8601 in UTC with microseconds (``2026-11-25T15:04:05.000001Z``)."""
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

    An ORCID iD's check digit is verified (ISO 7064 MOD 11-2); an empty name is refused
    (every decision is someone's).
    """
    from harmonize.curie import local_curie
    from harmonize.errors import ReviewError

    text = " ".join(name_or_orcid.split())
    if not text:
        raise ReviewError("a reviewer needs a name or an ORCID iD")
    match = _ORCID.match(text)
    if match:
        from stdnum.iso7064 import mod_11_2

        orcid = match.group(1).upper()
        if not mod_11_2.is_valid(orcid.replace("-", "")):
            raise ReviewError("not a valid ORCID iD (its check digit is wrong)", value=text)
        return Reviewer(f"orcid:{orcid}", orcid)
    if text.startswith("local:"):
        return Reviewer(text, text.rpartition("/")[2] or text)
    return Reviewer(local_curie("reviewer", text), text)


@dataclass(frozen=True, slots=True)
class Decision:
    """One steward decision (one row of the ledger).

    ``confidence``, ``evidence`` and ``shown`` record what the reviewer saw: the
    confidence and explanation of the chosen (or rejected) candidate and the ids of all
    candidates on screen. ``also`` holds further ``(term id, label)`` pairs of an accept
    or replace that maps the value to several terms. ``target_uid`` is the decision an
    ``undo`` cancels; ``undone`` is set when a later ``undo`` cancelled this one.
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
    also: tuple[tuple[str, str | None], ...] = ()
    undone: bool = False
    seq: int | None = None  # ledger row number (order of recording), None before storing

    @property
    def date(self) -> str:
        return self.created_at[:10]

    @property
    def terms(self) -> tuple[tuple[str, str | None], ...]:
        """Every ``(term id, label)`` this decision names, the main one first."""
        if self.object_id is None:
            return self.also
        return ((self.object_id, self.object_label), *self.also)


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
    also: Sequence[tuple[str, str | None]] = (),
) -> Decision:
    """A fresh decision stamped with a new uid and the current UTC time."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action in CHOOSING or action in {"reject", "assign"}:
        if not object_id:
            raise ValueError(f"a {action} decision needs an object_id")
    elif action == "none":
        object_id, object_label = NO_TERM, object_label or "no suitable term"
    elif action == "defer":
        object_id = object_label = None  # "later" is about the item, not a term
    if also and action not in CHOOSING:
        raise ValueError(f"a {action} decision names one term at most")
    extra = tuple((t, label) for t, label in also if t != object_id)
    if len({t for t, _ in extra}) != len(extra):
        raise ValueError("a term is named twice")
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
        also=extra,
    )


Status = Literal[
    "pending", "accepted", "replaced", "no_term", "deferred", "assigned", "second_opinion"
]
_STATUS: dict[str, Status] = {
    "accept": "accepted",
    "replace": "replaced",
    "none": "no_term",
    "defer": "deferred",
    "assign": "assigned",
    "second_opinion": "second_opinion",
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
        """The term this subject maps to after review (None unless accepted/replaced);
        the first one when the decision names several (:attr:`chosen_all`)."""
        d = self.decision
        return d.object_id if d is not None and d.action in CHOOSING else None

    @property
    def chosen_all(self) -> tuple[str, ...]:
        """Every term this subject maps to after review (empty unless accepted/replaced)."""
        d = self.decision
        return tuple(t for t, _ in d.terms) if d is not None and d.action in CHOOSING else ()

    @property
    def decided(self) -> bool:
        return self.status in {"accepted", "replaced", "no_term"}

    @property
    def last(self) -> Decision | None:
        return self.history[-1] if self.history else None


def fold(subject_id: str, history: Iterable[Decision], version: int | None = None) -> ItemState:
    """The state a subject's decision history (in recording order) adds up to.

    Undone decisions and ``undo`` records are skipped. A later rejection of a chosen
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
            chosen = decision.terms if decision and decision.action in CHOOSING else ()
            if d.object_id in {t for t, _ in chosen}:
                decision = None
        elif d.action in CHOOSING:
            rejected.difference_update(t for t, _ in d.terms)
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


def with_seq(decision: Decision, seq: int, *, undone: bool) -> Decision:
    """``decision`` as stored: with its ledger row number and undone flag."""
    return replace(decision, seq=seq, undone=undone)
