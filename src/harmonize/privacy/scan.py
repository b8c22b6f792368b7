"""Column decisions: direct identifier, quasi-identifier or neither, with evidence.

:func:`scan_columns` is pure (column name -> values in, findings out); :func:`scan_table`
reads a table file. Findings carry only MASKED examples.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harmonize.privacy.detectors import (
    embedded_identifier,
    is_address,
    is_address_shaped,
    is_free_text,
    is_full_name,
    is_narrative,
    is_person_name,
    is_study_code,
    name_shape,
    parse_date,
    value_kind,
)
from harmonize.privacy.headers import HeaderHint, header_hint, header_words
from harmonize.privacy.mask import mask
from harmonize.privacy.names import NameLists, load_name_lists
from harmonize.privacy.validators import national_id_kind

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
        "url",
        "free_text",
    }
)

_SAMPLE = 2000
SAMPLE_ROWS = 50_000  # rows of a table file the scan reads
_SHARE = 0.5  # share of values needed on value evidence alone
_HINTED_SHARE = 0.2  # ... when the header says the same
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
_OTHER_DATE_WORDS = frozenset(
    {
        "diagnosis",
        "collection",
        "collected",
        "visit",
        "surgery",
        "death",
        "died",
        "admission",
        "discharge",
        "received",
        "created",
        "updated",
        "modified",
        "treatment",
        "follow",
        "start",
        "end",
        "procedure",
        "biopsy",
        "enrollment",
        "enrolment",
        "consent",
        "sampling",
        "sample",
        "operation",
        "test",
        "onset",
        "last",
        "event",
        "recurrence",
        "progression",
        "entry",
        "report",
        "release",
        "shipment",
        "processing",
    }
)
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}-?)?\d{3,6}$|^\d{3}\s\d{2}$", re.IGNORECASE)
_TERM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,15}[:_]\d{3,10}$")
_PSEUDONYM = re.compile(r"^pid-[0-9a-f]{12,64}$")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True, slots=True)
class ColumnFinding:
    """The decision on one column: category, kind, how many values matched, why."""

    column: str
    category: str  # "direct" | "quasi" | "none"
    kind: str  # e.g. "national_id", "person_name", "study_id"; "none" when nothing found
    match_share: float
    n_values: int
    evidence: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()  # always masked

    @property
    def is_direct(self) -> bool:
        return self.category == "direct"

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "category": self.category,
            "kind": self.kind,
            "match_share": round(self.match_share, 4),
            "n_values": self.n_values,
            "evidence": list(self.evidence),
            "examples": list(self.examples),
        }


def _sample(values: Sequence[str]) -> list[str]:
    cleaned = [v.strip() for v in values]
    kept = [v for v in cleaned if v and v.casefold() not in _MISSING]
    if len(kept) <= _SAMPLE:
        return kept
    step = len(kept) / _SAMPLE
    return [kept[int(i * step)] for i in range(_SAMPLE)]


def _examples(values: Sequence[str], category: str, predicate: Any = None) -> tuple[str, ...]:
    chosen: list[str] = []
    for value in values:
        if value in chosen or (predicate is not None and not predicate(value)):
            continue
        chosen.append(value)
        if len(chosen) == 3:
            break
    keep = 0 if category == "direct" else 2
    return tuple(mask(v, keep=min(keep, max(0, len(v) // 3))) for v in chosen)


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _looks_like_birth_dates(dates: list[dt.date], today: dt.date) -> bool:
    """Dates spread over decades, all in a human lifetime, mostly of adults."""
    if len(dates) < 5:
        return False
    ages = [(today - d).days / 365.25 for d in dates]
    in_life = sum(1 for a in ages if 0 <= a <= 120) / len(ages)
    years = sorted(d.year for d in dates)
    spread = years[int(0.9 * (len(years) - 1))] - years[int(0.1 * (len(years) - 1))]
    return in_life >= 0.95 and statistics.median(ages) >= 18 and spread >= 15


def _finding(
    column: str,
    category: str,
    kind: str,
    share: float,
    values: list[str],
    evidence: list[str],
    predicate: Any = None,
) -> ColumnFinding:
    return ColumnFinding(
        column=column,
        category=category,
        kind=kind,
        match_share=share,
        n_values=len(values),
        evidence=tuple(evidence),
        examples=_examples(values, category, predicate),
    )


def _share(values: list[str], predicate: Any) -> float:
    """Share of values for which ``predicate`` holds (evaluated once per distinct value)."""
    counts = Counter(values)
    return sum(n for value, n in counts.items() if predicate(value)) / len(values)


def scan_column(
    column: str,
    values: Sequence[str],
    *,
    names: NameLists | None = None,
    today: dt.date | None = None,
) -> ColumnFinding:
    """Decide whether one column holds direct identifiers, quasi-identifiers or neither."""
    vals = _sample(values)
    hint: HeaderHint | None = header_hint(column)
    hinted = hint.kind if hint else None
    head_ev = [f"header says {hint.kind} ({hint.words!r})"] if hint else []
    if not vals:
        category = "quasi" if hinted in QUASI_KINDS or hinted in DIRECT_KINDS else "none"
        return _finding(
            column,
            category if hint else "none",
            hinted or "none",
            0.0,
            vals,
            [*head_ev, "no values"],
        )
    lists = names if names is not None else load_name_lists()
    today = today or dt.date.today()
    distinct = len(set(vals)) / len(vals)

    def threshold(kind: str) -> float:
        return _HINTED_SHARE if hinted == kind else _SHARE

    # 0. already pseudonymized by harmonize (keyed HMAC, cannot be reversed)
    pseudonyms = _share(vals, lambda v: _PSEUDONYM.match(v) is not None)
    if pseudonyms >= _SHARE:
        return _finding(
            column,
            "quasi",
            "pseudonym",
            pseudonyms,
            vals,
            [*head_ev, f"{_pct(pseudonyms)} are harmonize pseudonyms (keyed HMAC)"],
        )

    # 1. validated patterns (check digits, syntax)
    kinds: Counter[str | None] = Counter()
    for value, count in Counter(vals).items():
        kind = value_kind(
            value, allow_plain_ssn=hinted == "national_id", allow_plain_phone=hinted == "phone"
        )
        kinds[kind] += count
    for kind in ("national_id", "email", "iban", "ip_address", "phone"):
        share = kinds[kind] / len(vals)
        if share >= threshold(kind) and share > 0:
            evidence = [*head_ev, f"{_pct(share)} of values are valid {kind.replace('_', ' ')}s"]
            if kind == "national_id":
                schemes = Counter(
                    national_id_kind(v, allow_plain_ssn=hinted == "national_id") for v in vals
                )
                evidence.append(
                    "schemes: "
                    + ", ".join(
                        f"{s} {_pct(c / len(vals))}" for s, c in schemes.most_common(3) if s
                    )
                )
            return _finding(
                column,
                "direct",
                kind,
                share,
                vals,
                evidence,
                lambda v, k=kind: (
                    value_kind(
                        v,
                        allow_plain_ssn=hinted == "national_id",
                        allow_plain_phone=hinted == "phone",
                    )
                    == k
                ),
            )

    # 2. dates: of birth (header or value range) or other dates
    dates = [d for d in (parse_date(v) for v in vals) if d is not None]
    date_share = len(dates) / len(vals)
    if date_share >= (_HINTED_SHARE if hinted == "date_of_birth" else _SHARE):
        words = set(header_words(column))
        if hinted == "date_of_birth":
            return _finding(
                column,
                "direct",
                "date_of_birth",
                date_share,
                vals,
                [*head_ev, f"{_pct(date_share)} of values are full dates"],
                lambda v: parse_date(v) is not None,
            )
        if not words & _OTHER_DATE_WORDS and _looks_like_birth_dates(dates, today):
            return _finding(
                column,
                "direct",
                "date_of_birth",
                date_share,
                vals,
                [f"{_pct(date_share)} full dates spread over decades, all within a lifetime"],
                lambda v: parse_date(v) is not None,
            )
        return _finding(
            column,
            "quasi",
            "date",
            date_share,
            vals,
            [*head_ev, f"{_pct(date_share)} of values are full dates"],
            lambda v: parse_date(v) is not None,
        )

    # 3. postal addresses
    address_share = _share(vals, is_address)
    shaped_share = _share(vals, is_address_shaped)
    if (hinted == "address" and shaped_share >= _SHARE) or (
        distinct >= 0.7
        and (
            (address_share >= _HINTED_SHARE and shaped_share >= _SHARE)
            or (address_share >= 0.05 and shaped_share >= 0.8)
        )
    ):
        return _finding(
            column,
            "direct",
            "address",
            shaped_share,
            vals,
            [
                *head_ev,
                f"{_pct(shaped_share)} shaped like street addresses, "
                f"{_pct(address_share)} with a street word",
            ],
            is_address_shaped,
        )

    # 4. person names (an all-lower-case export is read title-cased, on stricter terms)
    lowered = _share(vals, lambda v: v == v.lower() and any(c.isalpha() for c in v)) >= 0.8
    name_vals = [v.title() for v in vals] if lowered else vals
    shape_share = _share(name_vals, lambda v: name_shape(v) is not None)
    name_share = _share(name_vals, lambda v: is_person_name(v, lists))
    # a bare "name" header may also head sample or site names: then some values must be known names
    weak_hint = hint is not None and hint.words in {"name", "navn", "namn", "names"}
    if (
        hinted == "person_name"
        and shape_share >= _SHARE
        and (not weak_hint or name_share >= _HINTED_SHARE)
    ):
        return _finding(
            column,
            "direct",
            "person_name",
            max(name_share, shape_share),
            vals,
            [*head_ev, f"{_pct(shape_share)} name-shaped, {_pct(name_share)} in name lists"],
            lambda v: name_shape(v) is not None,
        )
    # names the lists do not know (e.g. rare surnames): a distinct, name-shaped column in
    # which a good part of the values are known names
    unknown_names = shape_share >= 0.8 and name_share >= 0.25 and distinct >= 0.5
    # full names (known first name + known surname) even when few people repeat
    full_names = _share(name_vals, lambda v: is_full_name(v, lists)) >= _SHARE
    min_distinct = 0.5 if lowered else 0.3
    other_kind = hinted in {"geography", "sex", "ethnicity", "age", "postcode", "birth_year"}
    if not other_kind and (
        (name_share >= _SHARE and (distinct >= min_distinct or len(vals) < 10))
        or unknown_names
        or full_names
    ):
        return _finding(
            column,
            "direct",
            "person_name",
            name_share,
            vals,
            [
                f"{_pct(name_share)} of values hold known first or last names",
                f"{_pct(shape_share)} name-shaped, {_pct(distinct)} distinct",
            ],
            lambda v: name_shape(v) is not None,
        )

    # 5. header says direct identifier; values have the right shape but fail validation
    digits6 = _share(vals, lambda v: sum(c.isdigit() for c in v) >= 6)
    if hinted in {"national_id", "record_number"} and digits6 >= _SHARE:
        return _finding(
            column,
            "direct",
            hinted,
            digits6,
            vals,
            [*head_ev, f"{_pct(digits6)} of values are numbers of 6+ digits"],
        )
    digits7 = _share(vals, lambda v: sum(c.isdigit() for c in v) >= 7)
    if hinted == "phone" and digits7 >= _SHARE:
        return _finding(
            column,
            "direct",
            "phone",
            digits7,
            vals,
            [*head_ev, f"{_pct(digits7)} of values hold 7+ digits"],
        )
    if hinted == "email" and (at := _share(vals, lambda v: "@" in v)) >= _SHARE:
        return _finding(column, "direct", "email", at, vals, [*head_ev, f"{_pct(at)} contain '@'"])

    # 6. free text long enough to hide anything
    long_vals = [v for v in vals if is_free_text(v)]
    long_share = len(long_vals) / len(vals)
    if long_share >= threshold("free_text"):
        embedded = Counter(embedded_identifier(v, lists) for v in long_vals)
        hidden = sum(c for k, c in embedded.items() if k and k != "date") / len(long_vals)
        evidence = [*head_ev, f"{_pct(long_share)} of values are prose of 6+ words"]
        if hidden > 0:
            found = ", ".join(k for k, _ in embedded.most_common() if k and k != "date")
            evidence.append(f"{_pct(hidden)} of them contain identifiers ({found})")
        prose = _share(long_vals, is_narrative)
        narrative = prose >= 0.3 and distinct >= 0.9
        if narrative:
            evidence.append(f"{_pct(prose)} written as sentences, {_pct(distinct)} distinct")
        if hidden >= 0.05 or hinted == "free_text" or narrative:
            return _finding(column, "direct", "free_text", long_share, vals, evidence, is_free_text)
        return _finding(column, "quasi", "free_text", long_share, vals, evidence, is_free_text)

    # 7. quasi-identifiers
    terms = _share(vals, lambda v: _TERM_ID.match(v) is not None)
    if terms >= 0.8:  # ontology term identifiers (EFO:0000311, HP_0001250), not people
        return _finding(
            column, "none", "none", 0.0, vals, [f"{_pct(terms)} ontology term identifiers"]
        )
    uuid_or_code = _share(vals, is_study_code)
    if (hinted == "study_id" and uuid_or_code >= _SHARE) or (
        uuid_or_code >= 0.9 and distinct >= 0.9
    ):
        return _finding(
            column,
            "quasi",
            "study_id",
            uuid_or_code,
            vals,
            [*head_ev, f"{_pct(uuid_or_code)} pseudonymous codes, {_pct(distinct)} distinct"],
            is_study_code,
        )
    numbers = _share(
        vals, lambda v: _NUMBER.match(v) is not None and 0 <= float(v.replace(",", ".")) <= 1500
    )
    years = _share(vals, lambda v: v.isdigit() and len(v) == 4 and 1890 <= int(v) <= today.year)
    if hinted in {"birth_year", "date_of_birth"} and years >= _SHARE:
        return _finding(
            column, "quasi", "birth_year", years, vals, [*head_ev, f"{_pct(years)} are years"]
        )
    if hinted == "age" and numbers >= _SHARE:
        return _finding(
            column, "quasi", "age", numbers, vals, [*head_ev, f"{_pct(numbers)} numeric"]
        )
    uk = _share(vals, lambda v: _UK_POSTCODE.match(v) is not None)
    if uk >= 0.8 or (
        hinted == "postcode"
        and _share(vals, lambda v: bool(_POSTCODE.match(v) or _UK_POSTCODE.match(v))) >= _SHARE
    ):
        return _finding(
            column,
            "quasi",
            "postcode",
            max(uk, _share(vals, lambda v: bool(_POSTCODE.match(v) or _UK_POSTCODE.match(v)))),
            vals,
            [*head_ev, "postcode-shaped values"],
        )
    url_share = kinds["url"] / len(vals)
    if url_share >= _SHARE:
        return _finding(column, "quasi", "url", url_share, vals, [f"{_pct(url_share)} URLs"])
    if hinted in {"sex", "ethnicity", "geography", "study_id", "age", "postcode"}:
        return _finding(column, "quasi", hinted, 1.0, vals, head_ev)
    return _finding(column, "none", "none", 0.0, vals, ["no identifying pattern"])


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
    header = tuple(next(rows))
    duplicates = sorted({c for c in header if c and header.count(c) > 1})
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
