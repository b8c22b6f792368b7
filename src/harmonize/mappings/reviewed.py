"""What a subject maps to before any further review: one rule, for convert and review.

:func:`settle` says, for one subject, which rows apply and on what basis:

* ``decision`` - a steward decided it (in the ledger, here or replayed from an earlier
  file by :mod:`harmonize.mappings.replay_match`);
* ``curated`` - the mapping set itself holds a ``semapv:ManualMappingCuration`` row (a
  curated synonym from ``mappings/``, a schema alias, a reviewed export);
* ``auto`` - no person decided, and the best remaining candidate reaches the auto-accept
  threshold, the value carries no hedging word (:func:`harmonize.text.values.hedge`).

A subject none of these settles - or one a steward deferred, assigned or asked a second
opinion on, or whose accepted term became obsolete - is left for review. The converter
(:func:`reviewed_or_auto`), the workbench's queue and the run report all call this one
function, so "left for review" means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from harmonize.mappings.decisions import CHOOSING, HOLDING, NO_TERM
from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping, MappingSet
from harmonize.mappings.replay_match import (
    Replayed,
    States,
    grouped,
    replay_states,
)
from harmonize.mappings.replay_rows import is_held, manual_rows

if TYPE_CHECKING:
    from harmonize.mappings.ledger import Ledger
    from harmonize.ontology.index import OntologyIndex

__all__ = ["Basis", "Settled", "curated_rows", "default_threshold", "reviewed_or_auto", "settle"]

Basis = Literal["decision", "curated", "auto"]


def default_threshold() -> float:
    """The auto-accept threshold (:data:`harmonize.confidence.AUTO_ACCEPT`)."""
    from harmonize.confidence import AUTO_ACCEPT

    return AUTO_ACCEPT


@dataclass(frozen=True, slots=True)
class Settled:
    """A subject settled without further review: the rows that apply (none: settled as
    "no suitable term") and why."""

    basis: Basis
    rows: tuple[Mapping, ...]

    @property
    def no_term(self) -> bool:
        return not self.rows


def curated_rows(rows: list[Mapping], rejected: frozenset[str] = frozenset()) -> list[Mapping]:
    """The curated rows among a subject's ``rows``: manual curation, neither negative nor
    rejected, nor a held marker (a ``sssom:NoTermFound`` one means "no suitable term")."""
    return [
        m
        for m in rows
        if m.mapping_justification == JUSTIFICATION_MANUAL
        and not m.negated
        and m.object_id not in rejected
        and not is_held(m)
    ]


def _obsolete(index: OntologyIndex | None, term_id: str) -> bool:
    term = index.get(term_id) if index is not None else None
    return term is not None and term.obsolete


def settle(
    subject: str,
    rows: list[Mapping],
    rep: Replayed | None,
    threshold: float,
    *,
    index: OntologyIndex | None = None,
) -> Settled | None:
    """How ``subject`` (its ``rows``, best first; ``rep``: the decision that applies to
    it, if any) is settled, or None when it waits for a steward (module docs)."""
    d = rep.state.decision if rep is not None else None
    if rep is not None and rep.obsolete:
        return None  # back in the queue: a person must confirm the replacement
    if d is not None and d.action in CHOOSING:
        return Settled("decision", tuple(manual_rows(subject, rows, d, rep)))  # type: ignore[arg-type]
    if d is not None and d.action == "none":
        return Settled("decision", ())
    if d is not None and d.action in HOLDING:
        return None
    rejected = frozenset(m.object_id for m in rows if m.negated)
    if rep is not None:
        rejected |= rep.state.rejected
    curated = curated_rows(rows, rejected)
    if curated:
        if curated[0].object_id == NO_TERM:
            return Settled("curated", ())
        seen: dict[str, Mapping] = {}
        for m in curated:
            if m.object_id != NO_TERM:
                seen.setdefault(m.object_id, m)
        return Settled("curated", tuple(seen.values()))
    if any(is_held(m) for m in rows):
        return None  # held in a reviewed export: "not yet", whatever the scores
    from harmonize.text.values import hedge

    if hedge(rows[0].subject_label or "") is not None:
        return None  # "HCC?", "no HCC": a person reads it, whatever the score
    live = [
        m
        for m in rows
        if not m.negated
        and m.object_id not in rejected
        and m.object_id != NO_TERM
        and not _obsolete(index, m.object_id)
    ]
    live.sort(key=lambda m: -(m.confidence or 0.0))  # stable: file order breaks ties
    if live and live[0].confidence is not None and live[0].confidence >= threshold:
        return Settled("auto", (live[0],))
    return None


def reviewed_or_auto(
    mapping_set: MappingSet,
    ledger: Ledger | States | None,
    threshold: float | None = None,
    *,
    index: OntologyIndex | None = None,
) -> MappingSet:
    """The rows that apply, per subject, for conversion: reviewed where decided (every
    term of a decision naming several), curated where the set says so, else the best
    candidate at ``threshold`` (default: the auto-accept threshold). Subjects with no
    suitable term, held ones and those left for review get no row (see :func:`settle`)."""
    cut = default_threshold() if threshold is None else threshold
    replayed = replay_states(mapping_set, ledger, index=index)
    out: list[Mapping] = []
    for subject, rows in grouped(mapping_set).items():
        settled = settle(subject, rows, replayed.get(subject), cut, index=index)
        if settled is not None:
            out.extend(settled.rows)
    return replace(mapping_set, mappings=tuple(out))
