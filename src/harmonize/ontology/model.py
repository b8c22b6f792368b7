"""Ontology terms as harmonize sees them: small, frozen, format-independent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

__all__ = [
    "IN_TAXON",
    "NAME_SCOPES",
    "NEVER_IN_TAXON",
    "SCOPES",
    "SCOPE_RANK",
    "NameScope",
    "OntologyMeta",
    "Scope",
    "Synonym",
    "Term",
    "taxon_relation",
]

#: scope of a synonym (OBO / oboInOwl), strongest first
Scope = Literal["EXACT", "NARROW", "BROAD", "RELATED"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
#: scope of any name of a term: ``LABEL`` for its own label, else its synonym's scope
NameScope = Literal["LABEL", "EXACT", "NARROW", "BROAD", "RELATED"]
NAME_SCOPES: tuple[NameScope, ...] = get_args(NameScope)
#: the one order of scopes, strongest first (sorting names, encoding them as small ints)
SCOPE_RANK: dict[str, int] = {scope: rank for rank, scope in enumerate(NAME_SCOPES)}

_RO = "http://purl.obolibrary.org/obo/RO_"
#: relations (names, CURIEs, IRIs) restricting a term to a taxon: RO only_in_taxon, in_taxon
IN_TAXON = frozenset(
    {"only_in_taxon", "in_taxon", "RO:0002160", "RO:0002162", f"{_RO}0002160", f"{_RO}0002162"}
)
#: relations (or annotation properties) saying a term never occurs in a taxon
NEVER_IN_TAXON = frozenset({"never_in_taxon", "RO:0002161", f"{_RO}0002161"})


def taxon_relation(relation: str) -> str | None:
    """``"in"`` / ``"never"`` for a taxon-constraint relation (any spelling), else None."""
    if relation in IN_TAXON:
        return "in"
    if relation in NEVER_IN_TAXON:
        return "never"
    return None


@dataclass(frozen=True, slots=True)
class Synonym:
    """A synonym with its OBO scope and optional synonym type (e.g. ``abbreviation``)."""

    text: str
    scope: Scope = "RELATED"
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """One ontology class.

    ``parents`` are direct ``is_a`` parents, ``part_of`` direct ``part_of`` targets; both
    are edges of the hierarchy. Obsolete terms keep ``replaced_by``/``consider``.
    ``taxa``/``never_taxa`` are the file's own taxon constraints (NCBITaxon CURIEs).
    """

    id: str
    label: str | None = None
    synonyms: tuple[Synonym, ...] = ()
    definition: str | None = None
    xrefs: tuple[str, ...] = ()
    obsolete: bool = False
    replaced_by: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    part_of: tuple[str, ...] = ()
    alt_ids: tuple[str, ...] = ()  # secondary ids (OBO ``alt_id``) that mean this term
    #: taxa the term is restricted to (RO ``only_in_taxon`` / ``in_taxon``), as the file says
    taxa: tuple[str, ...] = ()
    #: taxa the term never occurs in (RO ``never_in_taxon``, also as an annotation)
    never_taxa: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        return self.id.partition(":")[0]

    def names(self) -> list[tuple[str, NameScope, str | None]]:
        """``(text, scope, type)`` for the label (scope ``LABEL``) and every synonym."""
        out: list[tuple[str, NameScope, str | None]] = []
        if self.label:
            out.append((self.label, "LABEL", None))
        out.extend((s.text, s.scope, s.type) for s in self.synonyms)
        return out


@dataclass(frozen=True, slots=True)
class OntologyMeta:
    """Where an index came from: enough to pin and reproduce it."""

    name: str
    version: str | None = None
    source: str | None = None  # path or PURL it was loaded from
    sha256: str | None = None  # of the source file's bytes
    format: str | None = None  # obo | owl | ttl | obographs | cellxgene
    prefixes: tuple[str, ...] = field(default_factory=tuple)
