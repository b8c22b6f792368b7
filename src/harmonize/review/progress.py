"""How far review has come, per partner column: pure counts over the queue's items.

Values and columns are counted apart: a column item covers every row of its column, so
adding its rows to those of the column's values would count each cell twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harmonize.review.queue import Item

__all__ = ["ColumnProgress", "progress"]


@dataclass(frozen=True, slots=True)
class ColumnProgress:
    column: str
    total: int
    decided: int  # not open any more: by a steward, curated or auto-accepted
    replayed: int  # decided by a decision taken on an earlier file
    curated: int
    auto: int  # accepted at the threshold, as convert will (no steward yet)
    held: int  # deferred, assigned, or waiting for a second opinion
    open: int
    rows_total: int
    rows_decided: int
    double: int = 0  # items decided by two or more stewards
    agreed: int = 0  # of which they agree

    @property
    def agreement(self) -> int | None:
        return round(100 * self.agreed / self.double) if self.double else None

    @property
    def percent(self) -> int:
        return 100 * self.decided // self.total if self.total else 100


def _row(column: str, group: list[Item]) -> ColumnProgress:
    decided = [i for i in group if not i.open]
    return ColumnProgress(
        column=column,
        total=len(group),
        decided=len(decided),
        replayed=sum(1 for i in decided if i.is_replayed),
        curated=sum(1 for i in group if i.status == "curated"),
        auto=sum(1 for i in group if i.status == "auto"),
        held=sum(1 for i in group if i.status in {"deferred", "assigned", "second_opinion"}),
        open=sum(1 for i in group if i.open),
        rows_total=sum(i.rows or 0 for i in group),
        rows_decided=sum(i.rows or 0 for i in decided),
        double=sum(1 for i in group if i.agreement is not None),
        agreed=sum(1 for i in group if i.agreement is True),
    )


def progress(items: Iterable[Item]) -> tuple[list[ColumnProgress], ColumnProgress | None]:
    """(per partner column, value items only; the column items, or None if none)."""
    values: dict[str, list[Item]] = {}
    columns: list[Item] = []
    for item in items:
        if item.kind == "column":
            columns.append(item)
        else:
            values.setdefault(item.column, []).append(item)
    per_column = [_row(column, group) for column, group in sorted(values.items())]
    return per_column, _row("columns → slots", columns) if columns else None
