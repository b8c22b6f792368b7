"""Namespaces and provenance names every part of ``convert`` writes (one place)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from harmonize.conversion.plan import SetRef

__all__ = [
    "DCTERMS",
    "DEFAULT_BASE",
    "HMZ",
    "OWL",
    "PROV",
    "XSD",
    "SourceInfo",
    "set_iri",
    "slug",
]

HMZ = "https://w3id.org/harmonize/model/"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
DEFAULT_BASE = "https://w3id.org/harmonize/data/"


_SAFE = re.compile(r"[A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    """A partner's identifier as an IRI path segment (percent-encoded where needed)."""
    text = text.strip()
    return text if _SAFE.fullmatch(text) else quote(text, safe="-._~")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The partner file a conversion reads (checksum = SHA-256 of its bytes)."""

    path: str
    sha256: str

    @property
    def iri(self) -> str:
        return f"urn:sha256:{self.sha256}"

    def row_iri(self, row: int) -> str:
        return f"{self.iri}#row={row}"


def set_iri(ref: SetRef) -> str:
    """The IRI provenance uses for a mapping set (its id when that is an IRI)."""
    if "://" in ref.id or ref.id.startswith("urn:"):
        return ref.id
    return f"https://w3id.org/harmonize/mapping-set/{slug(ref.id)}"
