"""One partition of a table -> one part file, written atomically (what a worker runs).

Everything a partition needs but its rows travels once as a :class:`PartJob` (the plan
with its schema and mapping sets, the source, the activity); :func:`convert_part` then
converts the rows with the same :class:`~harmonize.conversion.records.RowConverter` a whole
table uses, numbering them from ``first_row``, so a record gets the IRI it gets on one
machine. The part is written to a temporary file and renamed: a killed worker leaves no
half-written part, and a retried task writes the same bytes again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from harmonize.conversion.manifest import PartEntry
from harmonize.conversion.records import Policy, RowConverter
from harmonize.conversion.stream import Tally, distinct_records, row_lines

if TYPE_CHECKING:
    import numpy as np

    from harmonize.conversion.partition import Partition
    from harmonize.conversion.plan import ConversionPlan
    from harmonize.conversion.terms import Format
    from harmonize.conversion.vocab import SourceInfo

__all__ = ["KEYS_DIR", "PartJob", "convert_part", "load_keys", "tally_of"]

#: Hidden folder of the output holding each part's distinct record keys (for the summary).
KEYS_DIR = ".record-keys"
_PROBLEMS_PER_PART = 20  # the manifest stays small: a 50M-row run has ~1000 parts
_COUNTS_PER_PART = 100


@dataclass(frozen=True, slots=True)
class PartJob:
    """What every partition of one table shares (sent to each worker once)."""

    plan: ConversionPlan
    source: SourceInfo
    activity: str
    base: str
    on_unmapped: Policy
    on_invalid: Policy
    format: Format
    prefixes: dict[str, str]


class _Hashing:
    """A binary handle that also hashes and counts what passes through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()


def part_name(index: int, fmt: str) -> str:
    return f"part-{index:05d}.{fmt}"


def convert_part(job: PartJob, part: Partition, first_row: int, folder: str) -> PartEntry:
    """Convert ``part`` (rows numbered from ``first_row``) into ``folder``."""
    import numpy as np

    from harmonize.conversion.partition import partition_rows
    from harmonize.conversion.terms import write_lines
    from harmonize.gc_pause import paused_gc
    from harmonize.io.atomic import atomic_write

    converter = RowConverter(
        job.plan, job.source, job.activity, base=job.base,
        on_unmapped=job.on_unmapped, on_invalid=job.on_invalid,
    )  # fmt: skip
    tally = Tally()
    rows = enumerate(partition_rows(part), start=first_row)
    name = part_name(part.index, job.format)
    with paused_gc(), atomic_write(Path(folder) / name, "wb", encoding=None) as raw:
        handle = _Hashing(raw)
        batches = row_lines(converter, rows, tally, _PROBLEMS_PER_PART)
        write_lines(job.format, handle, batches, job.prefixes)  # type: ignore[arg-type]
    keys = distinct_records(converter)
    with atomic_write(Path(folder) / KEYS_DIR / f"{name}.npz", "wb", encoding=None) as out:
        np.savez(out, **keys)  # type: ignore[arg-type]
    last = first_row + tally.rows - 1
    return PartEntry(
        name=name,
        table=part.table,
        rows=(first_row, last) if tally.rows else (0, 0),
        triples=tally.triples,
        size=handle.size,
        sha256=handle.sha.hexdigest(),
        tally=_tally_json(tally),
    )


def _tally_json(tally: Tally) -> dict[str, Any]:
    return {
        "rows": tally.rows,
        "written": tally.written,
        "rejected": tally.rejected,
        "coded": tally.coded,
        "kinds": dict(tally.kinds),
        "counts": [[c, v, k, n] for (c, v, k), n in tally.counts.most_common(_COUNTS_PER_PART)],
        "problems": [[p.row, p.column, p.slot, p.value, p.kind, p.message] for p in tally.problems],
    }


def load_keys(folder: Path, name: str) -> dict[str, np.ndarray]:
    import numpy as np

    with np.load(folder / KEYS_DIR / f"{name}.npz") as data:
        return {k: data[k] for k in data.files}


def tally_of(entry: PartEntry, keys: dict[str, np.ndarray]) -> Tally:
    """A part's tally again, from its manifest entry and record keys."""
    from collections import Counter

    from harmonize.conversion.records import Problem

    data = entry.tally
    return Tally(
        rows=data["rows"],
        written=data["written"],
        rejected=data["rejected"],
        coded=data["coded"],
        triples=entry.triples,
        problems=[Problem(*p) for p in data["problems"]],
        kinds=Counter(data["kinds"]),
        counts=Counter({(c, v, k): n for c, v, k, n in data["counts"]}),
        record_keys=keys,
    )
