"""Column decisions: direct identifier, quasi-identifier or neither, with evidence.

:func:`scan_columns` is pure (column name -> values in, findings out); :func:`scan_table`
reads a table file. The rules live in :mod:`.rules`; findings carry only MASKED examples.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from harmonize.privacy.finding import ColumnFinding, ColumnValues, pct
from harmonize.privacy.headers import header_hint
from harmonize.privacy.mask import mask
from harmonize.privacy.names import NameLists, load_name_lists
from harmonize.privacy.rules import decide
from harmonize.privacy.scattered import scattered_identifiers
from harmonize.text.values import MISSING, NOT_KNOWN, value_key

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
_SKIPPED = MISSING | NOT_KNOWN  # cells that hold no identifier to find


def _present(values: Sequence[str]) -> list[str]:
    """The values that are not empty or a missing-value marker, stripped."""
    cleaned = [v.strip() for v in values]
    return [v for v in cleaned if v and value_key(v) not in _SKIPPED]


def _sample(kept: list[str]) -> list[str]:
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
    present = _present(values)
    c = ColumnValues(column, _sample(present), hint, lists, today or dt.date.today())
    if not c.values:
        kind = hint.kind if hint else "none"
        category = "quasi" if hint and (kind in QUASI_KINDS or kind in DIRECT_KINDS) else "none"
        return c.finding(category, kind, 0.0, [*c.header_evidence, "no values"])
    finding = decide(c)
    if finding.is_direct:
        return finding
    return _with_scattered(finding, present, c.hinted) or finding


def _with_scattered(
    finding: ColumnFinding, present: list[str], hinted: str | None
) -> ColumnFinding | None:
    """A ``direct`` finding when any value (not only the sample) is a validated national
    ID, e-mail or phone number, whatever their share; None when there is none."""
    found = scattered_identifiers(present, hinted=hinted)
    if found is None:
        return None
    kind = found.kind.replace("_", " ")
    share = f"{found.share:.2%}" if found.share < 0.01 else pct(found.share)
    evidence = (
        f"{found.cells:,} of {found.total:,} values ({share}) are valid {kind}s "
        f"among {finding.kind if finding.kind != 'none' else 'other'} values"
    )
    return replace(
        finding,
        category="direct",
        kind=found.kind,
        match_share=found.share,
        n_values=found.total,
        evidence=(evidence, *finding.evidence),
        examples=tuple(mask(v) for v in found.examples),
    )


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
