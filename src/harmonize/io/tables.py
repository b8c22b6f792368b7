"""Partner tables in: CSV/TSV (delimiter and encoding sniffed) and XLSX.

``read_table`` loads a small table whole; ``iter_rows`` streams a large one row by row
in bounded memory. Both say which encoding and delimiter they used.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from harmonize.errors import InputFileError
from harmonize.io.files import open_input
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = [
    "Table",
    "TableFormat",
    "clean_rows",
    "iter_rows",
    "read_table",
    "read_terms",
    "sniff_format",
]

_SNIFF_BYTES = 64 * 1024
_ENCODINGS = ("utf-8", "cp1252", "latin-1")
_DELIMITERS = ",\t;|"


@dataclass(frozen=True, slots=True)
class TableFormat:
    """How a delimited text table was read."""

    encoding: str
    delimiter: str
    kind: str = "csv"  # "csv" | "xlsx"

    def describe(self) -> str:
        if self.kind == "xlsx":
            return "Excel workbook (first sheet)"
        names = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
        return f"{self.encoding}, {names.get(self.delimiter, repr(self.delimiter))}-separated"


@dataclass(frozen=True, slots=True)
class Table:
    """A partner table: header plus rows of strings (empty cell = ``""``)."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    format: TableFormat = field(default_factory=lambda: TableFormat("utf-8", ","))

    def column(self, name: str) -> list[str]:
        """All values of one column, in row order."""
        try:
            idx = self.columns.index(name)
        except ValueError:
            raise InputFileError(
                f"no column named {name!r}; columns are: {', '.join(self.columns)}",
                path=self.path,
                column=name,
            ) from None
        return [row[idx] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def _check_file(path: Path) -> bytes:
    if path.is_dir():
        raise InputFileError("is a folder, expected a table file", path=path)
    with open_input(path) as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.lstrip(codecs.BOM_UTF8).strip():
        raise InputFileError("file is empty", path=path)
    return head


def _detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise InputFileError(
            "looks like a binary file, not a text table (CSV/TSV) or Excel workbook", path=path
        )
    for encoding in _ENCODINGS:
        try:
            # a cut multi-byte character at the end of the sniff window is fine
            head.decode(encoding) if len(head) < _SNIFF_BYTES else head[:-4].decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8":
            try:  # confirm on the whole file, streaming
                with open_input(path) as raw:
                    decoder = codecs.getincrementaldecoder("utf-8")()
                    for block in iter(lambda: raw.read(1 << 20), b""):
                        decoder.decode(block)
                    decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
        return encoding
    return "latin-1"


def _detect_delimiter(path: Path, sample: str) -> str:
    if path.suffix.lower() in {".tsv", ".tab"}:
        return "\t"
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def sniff_format(path: str | Path) -> TableFormat:
    """Detect how a table file is encoded and delimited."""
    path = Path(path)
    head = _check_file(path)
    if head[:4] == b"PK\x03\x04":
        return TableFormat("binary", "", kind="xlsx")
    encoding = _detect_encoding(path, head)
    sample = head.decode(encoding, errors="replace")
    return TableFormat(encoding, _detect_delimiter(path, sample))


def _text_rows(path: Path, fmt: TableFormat, limits: ReadLimits) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of a delimited text table; csv errors name the line."""
    csv.field_size_limit(limits.max_cell_chars)  # the csv module's limit is process-wide
    with open_input(path) as raw:
        handle = io.TextIOWrapper(raw, encoding=fmt.encoding, newline="")
        reader = csv.reader(handle, delimiter=fmt.delimiter)
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as exc:
            message = str(exc)
            if "field larger than field limit" in message:
                message = (
                    f"a cell is longer than {limits.max_cell_chars:,} characters "
                    "(ReadLimits.max_cell_chars)"
                )
            raise InputFileError(
                f"malformed CSV: {message}", path=path, line=reader.line_num + 1
            ) from None
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"cannot decode as {fmt.encoding}: {exc.reason}",
                path=path,
                line=reader.line_num + 1,
            ) from None


def _numbered_rows(
    path: Path, fmt: TableFormat, limits: ReadLimits
) -> Iterator[tuple[int, list[str]]]:
    if fmt.kind == "xlsx":
        from harmonize.io.xlsx import xlsx_rows

        return enumerate(xlsx_rows(path, limits=limits), start=1)
    return _text_rows(path, fmt, limits)


def _header(path: Path, row: list[str], limits: ReadLimits) -> list[str]:
    header = [cell.strip() for cell in row]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise InputFileError("the first line holds no column names", path=path, line=1)
    if len(header) > limits.max_columns:
        raise InputFileError(
            f"the header has {len(header):,} columns, over the limit of "
            f"{limits.max_columns:,} (ReadLimits.max_columns)",
            path=path,
            line=1,
        )
    return header


def iter_rows(
    path: str | Path, fmt: TableFormat | None = None, *, limits: ReadLimits = DEFAULT_LIMITS
) -> Iterator[list[str]]:
    """Stream the rows of a table, header first, in bounded memory.

    Raises :class:`InputFileError` naming the row when a row has more cells than the
    header (a ragged row); shorter rows are padded with empty cells. A file without
    even a header line (only a byte-order mark, an empty sheet) is an error too.
    """
    path = Path(path)
    fmt = fmt or sniff_format(path)
    empty = True
    for row in clean_rows(_numbered_rows(path, fmt, limits), path, limits=limits):
        empty = False
        yield row
    if empty:
        what = "the first sheet is empty" if fmt.kind == "xlsx" else "no header line"
        raise InputFileError(f"{what}: the table holds no rows", path=path, line=1)


def clean_rows(
    numbered: Iterable[tuple[int, list[str]]],
    path: Path,
    width: int | None = None,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[list[str]]:
    """Rows as :func:`iter_rows` gives them, from ``(line, cells)`` pairs: the header
    first (unless ``width``, the header's, is given), blank rows skipped, short rows
    padded, ragged rows refused naming their line."""
    for number, row in numbered:
        if width is None:
            header = _header(path, row, limits)
            width = len(header)
            yield header
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > width:
            extra = row[width:]
            if any(cell.strip() for cell in extra):
                raise InputFileError(
                    f"row has {len(row)} cells but the header has {width} columns (ragged row)",
                    path=path,
                    line=number,
                )
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        yield row


def read_table(path: str | Path) -> Table:
    """Read a whole table into memory (use :func:`iter_rows` for very large files)."""
    path = Path(path)
    fmt = sniff_format(path)
    rows = iter_rows(path, fmt)
    header = next(rows)
    duplicates = {c for c, n in Counter(header).items() if n > 1 and c}
    if duplicates:
        raise InputFileError(
            f"duplicate column names: {', '.join(sorted(duplicates))}", path=path, line=1
        )
    body = tuple(tuple(cell.strip() for cell in row) for row in rows)
    return Table(path=path, columns=tuple(header), rows=body, format=fmt)


def read_terms(path: str | Path, column: str | None = None) -> list[str]:
    """Terms to ground: a column of a CSV/TSV (default the first) or one term per line.

    A file with a ``.txt`` suffix (or a single column and no delimiter) is read as one
    term per line; empty lines are skipped.
    """
    path = Path(path)
    fmt = sniff_format(path)
    if fmt.kind != "xlsx" and path.suffix.lower() in {".txt", ".lst", ""} and column is None:
        with open_input(path) as raw:
            handle = io.TextIOWrapper(raw, encoding=fmt.encoding)
            try:
                return [line.strip() for line in handle if line.strip()]
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    f"cannot decode as {fmt.encoding}: {exc.reason}", path=path
                ) from None
    table = read_table(path)
    name = column if column is not None else table.columns[0]
    return [value for value in table.column(name) if value]
