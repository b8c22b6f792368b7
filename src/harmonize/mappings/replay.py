"""Replay steward decisions onto new suggestions, so nothing is curated twice.

Two entry points, both pure apart from reading the ledger:

``apply_decisions(mapping_set, ledger, index=None) -> MappingSet``
    The suggestions of ``mapping_set`` (top-k rows per subject, best first) with the
    decisions applied: a subject already decided gets ``semapv:ManualMappingCuration``
    rows first (one per chosen term; author, date, comment "decision replayed ..."); a
    rejected candidate is removed and never offered again; "no suitable term" becomes
    one ``sssom:NoTermFound`` row. A subject held open (deferred, assigned to a reviewer,
    waiting for a second opinion) gets a ``sssom:NoTermFound`` row marked with that
    ``action`` in ``other`` (who, when), and its candidates stay, marked and *without*
    confidence (kept in ``other``), so no reader of the file can auto-accept them: "not
    yet" means nobody chose. With an ontology ``index``, an accepted term that is now
    obsolete is *not* replayed: the subject goes back to the queue with the replacement
    term proposed first (``semapv:MappingChaining``, no confidence).

``reviewed_or_auto(mapping_set, ledger | None, threshold=None, index=None) -> MappingSet``
    The rows that apply per subject for conversion (:mod:`harmonize.mappings.reviewed`):
    the steward's choice where there is one, the set's own curated rows, else the best
    remaining candidate if its confidence reaches the threshold and the value carries no
    hedging word. This holds with the ledger and, for a reviewed export (
    :func:`apply_decisions` written to SSSOM), without it.

Which decision applies to which subject (the same value only; a merely similar one is
queued with the decision as evidence) is :mod:`harmonize.mappings.replay_match`.
``ledger`` may be a :class:`~harmonize.mappings.ledger.Ledger`, a mapping of subject id to
:class:`~harmonize.mappings.decisions.ItemState` (``Ledger.states()``), or None. The
project's ledger, when there is one: ``harmonize.mappings.ledger.project_ledger()``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from harmonize.mappings.decisions import CHOOSING, HOLDING, NO_TERM
from harmonize.mappings.model import Mapping, MappingSet
from harmonize.mappings.replay_match import (
    Replayed,
    States,
    grouped,
    namespace_of,
    replay_states,
)
from harmonize.mappings.replay_rows import (
    JUSTIFICATION_CHAINING,
    held_candidate,
    is_deferred,
    is_held,
    manual_rows,
    obsolete_proposal,
)
from harmonize.mappings.reviewed import reviewed_or_auto

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
    "is_held",
    "namespace_of",
    "obsolete_proposal",
    "replay",
    "replay_states",
    "reviewed_or_auto",
]


@dataclass(frozen=True, slots=True)
class ReplaySummary:
    """What :func:`replay` did to a mapping set."""

    decided: int = 0  # subjects given a steward's rows (same subject or replayed)
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


def _subject_rows(
    subject: str,
    rows: list[Mapping],
    rep: Replayed | None,
    index: OntologyIndex | None,
    counts: dict[str, int],
) -> list[Mapping]:
    """The rows of one subject after replay (and what it did, added to ``counts``)."""
    rejected = {m.object_id for m in rows if m.negated} | (
        set(rep.state.rejected) if rep else set()
    )
    candidates = [m for m in rows if not m.negated and m.object_id not in rejected]
    counts["rejected_removed"] += sum(1 for m in rows if not m.negated and m.object_id in rejected)
    d = rep.state.decision if rep is not None else None
    if rep is None or d is None:
        return candidates
    if rep.obsolete:
        counts["requeued_obsolete"] += 1
        proposal = (
            [obsolete_proposal(subject, rows, rep, index)] if rep.replacement and index else []
        )
        return proposal + [
            m for m in candidates if m.object_id not in {rep.replacement, rep.obsolete}
        ]
    counts["decided"] += 1
    counts["replayed"] += rep.via != "subject"
    decided = manual_rows(subject, rows, d, rep)
    if d.action in HOLDING:
        return decided + [held_candidate(m, d) for m in candidates if m.object_id != NO_TERM]
    if d.action in CHOOSING:  # other candidates stay, for a later change of mind
        chosen = {t for t, _ in d.terms} | {NO_TERM}
        return decided + [m for m in candidates if m.object_id not in chosen]
    return decided  # no suitable term


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
        out.extend(_subject_rows(subject, rows, replayed.get(subject), index, counts))
    summary = ReplaySummary(**counts)
    described = "; ".join(
        t for t in (mapping_set.mapping_set_description, f"Reviewed: {summary.describe()}") if t
    )
    applied = replace(mapping_set, mappings=tuple(out), mapping_set_description=described)
    return applied, summary
