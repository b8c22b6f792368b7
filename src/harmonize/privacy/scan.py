"""Column decisions: direct identifier, quasi-identifier or neither, with evidence.

:func:`scan_columns` is pure (column name -> values in, findings out); :func:`scan_table`
reads a table file. The rules live in :mod:`.rules`; findings carry only MASKED examples.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from harmonize.privacy.finding import ColumnFinding, ColumnValues
from harmonize.privacy.headers import header_hint
from harmonize.privacy.names import NameLists, load_name_lists
from harmonize.privacy.rules import decide

__all__ = [
    "CATEGORIES",
    "DIRECT_KINDS",
    "QUASI_KINDS",
    "SAMPLE_ROWS",
    "ColumnFinding",
    "read_columns",
    "scan_column",
    "scan_columns",
    "scan_table",
]

CATEGORIES = ("direct", "quasi", "none")
DIRECT_KINDS = frozenset(
    {
        "national_id",
        "person_name",
        "email",
        "phone",
        "date_of_birth",
        "iban",
        "ip_address",
        "address",
        "record_number",
        "free_text",
    }
)
QUASI_KINDS = frozenset(
    {
        "study_id",
        "pseudonym",
        "age",
        "birth_year",
        "date",
        "postcode",
        "sex",
        "ethnicity",
        "geography",
        "institution",
        "url",
        "free_text",
    }
)

_SAMPLE = 2000  # values per column the rules look at
SAMPLE_ROWS = 50_000  # rows of a table file the scan reads
_MISSING = frozenset(
    {
        "na",
        "n/a",
        "nan",
        "null",
        "none",
        "-",
        "--",
        ".",
        "?",
        "unknown",
        "not reported",
        "not available",
        "not applicable",
        "missing",
    }
)


def _sample(values: Sequence[str]) -> list[str]:
    cleaned = [v.strip() for v in values]
    kept = [v for v in cleaned if v and v.casefold() not in _MISSING]
    if len(kept) <= _SAMPLE:
        return kept
    step = len(kept) / _SAMPLE
    return [kept[int(i * step)] for i in range(_SAMPLE)]


def scan_column(
    column: str,
    values: Sequence[str],
    *,
    names: NameLists | None = None,
    today: dt.date | None = None,
) -> ColumnFinding:
    """Decide whether one column holds direct identifiers, quasi-identifiers or neither."""
    hint = header_hint(column)
    lists = names if names is not None else load_name_lists()
    c = ColumnValues(column, _sample(values), hint, lists, today or dt.date.today())
    if not c.values:
        kind = hint.kind if hint else "none"
        category = "quasi" if hint and (kind in QUASI_KINDS or kind in DIRECT_KINDS) else "none"
        return c.finding(category, kind, 0.0, [*c.header_evidence, "no values"])
    return decide(c)


def scan_columns(
    columns: Mapping[str, Sequence[str]],
    *,
    names: NameLists | None = None,
    today: dt.date | None = None,
) -> list[ColumnFinding]:
    """One finding per column, in the given order."""
    lists = names if names is not None else load_name_lists()
    return [scan_column(name, values, names=lists, today=today) for name, values in columns.items()]


def read_columns(
    path: str | Path, *, limit: int = SAMPLE_ROWS
) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """Header and the values of the first ``limit`` rows of a table, streamed.

    A huge table is never loaded whole: the scan decides on its first ``limit`` rows.
    """
    from harmonize.errors import InputFileError
    from harmonize.io.tables import iter_rows

    rows = iter_rows(path)
    # unnamed columns get a name (an empty header cell must not merge columns)
    header = tuple(name or f"column_{i}" for i, name in enumerate(next(rows), start=1))
    duplicates = sorted({c for c, n in Counter(header).items() if c and n > 1})
    if duplicates:
        raise InputFileError(f"duplicate column names: {', '.join(duplicates)}", path=path, line=1)
    columns: dict[str, list[str]] = {name: [] for name in header}
    for number, row in enumerate(rows):
        if number >= limit:
            break
        for name, cell in zip(header, row, strict=False):
            columns[name].append(cell.strip())
    return header, columns


def scan_table(path: str | Path, *, limit: int = SAMPLE_ROWS) -> list[ColumnFinding]:
    """Scan every column of a CSV/TSV/XLSX table (its first ``limit`` rows)."""
    header, columns = read_columns(path, limit=limit)
    return scan_columns({name: columns[name] for name in header})
