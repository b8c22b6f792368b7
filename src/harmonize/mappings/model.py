"""Mappings as harmonize works with them, named after the SSSOM slots they become.

A :class:`Mapping` is one row of an SSSOM table; a :class:`MappingSet` is the table plus
its metadata block. Both are frozen; build new ones with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields

__all__ = [
    "ENTITY_SLOTS",
    "JUSTIFICATION_LEXICAL",
    "JUSTIFICATION_MANUAL",
    "JUSTIFICATION_SIMILARITY",
    "MAPPING_COLUMNS",
    "PREDICATES",
    "REQUIRED_SLOTS",
    "Mapping",
    "MappingSet",
]

JUSTIFICATION_LEXICAL = "semapv:LexicalMatching"
JUSTIFICATION_SIMILARITY = "semapv:LexicalSimilarityThresholdMatching"
JUSTIFICATION_MANUAL = "semapv:ManualMappingCuration"

PREDICATES = frozenset(
    {
        "skos:exactMatch",
        "skos:closeMatch",
        "skos:broadMatch",
        "skos:narrowMatch",
        "skos:relatedMatch",
        "owl:equivalentClass",
        "owl:sameAs",
        "rdfs:subClassOf",
    }
)


@dataclass(frozen=True, slots=True)
class Mapping:
    """One SSSOM mapping row. Field names are the SSSOM slot names."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str | None = None
    object_label: str | None = None
    predicate_modifier: str | None = None  # "Not" for a negative mapping
    confidence: float | None = None
    match_string: str | None = None
    subject_match_field: str | None = None
    object_match_field: str | None = None
    subject_source: str | None = None
    object_source: str | None = None
    object_source_version: str | None = None
    subject_category: str | None = None
    author_id: str | None = None
    author_label: str | None = None
    reviewer_id: str | None = None
    mapping_date: str | None = None
    mapping_tool: str | None = None
    comment: str | None = None
    other: str | None = None  # free-form extra (SSSOM ``other``), e.g. JSON evidence

    @property
    def negated(self) -> bool:
        return (self.predicate_modifier or "").lower() == "not"


#: Mapping slots whose values are entity references (CURIEs/IRIs), not text.
ENTITY_SLOTS: tuple[str, ...] = (
    "subject_id",
    "predicate_id",
    "object_id",
    "mapping_justification",
    "author_id",
    "reviewer_id",
    "subject_source",
    "object_source",
    "subject_category",
)
#: The slots every SSSOM mapping must have.
REQUIRED_SLOTS: tuple[str, ...] = ENTITY_SLOTS[:4]

#: SSSOM TSV columns in the order harmonize writes them.
MAPPING_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Mapping))


@dataclass(frozen=True, slots=True)
class MappingSet:
    """An SSSOM mapping set: metadata plus mappings (order is kept: best first)."""

    mapping_set_id: str
    mappings: tuple[Mapping, ...] = ()
    license: str = "https://creativecommons.org/publicdomain/zero/1.0/"
    mapping_set_version: str | None = None
    mapping_set_title: str | None = None
    mapping_set_description: str | None = None
    mapping_tool: str | None = None
    mapping_tool_version: str | None = None
    mapping_date: str | None = None
    subject_source: str | None = None
    object_source: str | None = None
    object_source_version: str | None = None
    curie_map: dict[str, str] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # other metadata keys, kept as read

    def __iter__(self) -> Iterator[Mapping]:
        return iter(self.mappings)

    def __len__(self) -> int:
        return len(self.mappings)

    def by_subject(self) -> dict[str, list[Mapping]]:
        """Mappings grouped by subject, each list in file order (best first)."""
        out: dict[str, list[Mapping]] = {}
        for mapping in self.mappings:
            out.setdefault(mapping.subject_id, []).append(mapping)
        return out
