"""The ledger's decisions as SSSOM files in git: written atomically, read back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from harmonize.mappings.decisions import Decision, ItemState

__all__ = ["export_sssom", "read_decisions"]


def export_sssom(
    states: Iterable[ItemState], folder: Path, *, stem: str, set_id: str
) -> tuple[Path, Path]:
    """Write ``<stem>.sssom.tsv`` and ``<stem>.negative.sssom.tsv`` of ``states``."""
    from harmonize.mappings.decisions_sssom import decisions_to_sssom
    from harmonize.mappings.sssom_io import write_sssom

    positive, negative = decisions_to_sssom(states, set_id=set_id)
    return (
        write_sssom(positive, folder / f"{stem}.sssom.tsv"),
        write_sssom(negative, folder / f"{stem}.negative.sssom.tsv"),
    )


def read_decisions(paths: Iterable[str | Path]) -> list[Decision]:
    """The decisions in SSSOM files written by :func:`export_sssom` (or any
    ``semapv:ManualMappingCuration`` rows), oldest first."""
    from harmonize.mappings.decisions_sssom import decisions_from_sssom
    from harmonize.mappings.sssom_io import read_sssom

    found: list[Decision] = []
    for path in paths:
        found.extend(decisions_from_sssom(read_sssom(path)))
    found.sort(key=lambda d: d.created_at)
    return found
