"""What a column header says about its content (multilingual: en, da, sv, no, de).

A header is only evidence: the values must agree before a column is called a direct
identifier (a column named ``email_consent`` holding yes/no is not an e-mail column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harmonize.privacy.names import fold

__all__ = ["HeaderHint", "header_hint", "header_words"]


@dataclass(frozen=True, slots=True)
class HeaderHint:
    """The kind a header suggests and the words that suggested it."""

    kind: str
    words: str


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def header_words(header: str) -> tuple[str, ...]:
    """Folded words of a header: ``"Patient.FirstName"`` -> ``("patient", "first", "name")``.

    >>> header_words("Date_of_Birth"), header_words("patientFirstName")
    (('date', 'of', 'birth'), ('patient', 'first', 'name'))
    """
    spaced = _CAMEL.sub(" ", re.sub(r"IDs\b", "Ids", header))
    return tuple(w for w in re.split(r"[^0-9a-z]+", fold(spaced)) if w)


# whole words (any position) -> kind
_WORDS: dict[str, str] = {
    # national identity numbers
    "cpr": "national_id",
    "cprnr": "national_id",
    "cprnummer": "national_id",
    "personnummer": "national_id",
    "personnr": "national_id",
    "pnr": "national_id",
    "ssn": "national_id",
    "nhs": "national_id",
    "nino": "national_id",
    "idnr": "national_id",
    "steuerid": "national_id",
    "fodselsnummer": "national_id",
    "hetu": "national_id",
    "bsn": "national_id",
    "personalausweis": "national_id",
    "passport": "national_id",
    # contacts
    "email": "email",
    "mail": "email",
    "epost": "email",
    "emailaddress": "email",
    "emailadresse": "email",
    "epostadress": "email",
    "mailadresse": "email",
    "phone": "phone",
    "telephone": "phone",
    "tel": "phone",
    "telefon": "phone",
    "telefonnummer": "phone",
    "mobile": "phone",
    "mobil": "phone",
    "mobilnummer": "phone",
    "cellphone": "phone",
    "fax": "phone",
    "handynummer": "phone",
    "tlf": "phone",
    "tlfnr": "phone",
    "telefonnr": "phone",
    "mobilnr": "phone",
    "address": "address",
    "adresse": "address",
    "adress": "address",
    "street": "address",
    "strasse": "address",
    "gade": "address",
    "gata": "address",
    "iban": "iban",
    "ip": "ip_address",
    # names
    "firstname": "person_name",
    "lastname": "person_name",
    "surname": "person_name",
    "fullname": "person_name",
    "forename": "person_name",
    "fornavn": "person_name",
    "efternavn": "person_name",
    "mellemnavn": "person_name",
    "fornamn": "person_name",
    "efternamn": "person_name",
    "etternavn": "person_name",
    "vorname": "person_name",
    "nachname": "person_name",
    "familienname": "person_name",
    "navn": "person_name",
    "patientnavn": "person_name",
    "fuldenavn": "person_name",
    "patientnamn": "person_name",
    "fulltnamn": "person_name",
    "physician": "person_name",
    "doctor": "person_name",
    "surgeon": "person_name",
    "clinician": "person_name",
    "nurse": "person_name",
    "referrer": "person_name",
    "pathologist": "person_name",
    "laege": "person_name",
    "lakare": "person_name",
    "arzt": "person_name",
    "namn": "person_name",
    # dates of birth
    "yob": "birth_year",
    "birthyear": "birth_year",
    "fodselsar": "birth_year",
    "fodelsear": "birth_year",
    "geburtsjahr": "birth_year",
    "dob": "date_of_birth",
    "birthdate": "date_of_birth",
    "birthday": "date_of_birth",
    "fodselsdato": "date_of_birth",
    "fodelsedatum": "date_of_birth",
    "geburtsdatum": "date_of_birth",
    "geburtstag": "date_of_birth",
    # hospital record numbers
    "mrn": "record_number",
    "journalnummer": "record_number",
    "journalnr": "record_number",
    # quasi
    "age": "age",
    "alder": "age",
    "alter": "age",
    "zip": "postcode",
    "zipcode": "postcode",
    "postcode": "postcode",
    "postnummer": "postcode",
    "postnr": "postcode",
    "plz": "postcode",
    "postleitzahl": "postcode",
    "notes": "free_text",
    "note": "free_text",
    "comment": "free_text",
    "comments": "free_text",
    "remarks": "free_text",
    "narrative": "free_text",
    "anamnesis": "free_text",
    "anamnese": "free_text",
    "bemerkung": "free_text",
    "kommentar": "free_text",
    "notat": "free_text",
    "anteckning": "free_text",
    "sex": "sex",
    "gender": "sex",
    "kon": "sex",
    "koen": "sex",
    "kjonn": "sex",
    "geschlecht": "sex",
    "race": "ethnicity",
    "ethnicity": "ethnicity",
    "ethnic": "ethnicity",
    "city": "geography",
    "town": "geography",
    "municipality": "geography",
    "kommune": "geography",
    "stadt": "geography",
    "wohnort": "geography",
    "residence": "geography",
    "institution": "institution",
    "hospital": "institution",
    "clinic": "institution",
    "centre": "institution",
    "center": "institution",
    "country": "geography",
    "nationality": "geography",
    "birthplace": "geography",
    "land": "geography",
}

_BY_LENGTH = sorted(_WORDS.items(), key=lambda item: -len(item[0]))  # longest match first
_COMPOUND_KINDS = frozenset(
    {
        "national_id",
        "email",
        "phone",
        "address",
        "iban",
        "person_name",
        "date_of_birth",
        "birth_year",
        "record_number",
        "postcode",
    }
)

# word pairs (in order, adjacent or separated by "of") -> kind
_PAIRS: dict[tuple[str, str], str] = {
    ("first", "name"): "person_name",
    ("last", "name"): "person_name",
    ("given", "name"): "person_name",
    ("family", "name"): "person_name",
    ("full", "name"): "person_name",
    ("middle", "name"): "person_name",
    ("maiden", "name"): "person_name",
    ("patient", "name"): "person_name",
    ("person", "name"): "person_name",
    ("participant", "name"): "person_name",
    ("subject", "name"): "person_name",
    ("donor", "name"): "person_name",
    ("contact", "name"): "person_name",
    ("mother", "name"): "person_name",
    ("father", "name"): "person_name",
    ("physician", "name"): "person_name",
    ("doctor", "name"): "person_name",
    ("year", "birth"): "birth_year",
    ("birth", "year"): "birth_year",
    ("date", "birth"): "date_of_birth",
    ("birth", "date"): "date_of_birth",
    ("born", "on"): "date_of_birth",
    ("social", "security"): "national_id",
    ("national", "id"): "national_id",
    ("national", "identifier"): "national_id",
    ("personal", "number"): "national_id",
    ("personal", "identity"): "national_id",
    ("insurance", "number"): "national_id",
    ("medical", "record"): "record_number",
    ("hospital", "number"): "record_number",
    ("patient", "number"): "record_number",
    ("chart", "number"): "record_number",
    ("record", "number"): "record_number",
    ("health", "number"): "record_number",
    ("postal", "code"): "postcode",
    ("zip", "code"): "postcode",
    ("post", "code"): "postcode",
    ("ip", "address"): "ip_address",
    ("e", "mail"): "email",
    ("bank", "account"): "iban",
    ("account", "number"): "iban",
    ("free", "text"): "free_text",
    ("clinical", "notes"): "free_text",
}

# study codes: case, sample, aliquot, participant identifiers (pseudonymous)
_STUDY_ID_WORDS = frozenset(
    {
        "case",
        "sample",
        "samples",
        "aliquot",
        "participant",
        "subject",
        "specimen",
        "biospecimen",
        "barcode",
        "donor",
        "patient",
        "portion",
        "analyte",
        "slide",
        "study",
        "uuid",
        "guid",
    }
)
_ID_WORDS = frozenset({"id", "ids", "identifier", "code", "barcode", "uuid", "guid", "no"})


def header_hint(header: str) -> HeaderHint | None:
    """The kind a header suggests, or ``None``.

    >>> header_hint("Patient_Name"), header_hint("sample_name")
    (HeaderHint(kind='person_name', words='patient name'), None)
    >>> header_hint("CPR-nr").kind, header_hint("case_id").kind, header_hint("Age.in.Month").kind
    ('national_id', 'study_id', 'age')
    """
    words = header_words(header)
    if not words:
        return None
    joined = "".join(words)
    content = [w for w in words if w not in {"of", "the", "at", "in", "nr", "no", "number"}]
    for i, first in enumerate(content):
        for second in content[i + 1 : i + 3]:
            kind = _PAIRS.get((first, second))
            if kind is not None:
                return HeaderHint(kind, f"{first} {second}")
    for word in words:
        kind = _WORDS.get(word)
        if kind is not None:
            return HeaderHint(kind, word)
    for compound, kind in _BY_LENGTH:
        # inside run-together words ("patientfornavn", "telefonnummer"), only for the
        # identifier kinds: "clinic" must not be found in "clinical"
        if kind in _COMPOUND_KINDS and len(compound) >= 6 and compound in joined:
            return HeaderHint(kind, compound)
    for (first, second), kind in _PAIRS.items():
        if first + second in joined and len(first + second) >= 7:
            return HeaderHint(kind, first + second)
    if words == ("name",) or words == ("names",):
        return HeaderHint("person_name", "name")
    if any(w in _STUDY_ID_WORDS for w in words) and (
        any(w in _ID_WORDS for w in words) or len(words) == 1
    ):
        return HeaderHint("study_id", " ".join(words))
    return None
