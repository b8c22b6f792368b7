"""Review jobs: replay a steward's decisions, and pick the rows conversion may use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.ledger import Ledger
    from harmonize.mappings.model import MappingSet

__all__ = ["accepted", "replay"]


def _ledger(ledger: str | Path | Ledger | None) -> Ledger | None:
    from harmonize.mappings.ledger import Ledger

    if ledger is None or isinstance(ledger, Ledger):
        return ledger
    return Ledger.open(ledger, create=False)


def replay(mapping_set: MappingSet, *, ledger: str | Path | Ledger | None) -> MappingSet:
    """``mapping_set`` with the decisions of ``ledger`` applied: decided values get the
    steward's row first, rejected candidates are gone, obsolete accepted terms go back
    to review with their replacement proposed.

    >>> import harmonize
    >>> table = harmonize.demo_table()
    >>> values = harmonize.map_values(table, harmonize.match_columns(table))
    >>> len(harmonize.replay(values, ledger=None)) == len(values)
    True
    """
    from harmonize.mappings.replay import apply_decisions

    return apply_decisions(mapping_set, _ledger(ledger))


def accepted(
    mapping_set: MappingSet,
    *,
    ledger: str | Path | Ledger | None = None,
    threshold: float | None = None,
) -> MappingSet:
    """One row per subject that conversion may use: the steward's decision, a curated
    row, or a suggestion at or above ``threshold`` (default :data:`harmonize.AUTO_ACCEPT`).

    >>> import harmonize
    >>> table = harmonize.demo_table()
    >>> values = harmonize.map_values(table, harmonize.match_columns(table))
    >>> all(m.confidence >= harmonize.AUTO_ACCEPT for m in harmonize.accepted(values))
    True
    """
    from harmonize.confidence import AUTO_ACCEPT
    from harmonize.mappings.replay import reviewed_or_auto

    return reviewed_or_auto(
        mapping_set, _ledger(ledger), AUTO_ACCEPT if threshold is None else threshold
    )
