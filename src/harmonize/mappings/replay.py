"""Replay steward decisions onto new suggestions, so nothing is curated twice.

Two entry points, both pure apart from reading the ledger:

``apply_decisions(mapping_set, ledger, index=None) -> MappingSet``
    The suggestions of ``mapping_set`` (top-k rows per subject, best first) with the
    decisions applied: a subject already decided gets a ``semapv:ManualMappingCuration``
    row first (author, date, comment "decision replayed ..."); a rejected candidate is
    removed and never offered again; "no suitable term" becomes one
    ``sssom:NoTermFound`` row. A deferred subject gets a ``sssom:NoTermFound`` row
    marked ``"action": "defer"`` in ``other`` (who deferred it, when), and its candidates
    stay, marked deferred and *without* confidence (kept in ``other``), so no reader of
    the file can auto-accept them: "not yet" means nobody chose. With an ontology ``index``, an accepted term that is now
    obsolete is *not* replayed: the subject goes back to the queue with the replacement
    term proposed first (``semapv:MappingChaining``, no confidence).

``reviewed_or_auto(mapping_set, ledger | None, threshold=0.95, index=None) -> MappingSet``
    One chosen row per subject for conversion: the steward's choice where there is one,
    else the best remaining candidate if its confidence is at least ``threshold``.
    Subjects with "no suitable term", deferred ones, and ones below the threshold get no
    row (the converter reports them as unmapped). This holds with the ledger and, for a
    reviewed export (:func:`apply_decisions` written to SSSOM), without it: a curated
    ``sssom:NoTermFound`` row or a candidate marked deferred is never auto-accepted.

A decision applies to a subject of a new mapping set when (1) the subject id is the same
(``local_curie(namespace, value)`` is stable), or (2) the value text is the same after
normalisation and the namespace (column/slot) is the same, or (3) the value text is the
same and the decided term is among the new candidates (so a decision from a column named
differently still carries over, but never onto an unrelated column).

``ledger`` may be a :class:`~harmonize.mappings.ledger.Ledger`, a mapping of subject id to
:class:`~harmonize.mappings.decisions.ItemState` (``Ledger.states()``), or None. The
project's ledger, when there is one: ``harmonize.mappings.ledger.project_ledger()``.
:func:`replay` does what :func:`apply_decisions` does and also returns a
:class:`ReplaySummary`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping as AbstractMapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from harmonize.mappings.decisions import CHOOSING, NO_TERM, Decision, ItemState
from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping, MappingSet

if TYPE_CHECKING:
    from harmonize.mappings.ledger import Ledger
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "JUSTIFICATION_CHAINING",
    "ReplaySummary",
    "Replayed",
    "apply_decisions",
    "grouped",
    "is_deferred",
    "namespace_of",
    "obsolete_proposal",
    "replay",
    "replay_states",
    "reviewed_or_auto",
]

JUSTIFICATION_CHAINING = "semapv:MappingChaining"
Via = Literal["subject", "label+namespace", "label+candidate"]
States = AbstractMapping[str, ItemState]


_GROUPS: dict[int, tuple[MappingSet, dict[str, list[Mapping]]]] = {}


def grouped(mapping_set: MappingSet) -> dict[str, list[Mapping]]:
    """``mapping_set.by_subject()``, remembered for the last few sets (the workbench
    regroups the same sets after every decision). Do not mutate the result."""
    key = id(mapping_set)
    hit = _GROUPS.get(key)
    if hit is not None and hit[0] is mapping_set:
        return hit[1]
    groups = mapping_set.by_subject()
    if len(_GROUPS) >= 16:
        _GROUPS.pop(next(iter(_GROUPS)))
    _GROUPS[key] = (mapping_set, groups)
    return groups


def namespace_of(subject_id: str) -> str | None:
    """The namespace (column or slot) of a local CURIE ``local:ns/slug-hash``."""
    prefix, _, rest = subject_id.partition(":")
    if prefix != "local" or "/" not in rest:
        return None
    return rest.rpartition("/")[0]


def _key(label: str | None) -> str | None:
    if not label:
        return None
    return _normalized(label)


@functools.lru_cache(maxsize=262_144)
def _normalized(label: str) -> str | None:
    from harmonize.text.normalize import normalize

    return normalize(label) or label.strip().lower() or None


@dataclass(frozen=True, slots=True)
class Replayed:
    """What the ledger says about one subject of a new mapping set."""

    subject_id: str
    state: ItemState
    via: Via
    source_subject: str  # the subject the decisions were made on
    obsolete: str | None = None  # the accepted term, when the ontology made it obsolete
    replacement: str | None = None  # its live replacement, if the ontology names one

    @property
    def chosen(self) -> str | None:
        return None if self.obsolete else self.state.chosen


def _states_of(ledger: Ledger | States | None) -> States:
    if ledger is None:
        return {}
    if isinstance(ledger, AbstractMapping):
        return ledger
    return ledger.states()


def replay_states(
    mapping_set: MappingSet, ledger: Ledger | States | None, *, index: OntologyIndex | None = None
) -> dict[str, Replayed]:
    """For each subject of ``mapping_set`` the ledger knows about, what applies."""
    states = {s: st for s, st in _states_of(ledger).items() if st.history}
    by_ns_label: dict[tuple[str | None, str], list[ItemState]] = {}
    by_label: dict[str, list[ItemState]] = {}
    indexed = False

    def index_labels() -> None:  # only when some subject is not decided directly
        for state in states.values():
            label = next((d.subject_label for d in state.history if d.subject_label), None)
            key = _key(label)
            if key is None:
                continue
            by_ns_label.setdefault((namespace_of(state.subject_id), key), []).append(state)
            by_label.setdefault(key, []).append(state)

    out: dict[str, Replayed] = {}
    for subject, rows in grouped(mapping_set).items():
        if subject not in states and not indexed and states:
            index_labels()
            indexed = True
        found = _match(subject, rows, states, by_ns_label, by_label)
        if found is None:
            continue
        state, via = found
        obsolete = replacement = None
        chosen = state.chosen
        if index is not None and chosen is not None:
            term = index.get(chosen)
            if term is not None and term.obsolete:
                obsolete = chosen
                resolved = index.resolve(chosen)
                replacement = resolved if resolved and resolved != chosen else None
        out[subject] = Replayed(subject, state, via, state.subject_id, obsolete, replacement)
    return out


def _latest(states: list[ItemState]) -> ItemState:
    return max(states, key=lambda s: s.last.created_at if s.last else "")


def _match(
    subject: str,
    rows: list[Mapping],
    states: States,
    by_ns_label: dict[tuple[str | None, str], list[ItemState]],
    by_label: dict[str, list[ItemState]],
) -> tuple[ItemState, Via] | None:
    direct = states.get(subject)
    if direct is not None:
        return direct, "subject"
    key = _key(rows[0].subject_label)
    if key is None:
        return None
    same_ns = by_ns_label.get((namespace_of(subject), key))
    if same_ns:
        return _latest(same_ns), "label+namespace"
    offered = {m.object_id for m in rows if not m.negated}
    related = [
        s
        for s in by_label.get(key, [])
        if (s.chosen and s.chosen in offered) or (s.rejected & offered)
    ]
    if not related:
        return None
    best = _latest(related)
    if best.chosen is None or best.chosen not in offered:
        # only rejections carry over this way: keep those that concern offered terms
        rejected = frozenset().union(*(s.rejected for s in related)) & offered
        best = replace(best, decision=None, rejected=rejected)
    return best, "label+candidate"


def _manual_row(subject: str, rows: list[Mapping], d: Decision, rep: Replayed) -> Mapping:
    first = rows[0]
    same = next((m for m in rows if m.object_id == d.object_id), None)
    note = "decision replayed" if rep.via != "subject" or d.subject_id != subject else "decision"
    what = "defer (not decided yet)" if d.action == "defer" else d.action
    comment = f"{note}: {what} by {d.reviewer_label or d.reviewer_id} on {d.date}"
    if rep.via != "subject":
        comment += f" for {d.subject_label!r} ({rep.via})"
    if d.comment:
        comment += f"; {d.comment}"
    return Mapping(
        subject_id=subject,
        subject_label=first.subject_label,
        predicate_id=d.predicate_id,
        object_id=d.object_id or NO_TERM,
        object_label=d.object_label
        or (same.object_label if same else None)
        or ("deferred" if d.action == "defer" else None),
        mapping_justification=JUSTIFICATION_MANUAL,
        subject_source=first.subject_source,
        object_source=same.object_source if same else None,
        object_source_version=same.object_source_version if same else None,
        subject_category=first.subject_category,
        author_id=(d.reviewer_id,),
        author_label=(d.reviewer_label,) if d.reviewer_label else (),
        mapping_date=d.date,
        mapping_tool="harmonize review",
        comment=comment,
        other=json.dumps(
            {
                "decision": d.uid,
                "action": d.action,
                "time": d.created_at,
                "replayed": rep.via != "subject",
            },
            separators=(",", ":"),
        ),
    )


def _other_of(m: Mapping) -> dict[str, object]:
    """``m.other`` as a JSON object ({} when it is empty or not JSON)."""
    text = (m.other or "").strip()
    if not text.startswith("{"):
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def is_deferred(m: Mapping) -> bool:
    """True for a row a reviewed export marks deferred (the marker or a candidate)."""
    data = _other_of(m)
    return data.get("action") == "defer" or bool(data.get("deferred"))


def _deferred_candidate(m: Mapping, d: Decision) -> Mapping:
    """A candidate of a deferred subject, as exported: marked, without confidence."""
    data = _other_of(m) if m.other else {}
    if m.other and not data:
        data = {"other": m.other}
    data["deferred"] = d.uid
    if m.confidence is not None:
        data["confidence"] = m.confidence
    note = f"deferred by {d.reviewer_label or d.reviewer_id} on {d.date}: not accepted"
    return replace(
        m,
        confidence=None,
        comment=f"{note}; {m.comment}" if m.comment else note,
        other=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    )


def obsolete_proposal(
    subject: str, rows: list[Mapping], rep: Replayed, index: OntologyIndex
) -> Mapping:
    """The row proposing the replacement of an obsolete accepted term (to be reviewed)."""
    d = rep.state.decision
    assert d is not None and rep.replacement is not None
    version = index.version
    return Mapping(
        subject_id=subject,
        subject_label=rows[0].subject_label,
        predicate_id=d.predicate_id,
        object_id=rep.replacement,
        object_label=index.label(rep.replacement),
        mapping_justification=JUSTIFICATION_CHAINING,
        subject_category=rows[0].subject_category,
        object_source_version=version,
        mapping_tool="harmonize review",
        comment=(
            f"accepted term {rep.obsolete}{f' ({d.object_label})' if d.object_label else ''} is obsolete"
            f"{f' in {version}' if version else ''}; replaced_by {rep.replacement}: review"
        ),
        other=json.dumps(
            {"requeued": True, "obsolete": rep.obsolete, "decision": d.uid},
            separators=(",", ":"),
        ),
    )


def _negatives(rows: list[Mapping]) -> set[str]:
    return {m.object_id for m in rows if m.negated}


@dataclass(frozen=True, slots=True)
class ReplaySummary:
    """What :func:`replay` did to a mapping set."""

    decided: int = 0  # subjects given a steward's row (same subject or replayed)
    replayed: int = 0  # of which the decision was taken on another subject (new file)
    rejected_removed: int = 0  # candidate rows dropped because a steward rejected them
    requeued_obsolete: int = 0  # accepted terms now obsolete: back in the queue

    def describe(self) -> str:
        return (
            f"decisions applied: {self.decided} (replayed from earlier files: "
            f"{self.replayed}); rejected candidates removed: {self.rejected_removed}; "
            f"obsolete accepted terms re-queued: {self.requeued_obsolete}"
        )


def apply_decisions(
    mapping_set: MappingSet,
    ledger: Ledger | States | None,
    *,
    index: OntologyIndex | None = None,
) -> MappingSet:
    """``mapping_set`` with the ledger's decisions applied (see the module docs)."""
    return replay(mapping_set, ledger, index=index)[0]


def replay(
    mapping_set: MappingSet,
    ledger: Ledger | States | None,
    *,
    index: OntologyIndex | None = None,
) -> tuple[MappingSet, ReplaySummary]:
    """:func:`apply_decisions`, plus a summary of what changed (also appended to the
    set's ``mapping_set_description``)."""
    replayed = replay_states(mapping_set, ledger, index=index)
    out: list[Mapping] = []
    counts = {"decided": 0, "replayed": 0, "rejected_removed": 0, "requeued_obsolete": 0}
    for subject, rows in grouped(mapping_set).items():
        rep = replayed.get(subject)
        rejected = _negatives(rows) | (set(rep.state.rejected) if rep else set())
        candidates = [m for m in rows if not m.negated and m.object_id not in rejected]
        counts["rejected_removed"] += sum(
            1 for m in rows if not m.negated and m.object_id in rejected
        )
        d = rep.state.decision if rep else None
        if rep is not None and d is not None and rep.obsolete:
            counts["requeued_obsolete"] += 1
            if rep.replacement and index is not None:
                out.append(obsolete_proposal(subject, rows, rep, index))
            out.extend(m for m in candidates if m.object_id not in {rep.replacement, rep.obsolete})
            continue
        if rep is not None and d is not None and d.action == "defer":
            counts["decided"] += 1
            counts["replayed"] += rep.via != "subject"
            out.append(_manual_row(subject, rows, d, rep))
            out.extend(_deferred_candidate(m, d) for m in candidates if m.object_id != NO_TERM)
            continue
        if rep is not None and d is not None and (d.action in CHOOSING or d.action == "none"):
            counts["decided"] += 1
            counts["replayed"] += rep.via != "subject"
            out.append(_manual_row(subject, rows, d, rep))
            if d.action != "none":  # other candidates stay, for a later change of mind
                out.extend(m for m in candidates if m.object_id not in {d.object_id, NO_TERM})
            continue
        out.extend(candidates)
    summary = ReplaySummary(**counts)
    described = "; ".join(
        t for t in (mapping_set.mapping_set_description, f"Reviewed: {summary.describe()}") if t
    )
    applied = replace(mapping_set, mappings=tuple(out), mapping_set_description=described)
    return applied, summary


def reviewed_or_auto(
    mapping_set: MappingSet,
    ledger: Ledger | States | None,
    threshold: float = 0.95,
    *,
    index: OntologyIndex | None = None,
) -> MappingSet:
    """One chosen row per subject: reviewed where decided, else auto-accepted at
    ``threshold`` (see the module docs). Rows already curated by hand in
    ``mapping_set`` count as reviewed."""
    replayed = replay_states(mapping_set, ledger, index=index)
    out: list[Mapping] = []
    for subject, rows in grouped(mapping_set).items():
        rep = replayed.get(subject)
        d = rep.state.decision if rep else None
        if rep is not None and d is not None and not rep.obsolete:
            if d.action in CHOOSING:
                out.append(_manual_row(subject, rows, d, rep))
                continue
            if d.action in {"none", "defer"}:
                continue
        if rep is not None and rep.obsolete:
            continue  # back in the queue: a person must confirm the replacement
        rejected = _negatives(rows) | (set(rep.state.rejected) if rep else set())
        manual = [
            m
            for m in rows
            if m.mapping_justification == JUSTIFICATION_MANUAL
            and not m.negated
            and m.object_id not in rejected
        ]
        if manual:
            first = manual[0]
            if first.object_id != NO_TERM and not is_deferred(first):
                out.append(first)
            continue
        if any(is_deferred(m) for m in rows):
            continue  # deferred in a reviewed export: "not yet", whatever the scores
        live = [m for m in rows if not m.negated and m.object_id not in rejected]
        if index is not None:
            live = [m for m in live if not _is_obsolete(index, m.object_id)]
        live.sort(key=lambda m: -(m.confidence or 0.0))  # stable: file order breaks ties
        if live and live[0].confidence is not None and live[0].confidence >= threshold:
            out.append(live[0])
    return replace(mapping_set, mappings=tuple(out))


def _is_obsolete(index: OntologyIndex, term_id: str) -> bool:
    term = index.get(term_id)
    return term is not None and term.obsolete
