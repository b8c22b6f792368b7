"""Privacy job: find the columns of a table that identify people."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.privacy.finding import ColumnFinding

__all__ = ["scan_privacy"]


def scan_privacy(table: str | Path) -> list[ColumnFinding]:
    """Each column's category (``direct`` / ``quasi`` / ``none``), kind and evidence,
    with masked examples only.

    >>> import harmonize
    >>> findings = harmonize.scan_privacy(harmonize.demo_table())
    >>> [(f.column, f.kind) for f in findings if f.category == "quasi"][:3]
    [('Sample ID', 'study_id'), ('Donor', 'study_id'), ('Gender', 'sex')]
    """
    from harmonize.privacy.scan import scan_table

    return scan_table(table)
