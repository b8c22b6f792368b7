"""Rows in, N-Triples lines out, counts kept: the loop a table and a partition share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from harmonize.conversion.records import Problem, ProblemKind, RowConverter

__all__ = ["Tally", "distinct_records", "row_lines"]

#: Rows converted between two hand-offs to the serialiser.
CHUNK_ROWS = 2000


@dataclass(slots=True)
class Tally:
    """What a conversion saw: rows, problems, triples and the records it wrote."""

    rows: int = 0
    written: int = 0
    rejected: int = 0
    coded: int = 0
    triples: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first ones, for the report
    kinds: Counter[str] = field(default_factory=Counter)  # problem kind -> count
    counts: Counter[tuple[str, str, ProblemKind]] = field(default_factory=Counter)
    record_keys: dict[str, np.ndarray] = field(default_factory=dict)  # class -> unique keys
    pending: dict[str, list[np.ndarray]] = field(default_factory=dict)  # merged, not unique

    def merge(self, other: Tally, keep_problems: int) -> None:
        """Add another partition's tally (problems stay the first ``keep_problems``)."""

        self.rows += other.rows
        self.written += other.written
        self.rejected += other.rejected
        self.coded += other.coded
        self.triples += other.triples
        self.problems = sorted([*self.problems, *other.problems], key=lambda p: p.row)
        del self.problems[keep_problems:]
        self.kinds.update(other.kinds)
        self.counts.update(other.counts)
        for name, keys in other.record_keys.items():
            self.pending.setdefault(name, []).append(keys)

    def distinct(self) -> None:
        """Make the merged record keys unique (once, after every partition is merged)."""
        import numpy as np

        for name, arrays in self.pending.items():
            mine = self.record_keys.get(name)
            both = arrays if mine is None else [mine, *arrays]
            self.record_keys[name] = np.unique(np.concatenate(both))
        self.pending.clear()


def distinct_records(converter: RowConverter) -> dict[str, np.ndarray]:
    """Class -> sorted unique keys of the records ``converter`` wrote."""
    import numpy as np

    return {
        name: np.unique(np.asarray(keys, dtype=np.uint64))
        for name, keys in converter.new_records.items()
    }


def row_lines(
    converter: RowConverter,
    rows: Iterable[tuple[int, list[str]]],
    tally: Tally,
    keep_problems: int,
) -> Iterator[list[str]]:
    """Batches of N-Triples lines of numbered ``rows``; counts go to ``tally``."""
    problems, kinds = tally.problems, tally.kinds
    batch: list[str] = []
    for number, cells in rows:
        tally.rows += 1
        outcome = converter.convert(number, cells)
        for problem in outcome.problems:
            kinds[problem.kind] += 1
            if len(problems) < keep_problems:
                problems.append(problem)
        if outcome.rejected:
            tally.rejected += 1
            continue
        tally.written += 1
        tally.coded += outcome.coded
        batch += outcome.triples
        if tally.rows % CHUNK_ROWS == 0:
            tally.triples += len(batch)
            yield batch
            batch = []
    tally.triples += len(batch)
    yield batch
    tally.counts = converter.problem_counts
