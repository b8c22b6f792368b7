"""The column rules, strongest evidence first; the first rule that decides wins.

Each rule looks at a :class:`.finding.ColumnValues` and returns a finding or ``None``.
Shares are computed over the sampled, non-missing values; a header that names the
content lowers the share needed (``SHARE_HINTED``) but never decides alone.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Callable

from harmonize.privacy.dates import parse_date
from harmonize.privacy.detectors import (
    embedded_identifier,
    has_person_title,
    is_address,
    is_address_shaped,
    is_free_text,
    is_full_name,
    is_narrative,
    is_person_name,
    is_study_code,
    name_shape,
)
from harmonize.privacy.finding import SHARE, SHARE_HINTED, ColumnFinding, ColumnValues, pct
from harmonize.privacy.headers import header_words
from harmonize.privacy.validators import national_id_kind

__all__ = ["RULES", "decide"]

Rule = Callable[[ColumnValues], ColumnFinding | None]

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
        "dx",
        "diag",
        "initial",
        "encounter",
        "specimen",
        "resection",
        "therapy",
        "radiation",
        "chemo",
        "recorded",
        "measured",
    }
)
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}-?)?\d{3,6}$|^\d{3}\s\d{2}$", re.IGNORECASE)
_TERM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]{1,15}[:_]\d{3,10}$")
_PSEUDONYM = re.compile(r"^pid-[0-9a-f]{12,64}$")  # see pseudonymize.pseudonym
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_WEAK_NAME_HEADERS = frozenset({"name", "navn", "namn", "names"})
_OTHER_QUASI_HINTS = frozenset(
    {"geography", "institution", "sex", "ethnicity", "age", "postcode", "birth_year"}
)


def _pseudonyms(c: ColumnValues) -> ColumnFinding | None:
    """Already pseudonymized by harmonize (keyed HMAC, cannot be reversed)."""
    share = c.share(lambda v: _PSEUDONYM.match(v) is not None)
    if share < SHARE:
        return None
    return c.finding(
        "quasi",
        "pseudonym",
        share,
        [*c.header_evidence, f"{pct(share)} are harmonize pseudonyms (keyed HMAC)"],
    )


def _validated(c: ColumnValues) -> ColumnFinding | None:
    """Check digits and syntax: national IDs, e-mail, IBAN, IP addresses, phone numbers."""
    for kind in ("national_id", "email", "iban", "ip_address", "phone"):
        share = c.value_kinds[kind] / len(c.values)
        if share <= 0 or share < c.threshold(kind):
            continue
        evidence = [
            *c.header_evidence,
            f"{pct(share)} of values are valid {kind.replace('_', ' ')}s",
        ]
        if kind == "national_id":
            schemes = Counter(
                national_id_kind(v, allow_plain_ssn=c.hinted == "national_id") for v in c.values
            )
            evidence.append(
                "schemes: "
                + ", ".join(f"{s} {pct(n / len(c.values))}" for s, n in schemes.most_common(3) if s)
            )
        return c.finding("direct", kind, share, evidence, _kind_is(c, kind))
    return None


def _kind_is(c: ColumnValues, kind: str) -> Callable[[str], bool]:
    def matches(value: str) -> bool:
        return c.value_kind(value) == kind

    return matches


def _looks_like_birth_dates(dates: list[dt.date], today: dt.date) -> bool:
    """Dates spread over decades, all in a human lifetime, mostly of adults."""
    if len(dates) < 5:
        return False
    ages = [(today - d).days / 365.25 for d in dates]
    in_life = sum(1 for a in ages if 0 <= a <= 120) / len(ages)
    years = sorted(d.year for d in dates)
    spread = years[int(0.9 * (len(years) - 1))] - years[int(0.1 * (len(years) - 1))]
    # older than event dates of a study usually are: adults born over two decades or more
    return in_life >= 0.95 and statistics.median(ages) >= 30 and spread >= 20


def _dates(c: ColumnValues) -> ColumnFinding | None:
    """Dates of birth (header, or the value range) and other dates."""
    dates = [d for d in (parse_date(v) for v in c.values) if d is not None]
    share = len(dates) / len(c.values)
    if share < c.threshold("date_of_birth"):
        return None

    def is_date(v: str) -> bool:
        return parse_date(v) is not None

    if c.hinted == "date_of_birth":
        evidence = [*c.header_evidence, f"{pct(share)} of values are full dates"]
        return c.finding("direct", "date_of_birth", share, evidence, is_date)
    if share < SHARE:
        return None
    if not set(header_words(c.column)) & _OTHER_DATE_WORDS and _looks_like_birth_dates(
        dates, c.today
    ):
        evidence = [f"{pct(share)} full dates spread over decades, all within a lifetime"]
        return c.finding("direct", "date_of_birth", share, evidence, is_date)
    evidence = [*c.header_evidence, f"{pct(share)} of values are full dates"]
    return c.finding("quasi", "date", share, evidence, is_date)


def _addresses(c: ColumnValues) -> ColumnFinding | None:
    """Street addresses: a house number and capitalised words, with street words."""
    with_word = c.share(is_address)
    shaped = c.share(is_address_shaped)
    by_header = c.hinted == "address" and shaped >= SHARE
    by_values = c.distinct >= 0.7 and (
        (with_word >= SHARE_HINTED and shaped >= SHARE) or (with_word >= 0.05 and shaped >= 0.8)
    )
    if not (by_header or by_values):
        return None
    evidence = [
        *c.header_evidence,
        f"{pct(shaped)} shaped like street addresses, {pct(with_word)} with a street word",
    ]
    return c.finding("direct", "address", shaped, evidence, is_address_shaped)


def _names(c: ColumnValues) -> ColumnFinding | None:
    """Person names: header + name-shaped values, or values in the shipped name lists."""
    # an all-lower-case export is read title-cased, on stricter terms
    lowered = c.share(lambda v: v == v.lower() and any(ch.isalpha() for ch in v)) >= 0.8
    values = [v.title() for v in c.values] if lowered else c.values
    shape_share = c.share(lambda v: name_shape(v) is not None, values)
    name_share = c.share(lambda v: is_person_name(v, c.names), values)

    def shaped(v: str) -> bool:
        return name_shape(v) is not None

    # a bare "name" header may also head sample or site names: some values must be known names
    weak_hint = c.hint is not None and c.hint.words in _WEAK_NAME_HEADERS
    if (
        c.hinted == "person_name"
        and shape_share >= SHARE
        and (not weak_hint or name_share >= SHARE_HINTED)
    ):
        evidence = [
            *c.header_evidence,
            f"{pct(shape_share)} name-shaped, {pct(name_share)} in name lists",
        ]
        return c.finding("direct", "person_name", max(name_share, shape_share), evidence, shaped)
    if c.hinted in _OTHER_QUASI_HINTS:
        return None
    # few or lower-cased values give common words that are also names in some locale
    # (Kidney, Colon) more weight: ask for more
    small = len(c.values) < 10
    known = name_share >= (0.7 if small or lowered else SHARE) and c.distinct >= (
        0.5 if lowered else 0.3
    )
    # names the lists do not know (e.g. rare surnames): a distinct, name-shaped column in
    # which a good part of the values are known names
    unknown_names = not small and shape_share >= 0.8 and name_share >= 0.25 and c.distinct >= 0.5
    # full names (known first name + known surname) even when few people repeat
    full_names = c.share(lambda v: is_full_name(v, c.names), values) >= SHARE
    # "Dr. Søren Østergaard": a personal title before name-shaped words
    titled = c.share(has_person_title, values) >= SHARE
    if not (known or unknown_names or full_names or titled):
        return None
    evidence = [
        f"{pct(name_share)} of values hold known first or last names",
        f"{pct(shape_share)} name-shaped, {pct(c.distinct)} distinct",
    ]
    return c.finding("direct", "person_name", name_share, evidence, shaped)


def _unvalidated(c: ColumnValues) -> ColumnFinding | None:
    """The header names a direct identifier; the values have its shape but fail validation."""
    if c.hinted in {"national_id", "record_number"}:
        share = c.share(lambda v: sum(ch.isdigit() for ch in v) >= 6)
        if share >= SHARE:
            evidence = [*c.header_evidence, f"{pct(share)} of values are numbers of 6+ digits"]
            return c.finding("direct", c.hinted, share, evidence)
    if c.hinted == "phone":
        share = c.share(lambda v: sum(ch.isdigit() for ch in v) >= 7)
        if share >= SHARE:
            evidence = [*c.header_evidence, f"{pct(share)} of values hold 7+ digits"]
            return c.finding("direct", "phone", share, evidence)
    if c.hinted == "email":
        share = c.share(lambda v: "@" in v)
        if share >= SHARE:
            evidence = [*c.header_evidence, f"{pct(share)} contain '@'"]
            return c.finding("direct", "email", share, evidence)
    return None


def _free_text(c: ColumnValues) -> ColumnFinding | None:
    """Free text long enough to hide anything: direct when it is prose or hides identifiers."""
    long_vals = [v for v in c.values if is_free_text(v)]
    share = len(long_vals) / len(c.values)
    if share < c.threshold("free_text"):
        return None
    embedded = Counter(embedded_identifier(v, c.names) for v in long_vals)
    hidden = sum(n for k, n in embedded.items() if k and k != "date") / len(long_vals)
    evidence = [*c.header_evidence, f"{pct(share)} of values are prose of 6+ words"]
    if hidden > 0:
        found = ", ".join(k for k, _ in embedded.most_common() if k and k != "date")
        evidence.append(f"{pct(hidden)} of them contain identifiers ({found})")
    prose = c.share(is_narrative, long_vals)
    narrative = prose >= 0.3 and c.distinct >= 0.9
    if narrative:
        evidence.append(f"{pct(prose)} written as sentences, {pct(c.distinct)} distinct")
    direct = hidden >= 0.05 or c.hinted == "free_text" or narrative
    return c.finding("direct" if direct else "quasi", "free_text", share, evidence, is_free_text)


def _term_ids(c: ColumnValues) -> ColumnFinding | None:
    """Ontology term identifiers (EFO:0000311, HP_0001250) are about terms, not people."""
    share = c.share(lambda v: _TERM_ID.match(v) is not None)
    if share < 0.8:
        return None
    return c.finding("none", "none", 0.0, [f"{pct(share)} ontology term identifiers"])


def _study_ids(c: ColumnValues) -> ColumnFinding | None:
    """Pseudonymous study codes (case, sample, aliquot IDs; UUIDs): quasi, not direct."""
    share = c.share(is_study_code)
    if not ((c.hinted == "study_id" and share >= SHARE) or (share >= 0.9 and c.distinct >= 0.9)):
        return None
    evidence = [
        *c.header_evidence,
        f"{pct(share)} pseudonymous codes, {pct(c.distinct)} distinct",
    ]
    return c.finding("quasi", "study_id", share, evidence, is_study_code)


def _numbers(c: ColumnValues) -> ColumnFinding | None:
    """Birth years and ages (named by the header), postcodes, URLs."""
    if c.hinted in {"birth_year", "date_of_birth"}:
        years = c.share(lambda v: v.isdecimal() and len(v) == 4 and 1890 <= int(v) <= c.today.year)
        if years >= SHARE:
            evidence = [*c.header_evidence, f"{pct(years)} are years"]
            return c.finding("quasi", "birth_year", years, evidence)
    if c.hinted == "age":
        numbers = c.share(
            lambda v: _NUMBER.match(v) is not None and 0 <= float(v.replace(",", ".")) <= 1500
        )
        if numbers >= SHARE:
            return c.finding(
                "quasi", "age", numbers, [*c.header_evidence, f"{pct(numbers)} numeric"]
            )
    uk = c.share(lambda v: _UK_POSTCODE.match(v) is not None)
    postal = c.share(lambda v: bool(_POSTCODE.match(v) or _UK_POSTCODE.match(v)))
    if uk >= 0.8 or (c.hinted == "postcode" and postal >= SHARE):
        return c.finding(
            "quasi", "postcode", max(uk, postal), [*c.header_evidence, "postcode-shaped values"]
        )
    urls = c.value_kinds["url"] / len(c.values)
    if urls >= SHARE:
        return c.finding("quasi", "url", urls, [f"{pct(urls)} URLs"])
    return None


def _header_only(c: ColumnValues) -> ColumnFinding | None:
    """A header naming a quasi-identifier (sex, ethnicity, place...) decides on its own."""
    if c.hinted in {"sex", "ethnicity", "geography", "institution", "study_id", "age", "postcode"}:
        return c.finding("quasi", c.hinted, 1.0, c.header_evidence)
    return None


RULES: tuple[Rule, ...] = (
    _pseudonyms,
    _validated,
    _dates,
    _addresses,
    _names,
    _unvalidated,
    _free_text,
    _term_ids,
    _study_ids,
    _numbers,
    _header_only,
)


def decide(c: ColumnValues) -> ColumnFinding:
    """The first rule's finding, else ``none``."""
    for rule in RULES:
        finding = rule(c)
        if finding is not None:
            return finding
    return c.finding("none", "none", 0.0, ["no identifying pattern"])
