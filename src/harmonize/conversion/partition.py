"""A large table in row partitions: byte ranges that begin and end on whole rows.

The client reads the file once (counting quote characters, so a line break inside a
quoted cell is never taken for the end of a row) and cuts it into ranges of about
``rows`` rows. Each partition is then read on its own - by :func:`count_rows` (how many
rows it holds: the first row number of the next one follows) and by
:func:`harmonize.conversion.parts.convert_part` - with the table's sniffed encoding and
delimiter, exactly as :func:`harmonize.io.iter_rows` reads the whole file.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.errors import ConversionError, InputFileError

if TYPE_CHECKING:
    from harmonize.io.tables import TableFormat

__all__ = ["Partition", "count_rows", "partition_rows", "split_table"]

_BLOCK = 16 * 1024 * 1024
_BYTE_SAFE = ("utf-8", "utf-8-sig", "cp1252", "latin-1")


@dataclass(frozen=True, slots=True)
class Partition:
    """Rows of ``table`` between byte ``start`` (a row's first byte) and ``end``."""

    index: int  # over the whole job (names the part file)
    table: int  # which table of the job
    path: str
    start: int
    end: int
    format: TableFormat
    width: int  # cells in the header


def _boundaries(path: Path, first: int, step: int) -> list[int]:
    """Row starts at about every ``step`` bytes after ``first``, and the file's end."""
    size = path.stat().st_size
    targets = list(range(first + step, size, step))
    cuts = [first]
    quotes = 0
    with path.open("rb") as handle:
        offset = 0
        target = targets.pop(0) if targets else None
        while True:
            block = handle.read(_BLOCK)
            if not block:
                break
            pos = 0 if target is None else max(0, target - offset)
            while target is not None and pos < len(block):
                newline = block.find(b"\n", pos)
                if newline == -1:
                    break  # the row goes on in the next block
                if (quotes + block.count(b'"', 0, newline)) % 2 == 0:
                    if offset + newline + 1 > cuts[-1]:
                        cuts.append(offset + newline + 1)
                    target = targets.pop(0) if targets else None
                    pos = 0 if target is None else max(newline + 1, target - offset)
                else:
                    pos = newline + 1
            quotes += block.count(b'"')
            offset += len(block)
    return [c for c in cuts if c < size] + [size]


def _header_end(path: Path, fmt: TableFormat) -> int:
    """The byte where the first data row begins (after the header row)."""
    quotes = 0
    with path.open("rb") as handle:
        offset = 0
        while True:
            block = handle.read(1024 * 1024)
            if not block:
                return offset
            pos = 0
            while (newline := block.find(b"\n", pos)) != -1:
                if (quotes + block.count(b'"', 0, newline)) % 2 == 0:
                    return offset + newline + 1
                pos = newline + 1
            quotes += block.count(b'"')
            offset += len(block)


def split_table(
    path: Path, fmt: TableFormat, width: int, *, rows: int, sample_bytes_per_row: float, table: int,
    first_index: int,
) -> list[Partition]:  # fmt: skip
    """Partitions of about ``rows`` rows each (``sample_bytes_per_row``: the mean size of
    a row, from the rows the privacy guard read)."""
    if fmt.kind != "csv" or fmt.encoding not in _BYTE_SAFE:
        raise ConversionError(
            f"a table in {fmt.describe()} cannot be split into partitions: "
            "convert it on one machine, or save it as UTF-8 CSV/TSV",
            path=path,
        )
    step = max(1, int(rows * max(sample_bytes_per_row, 1.0)))
    cuts = _boundaries(path, _header_end(path, fmt), step)
    return [
        Partition(first_index + i, table, str(path), a, b, fmt, width)
        for i, (a, b) in enumerate(itertools.pairwise(cuts))
    ]


def partition_rows(part: Partition) -> Iterator[list[str]]:
    """The rows of one partition, cleaned as :func:`harmonize.io.iter_rows` cleans them."""
    from harmonize.io.tables import clean_rows

    path = Path(part.path)
    with path.open("rb") as handle:
        handle.seek(part.start)
        data = handle.read(part.end - part.start)
    encoding = "utf-8" if part.format.encoding == "utf-8-sig" else part.format.encoding
    try:
        text = io.StringIO(data.decode(encoding), newline="")
        reader = csv.reader(text, delimiter=part.format.delimiter)
        yield from clean_rows(enumerate(reader, start=1), path, part.width)
    except csv.Error as exc:
        raise InputFileError(f"malformed CSV: {exc}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"cannot decode as {part.format.encoding}: {exc.reason}", path=path
        ) from exc


def count_rows(part: Partition) -> int:
    """How many (non-blank) rows the partition holds."""
    return sum(1 for _ in partition_rows(part))
