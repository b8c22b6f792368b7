"""Validated value patterns: national identity numbers, bank accounts, contacts.

Check digits come from python-stdnum (a well-kept library), never hand-written. Each
function takes one cell value and answers whether it *is* such an identifier; a
column decision is made from the share of values that pass (see :mod:`.detectors`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "NATIONAL_ID_VALIDATORS",
    "is_de_idnr",
    "is_dk_cpr",
    "is_email",
    "is_fi_hetu",
    "is_gb_nhs",
    "is_iban",
    "is_ip_address",
    "is_no_fodselsnummer",
    "is_phone",
    "is_se_personnummer",
    "is_url",
    "is_us_ssn",
    "national_id_kind",
]

_DIGITS_SEP = re.compile(r"^[\d\s\-./+]+$")
_CPR_SHAPE = re.compile(r"^\d{6}[-\s]?\d{4}$")
_PNR_SHAPE = re.compile(r"^(\d{2})?\d{6}[-+\s]?\d{4}$")
_NHS_SHAPE = re.compile(r"^\d{3}[\s-]?\d{3}[\s-]?\d{4}$")
_SSN_DASHED = re.compile(r"^\d{3}-\d{2}-\d{4}$")
_SSN_PLAIN = re.compile(r"^\d{9}$")
_IDNR_SHAPE = re.compile(r"^\d{2}\s?\d{3}\s?\d{3}\s?\d{3}$")
_HETU_SHAPE = re.compile(r"^\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y]$")
_FNR_SHAPE = re.compile(r"^\d{6}\s?\d{5}$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_URL = re.compile(r"^(?:https?|ftp)://[^\s/$.?#][^\s]*$|^www\.[^\s.]+\.[^\s]{2,}$", re.IGNORECASE)
_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$")
# phone: optional +CC or 00CC or (0), groups of digits separated by space . - / ( ), extension
_PHONE = re.compile(
    r"^(?:\+|00)?\(?\d{1,4}\)?(?:[\s.\-/]?\(?0?\)?[\s.\-/]?\(?\d{1,5}\)?){1,6}"
    r"(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?$",
    re.IGNORECASE,
)


def is_dk_cpr(value: str) -> bool:
    """Danish CPR number: a real birth date (DDMMYY) whose century follows the 7th digit.

    >>> is_dk_cpr("211062-5629"), is_dk_cpr("321362-5629")
    (True, False)
    """
    if not _CPR_SHAPE.match(value):
        return False
    from stdnum.dk import cpr

    return bool(cpr.is_valid(value))


def is_se_personnummer(value: str) -> bool:
    """Swedish personnummer (or samordningsnummer) with a valid Luhn check digit.

    >>> is_se_personnummer("880320-0016"), is_se_personnummer("880320-0018")
    (True, False)
    """
    if not _PNR_SHAPE.match(value):
        return False
    from stdnum.se import personnummer

    return bool(personnummer.is_valid(value))


def is_gb_nhs(value: str) -> bool:
    """UK NHS number: ten digits with a valid modulus-11 check digit.

    >>> is_gb_nhs("943 476 5919"), is_gb_nhs("943 476 5918")
    (True, False)
    """
    if not _NHS_SHAPE.match(value):
        return False
    from stdnum.gb import nhs

    return bool(nhs.is_valid(value))


def is_us_ssn(value: str, *, allow_plain: bool = False) -> bool:
    """US Social Security Number (area/group/serial rules, known invalid numbers refused).

    Nine bare digits are accepted only with ``allow_plain`` (a header saying so): many
    numeric columns hold nine-digit numbers that are not SSNs.

    >>> is_us_ssn("536-90-4399"), is_us_ssn("078-05-1120"), is_us_ssn("000-12-3456")
    (True, False, False)
    """
    if not (_SSN_DASHED.match(value) or (allow_plain and _SSN_PLAIN.match(value))):
        return False
    from stdnum.us import ssn

    return bool(ssn.is_valid(value))


def is_de_idnr(value: str) -> bool:
    """German tax identification number (Steuer-IdNr), eleven digits, ISO 7064 check.

    >>> is_de_idnr("36 574 261 809"), is_de_idnr("36 574 261 808")
    (True, False)
    """
    if not _IDNR_SHAPE.match(value):
        return False
    from stdnum.de import idnr

    return bool(idnr.is_valid(value))


def is_no_fodselsnummer(value: str) -> bool:
    """Norwegian fødselsnummer (birth date + two mod-11 check digits)."""
    if not _FNR_SHAPE.match(value):
        return False
    from stdnum.no import fodselsnummer

    return bool(fodselsnummer.is_valid(value))


def is_fi_hetu(value: str) -> bool:
    """Finnish henkilötunnus (birth date, century sign, mod-31 check character)."""
    if not _HETU_SHAPE.match(value):
        return False
    from stdnum.fi import hetu

    return bool(hetu.is_valid(value))


def is_iban(value: str) -> bool:
    """International bank account number with valid country length and mod-97 check.

    >>> is_iban("DE52 0704 9996 2283 0388 36"), is_iban("DE52 0704 9996 2283 0388 37")
    (True, False)
    """
    compact = value.replace(" ", "")
    if not (15 <= len(compact) <= 34 and compact[:2].isalpha() and compact[2:4].isdigit()):
        return False
    from stdnum import iban

    return bool(iban.is_valid(compact))


def is_email(value: str) -> bool:
    """E-mail address syntax (local part @ a domain with a top-level domain).

    >>> is_email("anna.jensen@example.dk"), is_email("anna@localhost")
    (True, False)
    """
    return len(value) <= 254 and _EMAIL.match(value) is not None


def is_url(value: str) -> bool:
    """http(s)/ftp URL or a ``www.`` address."""
    return _URL.match(value) is not None


def is_ip_address(value: str) -> bool:
    """Dotted IPv4 address."""
    return _IPV4.match(value) is not None


def is_phone(value: str, *, allow_plain: bool = False) -> bool:
    """Telephone number syntax: 7-15 digits, grouped or with an international prefix.

    A bare run of digits counts only with ``allow_plain`` (a header saying "phone"):
    plain integers are far more often counts or codes than phone numbers.

    >>> is_phone("+45 74 39 15 00"), is_phone("(555) 123-4567"), is_phone("74391500")
    (True, True, False)
    """
    text = value.strip()
    if not _PHONE.match(text):
        return False
    digits = sum(ch.isdigit() for ch in text)
    if not 7 <= digits <= 15:
        return False
    if text.isdigit():
        return allow_plain or (text.startswith("00") and digits >= 10)
    if _DATE_LIKE.match(text) or _DECIMAL_LIKE.match(text) or _THOUSANDS.match(text):
        return False
    groups = re.findall(r"\d+", text.replace("(0)", " "))
    if sum(1 for group in groups if len(group) == 1) > 1:
        return False  # a list of small numbers ("1 2 3 4 5 6 7"), not a phone number
    return text.startswith(("+", "(", "00")) or any(ch in text for ch in " -./")


_DATE_LIKE = re.compile(r"^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$")
_DECIMAL_LIKE = re.compile(r"^-?\d+[.,]\d+$")
# 1.234.567 or 1 234 567: a number with thousands separators (phone numbers start with 0 or +)
_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:[ .\u00a0]\d{3})+$")

NATIONAL_ID_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "dk_cpr": is_dk_cpr,
    "se_personnummer": is_se_personnummer,
    "gb_nhs": is_gb_nhs,
    "us_ssn": is_us_ssn,
    "de_idnr": is_de_idnr,
    "no_fodselsnummer": is_no_fodselsnummer,
    "fi_hetu": is_fi_hetu,
}
"""Validator of each national identity number scheme, by scheme name."""


def national_id_kind(value: str, *, allow_plain_ssn: bool = False) -> str | None:
    """Name of the first national-ID scheme ``value`` validates under, else ``None``.

    >>> national_id_kind("211062-5629"), national_id_kind("hello")
    ('dk_cpr', None)
    """
    text = value.strip()
    if not text or not (_DIGITS_SEP.match(text) or _HETU_SHAPE.match(text)):
        return None
    for scheme, check in NATIONAL_ID_VALIDATORS.items():
        if scheme == "us_ssn":
            if is_us_ssn(text, allow_plain=allow_plain_ssn):
                return scheme
        elif check(text):
            return scheme
    return None
