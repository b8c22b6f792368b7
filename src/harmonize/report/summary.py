"""The figures of a run report, computed from the run's files. Pure apart from reading.

Values are classified exactly as the review workbench classifies them (one rule,
:func:`harmonize.mappings.reviewed.settle`): *mapped* - decided by a steward, curated, or
auto-accepted at the threshold; *pending* - waiting for a steward; *unmapped* - a steward
said no term fits. Shares are of the partner's cells (rows), per column.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.report.inputs import Problem, RunFiles, read_privacy, read_shacl

if TYPE_CHECKING:
    from harmonize.review.queue import Item
    from harmonize.review.workspace import Workspace

__all__ = ["BINS", "ColumnShare", "ProblemGroup", "RunSummary", "summarize"]

BINS = 20  # confidence histogram: 0.05 wide
_MAPPED = {"accepted", "replaced", "curated", "auto"}


@dataclass(frozen=True, slots=True)
class ColumnShare:
    """One coded column: its cells mapped, pending review, unmapped, empty."""

    column: str
    mapped: int
    pending: int
    unmapped: int
    empty: int
    values: int  # distinct values
    values_pending: int

    @property
    def total(self) -> int:
        return self.mapped + self.pending + self.unmapped + self.empty


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    slot: str
    kind: str
    count: int
    examples: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class PendingValue:
    column: str
    value: str
    rows: int
    best: str | None
    confidence: float | None


@dataclass
class RunSummary:
    """Everything the report shows."""

    folder: str
    table: str | None
    rows: int
    threshold: float
    columns: list[tuple[str, str | None, str]] = field(default_factory=list)  # column, slot, status
    shares: list[ColumnShare] = field(default_factory=list)
    histogram: list[tuple[int, int]] = field(default_factory=list)  # (below, at/above) per bin
    pending: list[PendingValue] = field(default_factory=list)
    conforms: bool | None = None
    problems: list[ProblemGroup] = field(default_factory=list)
    problem_total: int = 0
    privacy: list[dict[str, object]] | None = None
    decided_by_steward: int = 0
    generated: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    )

    @property
    def values_pending(self) -> int:
        return sum(s.values_pending for s in self.shares)


def _bin(confidence: float) -> int:
    return min(BINS - 1, int(Decimal(repr(confidence)) * BINS))


def _shares(items: list[Item], table_rows: int, cells: dict[str, int]) -> list[ColumnShare]:
    by_column: dict[str, list[Item]] = {}
    for item in items:
        if item.kind == "value":
            by_column.setdefault(item.column, []).append(item)
    out = []
    for column, group in sorted(by_column.items()):
        if column not in cells:
            continue  # a namespace that is no column of this table
        counts: Counter[str] = Counter()
        for item in group:
            kind = (
                "mapped"
                if item.status in _MAPPED
                else "unmapped"
                if item.status == "no_term"
                else "pending"
            )
            counts[kind] += item.rows or 0
        filled = counts["mapped"] + counts["pending"] + counts["unmapped"]
        out.append(
            ColumnShare(
                column,
                counts["mapped"],
                counts["pending"],
                counts["unmapped"],
                max(0, table_rows - filled),
                len(group),
                sum(1 for i in group if i.open),
            )
        )
    return out


def _problems(problems: list[Problem], examples: int = 3) -> list[ProblemGroup]:
    grouped: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        grouped.setdefault((p.slot, p.kind), []).append(p)
    out = [
        ProblemGroup(slot, kind, len(ps), tuple(sorted(ps, key=lambda p: p.row or 0)[:examples]))
        for (slot, kind), ps in grouped.items()
    ]
    return sorted(out, key=lambda g: (-g.count, g.slot, g.kind))


def summarize(files: RunFiles, threshold: float | None = None) -> RunSummary:
    """The report's figures for the run in ``files`` (its ledger is only read; without
    one, decisions are none)."""
    import tempfile

    from harmonize.mappings.reviewed import default_threshold
    from harmonize.review.workspace import load_workspace

    cut = default_threshold() if threshold is None else threshold
    with tempfile.TemporaryDirectory(prefix="harmonize-report-") as scratch:
        ledger = files.ledger or Path(scratch) / "no-decisions.sqlite"
        ws = load_workspace(files.mapping_sets, ledger, table=files.table, threshold=cut)
        try:
            return _summary(files, ws, ws.items(), cut)
        finally:
            ws.ledger.close()


def _summary(files: RunFiles, ws: Workspace, items: list[Item], cut: float) -> RunSummary:
    table = ws.table
    summary = RunSummary(
        folder=str(files.folder),
        table=table.path.name if table is not None else None,
        rows=len(table.rows) if table is not None else 0,
        threshold=cut,
    )
    cells = {c: len(table.rows) for c in table.columns} if table is not None else {}
    summary.columns = [
        (i.label, (i.decision.object_id if i.decision and not i.open else None)
         or (i.curated[0].object_id if i.curated else None), i.status)
        for i in sorted((i for i in items if i.kind == "column"), key=lambda i: i.label)
    ]  # fmt: skip
    summary.shares = _shares(items, summary.rows, cells)
    histogram = [[0, 0] for _ in range(BINS)]
    for item in items:
        if item.kind == "value" and item.top_confidence is not None:
            histogram[_bin(item.top_confidence)][item.top_confidence >= cut] += 1
    summary.histogram = [(a, b) for a, b in histogram]
    summary.pending = sorted(
        (
            PendingValue(i.column, i.label, i.rows or 0, i.candidates[0].object_label if i.candidates else None, i.top_confidence)
            for i in items
            if i.kind == "value" and i.open
        ),
        key=lambda p: (-p.rows, p.column, p.value),
    )  # fmt: skip
    summary.decided_by_steward = sum(
        1 for i in items if i.status in {"accepted", "replaced", "no_term"}
    )
    if files.shacl is not None:
        summary.conforms, problems = read_shacl(files.shacl)
        summary.problems, summary.problem_total = _problems(problems), len(problems)
    if files.privacy is not None:
        summary.privacy = read_privacy(files.privacy)
    return summary
