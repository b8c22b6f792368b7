"""Per-value detectors: what one cell looks like (pure functions, no I/O).

Each detector answers for a single string; :mod:`.scan` turns the shares of values
that pass into a column decision.
"""

from __future__ import annotations

import re

from harmonize.privacy.names import NameLists, load_name_lists
from harmonize.privacy.validators import (
    is_email,
    is_iban,
    is_ip_address,
    is_phone,
    is_url,
    national_id_kind,
)

__all__ = [
    "embedded_identifier",
    "has_person_title",
    "is_address",
    "is_address_shaped",
    "is_free_text",
    "is_full_name",
    "is_narrative",
    "is_person_name",
    "is_study_code",
    "name_shape",
    "value_kind",
]

_TITLES = frozenset(
    {
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "sir",
        "dame",
        "herr",
        "frau",
        "hr",
        "fru",
        "fr",
        "univ",
        "dipl",
        "ing",
        "med",
        "phd",
        "md",
        "msc",
        "bsc",
        "ba",
        "ma",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "dds",
        "dvm",
        "von",
        "van",
        "der",
        "de",
        "la",
        "af",
        "zu",
    }
)
_ORGANISATION_WORDS = frozenset(
    {
        "university",
        "universitet",
        "universität",
        "college",
        "clinic",
        "klinik",
        "hospital",
        "hospitals",
        "sygehus",
        "sjukhus",
        "krankenhaus",
        "institute",
        "institut",
        "center",
        "centre",
        "health",
        "healthcare",
        "medical",
        "cancer",
        "foundation",
        "laboratory",
        "laboratories",
        "lab",
        "labs",
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "ab",
        "as",
        "corp",
        "company",
        "group",
        "network",
        "consortium",
        "school",
        "society",
        "trust",
    }
)
_NAME_TOKEN = re.compile(r"^[^\W\d_]+(?:['’\-][^\W\d_]+)*$")


def name_shape(value: str) -> tuple[str, ...] | None:
    """The name tokens of ``value`` when it is shaped like a person name, else ``None``.

    One to five capitalised alphabetic words (hyphens and apostrophes allowed), titles
    and particles stripped; ``"Jensen, Anna"`` is read as ``Anna Jensen``.

    >>> name_shape("Univ.Prof. Øystein Kjeldsen"), name_shape("Stage IIB")
    (('Øystein', 'Kjeldsen'), ('Stage', 'IIB'))
    >>> name_shape("3.5 cm") is None, name_shape("lower pole") is None
    (True, True)
    """
    text = value.strip()
    if not text or len(text) > 60:
        return None
    if text.count(",") == 1:
        last, first = text.split(",")
        text = f"{first} {last}"
    words = re.split(r"[\s.]+", text)
    if any(word.casefold() in _ORGANISATION_WORDS for word in words):
        return None  # "Mayo Clinic", "Emory University": named after people, not people
    kept: list[str] = []
    for word in words:
        if not word:
            continue
        if word.casefold().rstrip(".") in _TITLES:
            continue
        if not _NAME_TOKEN.match(word):
            return None
        if not word[0].isupper():
            return None
        kept.append(word)
    if not 1 <= len(kept) <= 5:
        return None
    return tuple(kept)


_PERSON_TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "dame", "herr", "frau", "fru", "hr"}
)


def has_person_title(value: str) -> bool:
    """A name-shaped value that starts with a personal title (Dr., Prof., Mrs., Herr...).

    >>> has_person_title("Dr. Søren Østergaard"), has_person_title("Univ.Prof. Ida Berg")
    (True, True)
    >>> has_person_title("Dr. 5"), has_person_title("Stage II")
    (False, False)
    """
    words = [w for w in re.split(r"[\s.]+", value.strip()) if w]
    if len(words) < 2 or words[0].casefold() not in _PERSON_TITLES | {"univ"}:
        return False
    return name_shape(value) is not None


def is_person_name(value: str, names: NameLists | None = None) -> bool:
    """A name-shaped value with at least one token in the shipped name lists.

    Multi-word values need a known first name or surname among their words; a single
    word must itself be a known name.

    >>> is_person_name("Elna Østergaard"), is_person_name("Clear cell renal cell carcinoma")
    (True, False)
    """
    tokens = name_shape(value)
    if tokens is None:
        return False
    lists = names if names is not None else load_name_lists()
    hits = sum(1 for t in tokens for part in t.split("-") if lists.is_name(part))
    if len(tokens) == 1:
        return hits >= 1
    return hits >= 2 or any(lists.is_first(t.split("-")[0]) for t in tokens[:2])


def is_full_name(value: str, names: NameLists | None = None) -> bool:
    """Two or more name words: a known first name first and a known surname last.

    >>> is_full_name("Dr. Anna Hansen"), is_full_name("Hansen, Anna"), is_full_name("Anna")
    (True, True, False)
    """
    tokens = name_shape(value)
    if tokens is None or len(tokens) < 2:
        return False
    lists = names if names is not None else load_name_lists()
    return lists.is_first(tokens[0].split("-")[0]) and lists.is_last(tokens[-1].split("-")[-1])


_UUID = re.compile(
    r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE
)
_CODE = re.compile(r"^(?=[^\s]*\d)(?=[^\s]*[A-Za-z])[A-Za-z0-9]+(?:[-_.:/][A-Za-z0-9]+){0,6}$")


def is_study_code(value: str) -> bool:
    """A pseudonymous study code: UUID, or a short code of letters and digits.

    >>> is_study_code("C3L-00004"), is_study_code("CPT000814"), is_study_code("White")
    (True, True, False)
    """
    text = value.strip()
    if _UUID.match(text):
        return True
    try:
        float(text)
    except ValueError:
        return 4 <= len(text) <= 48 and _CODE.match(text) is not None
    return False  # a number such as 6.2e-05


_EN_STREET_WORDS = (
    "street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|way|place|pl|boulevard|blvd|"
    "terrace|close|crescent|square|sq|row|hill|park|gardens|circle|cir|trail|plaza|parkway|"
    "pkwy|highway|hwy|meadows?|grove|green|mews|walk|view|ridge|heights|junction|crossing|"
    "loop|path|pike|alley|bridge|harbou?r|springs?|valley|village|estates?|cent(?:er|re)|"
    "commons|cove|creek|glen|hollow|landing|manor|mills?|mount|orchard|point|shore|station|"
    "summit|vista|wharf|quay|parade|broadway|causeway"
)
_EU_STREET_SUFFIXES = (
    "gade|vej|all[ée]|stræde|straede|plads|torv|vænget|vaenget|parken|gatan|gata|vägen|vagen|"
    "väg|vag|gränd|grand|stigen|torget|backen|straße|strasse|str\\.|weg|allee|platz|ring|gasse|"
    "damm|ufer|chaussee|steig|pfad|markt|stieg|zeile"
)
# "12 Baker Street", "4833 Weaver Plaza Apt. 290"
_STREET_EN = re.compile(
    rf"\b\d{{1,6}}[a-z]?\s+(?:[^\W\d_][\w'.-]*\s+){{0,3}}(?:{_EN_STREET_WORDS})\b\.?", re.IGNORECASE
)
# "Nørregade 12", "Sorø Allé 932", "Kurt-Zahn-Gasse 8/7"
_STREET_EU = re.compile(
    rf"[^\W\d_]*(?:{_EU_STREET_SUFFIXES})\s+\d{{1,4}}\s?[a-z]?(?:[-/]\d{{1,4}})?\b", re.IGNORECASE
)
# the shape alone: a house number before or after one to four capitalised words
_HOUSE_FIRST = re.compile(
    r"^\d{1,6}[A-Za-z]?\s+(?:[A-Z][\w'.-]*\s*){1,4}(?:(?:Apt\.?|Suite|Unit|Flat|#)\s*\w+)?$"
)
_UNIT_FIRST = re.compile(
    r"^(?:Flat|Studio|Apartment|Apt\.?|Unit|Suite|Room|Lejl\.?|Wohnung)\s+\w+,?\s+(?:[A-Z][\w'.-]*\s*){1,4}$"
)
_HOUSE_LAST = re.compile(
    r"^(?:[A-ZÆØÅÄÖÜ][\w'.-]*[\s-]){0,3}[A-ZÆØÅÄÖÜ][\w'.-]+\s+\d{1,4}\s?[a-z]?(?:[-/]\d{1,4})?(?:,.*)?$"
)


def is_address(value: str) -> bool:
    """A postal street address: a street word next to a house number.

    >>> is_address("Nørregade 12, 2100 København"), is_address("12 Baker Street"), is_address("Lower pole")
    (True, True, False)
    """
    if len(value) > 150 or not any(ch.isdigit() for ch in value):
        return False
    return _STREET_EN.search(value) is not None or _STREET_EU.search(value) is not None


def is_address_shaped(value: str) -> bool:
    """Shaped like a street address (house number and capitalised words), no street word needed.

    >>> is_address_shaped("825 Garrett Circles"), is_address_shaped("Hilmar-Schuster-Platz 1-2")
    (True, True)
    """
    if len(value) > 150 or not any(ch.isdigit() for ch in value):
        return False
    text = " ".join(value.replace("\n", " ").split())
    if text == text.lower():  # an all-lower-case export
        text = text.title()
    shaped = _HOUSE_FIRST.match(text) or _HOUSE_LAST.match(text) or _UNIT_FIRST.match(text)
    return bool(shaped) or is_address(text)


def is_free_text(value: str) -> bool:
    """Prose long enough to hide anything: at least 40 characters and 6 words."""
    return len(value) >= 40 and len(value.split()) >= 6


_SENTENCE = re.compile(r"[a-z)][.!?](?:\s+[A-Z]|\s*$)")


def is_narrative(value: str) -> bool:
    """Free text written as sentences (ten or more words, a sentence end)."""
    return len(value.split()) >= 10 and _SENTENCE.search(value) is not None


_EMBEDDED_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMBEDDED_NUMBER = re.compile(r"(?<![\w-])\+?\d[\d\s\-]{7,16}\d(?![\w-])")
_EMBEDDED_DATE = re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}\b")
_EMBEDDED_NAME = re.compile(r"\b([A-ZÆØÅÄÖÜ][a-zæøåäöüéß]+)\s+([A-ZÆØÅÄÖÜ][a-zæøåäöüéß]+)")


def embedded_identifier(value: str, names: NameLists | None = None) -> str | None:
    """The kind of a direct identifier hidden inside free text, else ``None``.

    >>> embedded_identifier("Seen by Anna Jensen on 03.02.2021, call +45 20 30 40 50")
    'phone'
    >>> embedded_identifier("Pancreatic intraepithelial neoplasia : Highest grade") is None
    True
    """
    if _EMBEDDED_EMAIL.search(value):
        return "email"
    for match in _EMBEDDED_NUMBER.finditer(value):
        number = match.group(0).strip()
        if national_id_kind(number) or is_phone(number):
            return "phone" if is_phone(number) else "national_id"
    lists = names if names is not None else load_name_lists()
    for match in _EMBEDDED_NAME.finditer(value):
        if lists.is_first(match[1]) and lists.is_last(match[2]):
            return "person_name"
    if _EMBEDDED_DATE.search(value):
        return "date"
    return None


def value_kind(
    value: str, *, allow_plain_ssn: bool = False, allow_plain_phone: bool = False
) -> str | None:
    """The direct-identifier kind one value validates as (strongest evidence first).

    >>> value_kind("211062-5629"), value_kind("anna@example.dk"), value_kind("Basal")
    ('national_id', 'email', None)
    """
    text = value.strip()
    if not text:
        return None
    if national_id_kind(text, allow_plain_ssn=allow_plain_ssn):
        return "national_id"
    if is_email(text):
        return "email"
    if is_iban(text):
        return "iban"
    if is_ip_address(text):
        return "ip_address"
    if is_url(text):
        return "url"
    if is_phone(text, allow_plain=allow_plain_phone):
        return "phone"
    return None
