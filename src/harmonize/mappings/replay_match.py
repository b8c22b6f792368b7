"""Which earlier decision applies to a subject of a new mapping set, and which only
resembles it.

A decision is re-used for a subject when (1) the subject id is the same
(``local_curie(column, value)`` is stable), or the value is *the same value* - equal once
case and spacing are folded (:func:`harmonize.text.values.value_key`) - and (2) the
namespace (column or slot) is the same, or (3) the decided term is among the new
candidates (a decision from a column named differently carries over, never onto an
unrelated column). A value a steward confirmed as a variant ("HCC?" decided like "HCC")
has a decision of its own, so it is the same value next time.

A decision taken on a term read with the sample's tissue ("fibroblast of lung" for
``Fibroblast`` in lung rows) applies only where the new rows of the value are read with
that tissue too.

Anything looser is never applied: a value that equals a decided one only after
normalisation or without its hedging words ("HCC (suspected)", "HCC?", "r/o HCC" against
"HCC") gets a :class:`Similar` - evidence for the steward ("a decision on 'HCC'
exists") - and stays in the queue.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Container, Iterable
from collections.abc import Mapping as AbstractMapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from harmonize.mappings.decisions import CHOOSING, ItemState
from harmonize.mappings.model import Mapping, MappingSet

if TYPE_CHECKING:
    from harmonize.mappings.ledger import Ledger
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "DecisionIndex",
    "Replayed",
    "Similar",
    "States",
    "Via",
    "grouped",
    "namespace_of",
    "replay_states",
    "similar_decisions",
    "states_of",
    "subjects_of",
]

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


@functools.lru_cache(maxsize=262_144)
def _key(label: str) -> str:
    from harmonize.text.values import value_key

    return value_key(label)


@functools.lru_cache(maxsize=262_144)
def _loose(label: str) -> str:
    from harmonize.text.normalize import normalize
    from harmonize.text.values import without_hedges

    return normalize(without_hedges(label)) or normalize(label) or _key(label)


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


@dataclass(frozen=True, slots=True)
class Similar:
    """A decision on a value that resembles this one: evidence, never applied."""

    subject_id: str
    state: ItemState  # the decided subject's state
    label: str  # the value that was decided

    def describe(self) -> str:
        d = self.state.decision
        if d is None:
            return f"a decision on {self.label!r} exists"
        term = ", ".join(label or t for t, label in d.terms) if d.action in CHOOSING else ""
        what = {"none": "no suitable term"}.get(d.action, f"{d.action} {term}".strip())
        who = d.reviewer_label or d.reviewer_id
        return f"a decision on {self.label!r} exists: {what} by {who} on {d.date}"


def states_of(ledger: Ledger | States | None) -> States:
    """The states of ``ledger`` (a ledger, a ready mapping of states, or None)."""
    if ledger is None:
        return {}
    if isinstance(ledger, AbstractMapping):
        return ledger
    return ledger.states()


def _label(state: ItemState) -> str | None:
    return next((d.subject_label for d in state.history if d.subject_label), None)


class DecisionIndex:
    """The ledger's subjects indexed by value (strict and loose key, with and without the
    namespace). Kept between calls and brought up to date with :meth:`update`, so the
    workbench does not re-index a large ledger after every decision."""

    def __init__(self, states: States) -> None:
        self.states: dict[str, ItemState] = {}
        self._keys: dict[str, tuple[str | None, str, str]] = {}  # subject -> ns, key, loose
        self.by_ns: dict[tuple[str | None, str], dict[str, ItemState]] = {}
        self.by_key: dict[str, dict[str, ItemState]] = {}
        self.loose_ns: dict[tuple[str | None, str], dict[str, ItemState]] = {}
        self.loose: dict[str, dict[str, ItemState]] = {}
        self.update(states)

    def update(self, changed: States) -> None:
        """Take in new or changed states (a subject's latest state replaces its last)."""
        for subject, state in changed.items():
            if not state.history:
                continue
            self.states[subject] = state
            keys = self._keys.get(subject)
            if keys is None:
                label = _label(state)
                if not label:
                    continue
                keys = self._keys[subject] = (namespace_of(subject), _key(label), _loose(label))
            ns, key, loose = keys
            self.by_ns.setdefault((ns, key), {})[subject] = state
            self.by_key.setdefault(key, {})[subject] = state
            for bucket in (
                self.loose_ns.setdefault((ns, loose), {}),
                self.loose.setdefault(loose, {}),
            ):
                if state.decision is not None:
                    bucket[subject] = state
                else:
                    bucket.pop(subject, None)

    def value_key(self, subject: str) -> str | None:
        keys = self._keys.get(subject)
        return keys[1] if keys is not None else None


def _index(ledger: Ledger | States | DecisionIndex | None) -> DecisionIndex:
    return ledger if isinstance(ledger, DecisionIndex) else DecisionIndex(states_of(ledger))


def _latest(states: list[ItemState]) -> ItemState:
    return max(states, key=lambda s: s.last.created_at if s.last else "")


def _match(
    subject: str, rows: list[Mapping], labels: DecisionIndex
) -> tuple[ItemState, Via] | None:
    direct = labels.states.get(subject)
    if direct is not None:
        return direct, "subject"
    label = rows[0].subject_label
    if not label:
        return None
    key = _key(label)
    same_ns = labels.by_ns.get((namespace_of(subject), key))
    if same_ns:
        return _latest(list(same_ns.values())), "label+namespace"
    offered = {m.object_id for m in rows if not m.negated}
    related = [
        s
        for s in labels.by_key.get(key, {}).values()
        if (set(s.chosen_all) & offered) or (s.rejected & offered)
    ]
    if not related:
        return None
    best = _latest(related)
    if not set(best.chosen_all) & offered:
        # only rejections carry over this way: keep those that concern offered terms
        rejected = frozenset().union(*(s.rejected for s in related)) & offered
        best = replace(best, decision=None, rejected=rejected)
    return best, "label+candidate"


def _other_tissue(state: ItemState, rows: list[Mapping]) -> bool:
    """Was the decision taken on a term read with the sample's tissue ("fibroblast of
    lung" for ``Fibroblast`` in lung rows) that the new rows of the value do not say
    (other tissue, or none)? Then it does not apply: the same words from another tissue
    say something else."""
    from harmonize.text.values import said_tissue

    decision = state.decision
    tissue = said_tissue(decision.evidence) if decision is not None else None
    return tissue is not None and all(said_tissue(m.comment) != tissue for m in rows)


def replay_states(
    mapping_set: MappingSet,
    ledger: Ledger | States | DecisionIndex | None,
    *,
    index: OntologyIndex | None = None,
) -> dict[str, Replayed]:
    """For each subject of ``mapping_set`` the ledger knows about, what applies."""
    labels = _index(ledger)
    out: dict[str, Replayed] = {}
    for subject, rows in grouped(mapping_set).items():
        found = _match(subject, rows, labels) if labels.states else None
        if found is None or _other_tissue(found[0], rows):
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


def subjects_of(mapping_set: MappingSet) -> list[tuple[str, str, frozenset[str]]]:
    """``(subject id, value, candidate terms)`` of each subject of ``mapping_set``."""
    return [
        (
            subject,
            rows[0].subject_label or "",
            frozenset(m.object_id for m in rows if not m.negated),
        )
        for subject, rows in grouped(mapping_set).items()
    ]


def similar_decisions(
    subjects: Iterable[tuple[str, str, Collection[str]]],
    ledger: Ledger | States | DecisionIndex | None,
    *,
    skip: Container[str] = (),
) -> dict[str, Similar]:
    """For ``(subject id, value, candidate terms)`` triples (not in ``skip``: those a
    decision applies to), a decided value each resembles - in the same namespace, or one
    whose decided term is among its candidates. Evidence for the steward; nothing is
    applied."""
    labels = _index(ledger)
    if not labels.states:
        return {}
    out: dict[str, Similar] = {}
    for subject, label, offered in subjects:
        if not label or subject in labels.states or subject in skip:
            continue
        loose = _loose(label)
        found = list(labels.loose_ns.get((namespace_of(subject), loose), {}).values()) or [
            s
            for s in labels.loose.get(loose, {}).values()
            if not set(s.chosen_all).isdisjoint(offered)
        ]
        found = [s for s in found if labels.value_key(s.subject_id) != _key(label)]
        if found:
            best = _latest(found)
            out[subject] = Similar(subject, best, _label(best) or best.subject_id)
    return out
