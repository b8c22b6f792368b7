"""Mappings as harmonize works with them: every slot of the SSSOM standard, typed.

A :class:`Mapping` is one row of an SSSOM table and has a field for each mapping slot of
SSSOM 1.1 (the order and names of the SSSOM LinkML schema; a test checks them against
``sssom_schema``): multivalued slots are tuples, ``confidence`` and the other scores are
floats, and columns outside the standard are kept, in order, in ``extensions`` so a read
and a write lose nothing. ``other`` holds ``key=value`` pairs joined by ``|`` (the
convention of sssom-pydantic): read it with :func:`other_fields`, write it with
:func:`with_other`. A :class:`MappingSet` is the table plus its metadata block. Both are
frozen; build new ones with :func:`dataclasses.replace`.

The format itself (TSV, the YAML block, prefixes) lives in
:mod:`harmonize.mappings.sssom_io`; sssom-pydantic's own reader is not used because it
drops columns outside the standard, which would make a round trip lossy.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Literal

__all__ = [
    "ENTITY_SLOTS",
    "JUSTIFICATION_LEXICAL",
    "JUSTIFICATION_MANUAL",
    "JUSTIFICATION_SIMILARITY",
    "MAPPING_COLUMNS",
    "MULTIVALUED_SLOTS",
    "NUMBER_SLOTS",
    "PREDICATES",
    "REQUIRED_SLOTS",
    "Mapping",
    "MappingSet",
    "other_fields",
    "with_other",
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
    record_id: str | None = None
    subject_label: str | None = None
    subject_category: str | None = None
    predicate_label: str | None = None
    predicate_modifier: Literal["Not"] | None = None
    object_label: str | None = None
    object_category: str | None = None
    author_id: tuple[str, ...] = ()
    author_label: tuple[str, ...] = ()
    reviewer_id: tuple[str, ...] = ()
    reviewer_label: tuple[str, ...] = ()
    creator_id: tuple[str, ...] = ()
    creator_label: tuple[str, ...] = ()
    license: str | None = None
    subject_type: str | None = None
    subject_source: str | None = None
    subject_source_version: str | None = None
    object_type: str | None = None
    object_source: str | None = None
    object_source_version: str | None = None
    predicate_type: str | None = None
    mapping_provider: str | None = None
    mapping_source: str | None = None
    mapping_cardinality: str | None = None
    cardinality_scope: tuple[str, ...] = ()
    mapping_tool: str | None = None
    mapping_tool_id: str | None = None
    mapping_tool_version: str | None = None
    mapping_date: str | None = None
    publication_date: str | None = None
    review_date: str | None = None
    confidence: float | None = None
    reviewer_agreement: float | None = None
    curation_rule: tuple[str, ...] = ()
    curation_rule_text: tuple[str, ...] = ()
    subject_match_field: tuple[str, ...] = ()
    object_match_field: tuple[str, ...] = ()
    match_string: tuple[str, ...] = ()
    subject_preprocessing: tuple[str, ...] = ()
    object_preprocessing: tuple[str, ...] = ()
    similarity_score: float | None = None
    similarity_measure: str | None = None
    see_also: tuple[str, ...] = ()
    issue_tracker_item: str | None = None
    other: str | None = None  # key=value|key=value: see other_fields / with_other
    comment: str | None = None
    #: columns outside the SSSOM standard, as (column, text), in file order
    extensions: tuple[tuple[str, str], ...] = ()

    @property
    def negated(self) -> bool:
        return (self.predicate_modifier or "").lower() == "not"


#: SSSOM TSV columns in the order of the standard (the order harmonize writes them).
MAPPING_COLUMNS: tuple[str, ...] = (
    "record_id", "subject_id", "subject_label", "subject_category", "predicate_id",
    "predicate_label", "predicate_modifier", "object_id", "object_label", "object_category",
    "mapping_justification", "author_id", "author_label", "reviewer_id", "reviewer_label",
    "creator_id", "creator_label", "license", "subject_type", "subject_source",
    "subject_source_version", "object_type", "object_source", "object_source_version",
    "predicate_type", "mapping_provider", "mapping_source", "mapping_cardinality",
    "cardinality_scope", "mapping_tool", "mapping_tool_id", "mapping_tool_version",
    "mapping_date", "publication_date", "review_date", "confidence", "reviewer_agreement",
    "curation_rule", "curation_rule_text", "subject_match_field", "object_match_field",
    "match_string", "subject_preprocessing", "object_preprocessing", "similarity_score",
    "similarity_measure", "see_also", "issue_tracker_item", "other", "comment",
)  # fmt: skip
#: The slots whose cells hold several values, separated by ``|``.
MULTIVALUED_SLOTS: frozenset[str] = frozenset(
    f.name for f in fields(Mapping) if f.default == () and f.name != "extensions"
)
#: The slots holding numbers.
NUMBER_SLOTS: frozenset[str] = frozenset({"confidence", "reviewer_agreement", "similarity_score"})
#: Mapping slots whose values are entity references (CURIEs/IRIs), not text.
ENTITY_SLOTS: tuple[str, ...] = (
    "subject_id",
    "predicate_id",
    "object_id",
    "mapping_justification",
    "record_id",
    "author_id",
    "reviewer_id",
    "creator_id",
    "subject_source",
    "object_source",
    "subject_category",
    "object_category",
    "mapping_source",
    "mapping_tool_id",
    "curation_rule",
    "subject_match_field",
    "object_match_field",
    "subject_preprocessing",
    "object_preprocessing",
    "issue_tracker_item",
)
#: The slots every SSSOM mapping must have (a literal mapping may lack its entity id).
REQUIRED_SLOTS: tuple[str, ...] = ENTITY_SLOTS[:4]


def other_fields(mapping: Mapping) -> dict[str, str]:
    """``other`` as key -> value (``rank=1|assigned=yes`` -> ``{"rank": "1", ...}``).

    Files written by earlier harmonize versions (a JSON object, or ``k=v;k=v``) read the
    same way; text that holds no ``key=value`` pair gives ``{}``.

    >>> other_fields(Mapping("a:1", "skos:exactMatch", "b:2", JUSTIFICATION_MANUAL,
    ...                      other="rank=1|assigned=yes"))
    {'rank': '1', 'assigned': 'yes'}
    """
    text = (mapping.other or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        import json

        try:
            data = json.loads(text)
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): _scalar(v) for k, v in data.items() if v is not None}
    sep = "|" if "|" in text or ";" not in text else ";"
    out: dict[str, str] = {}
    for part in text.split(sep):
        key, eq, value = part.partition("=")
        if eq and key.strip():
            out[key.strip()] = value.strip().replace("%7C", "|").replace("%25", "%")
    return out


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def with_other(mapping: Mapping, **values: object) -> Mapping:
    """``mapping`` with ``values`` set in ``other`` (``None`` removes a key).

    >>> m = Mapping("a:1", "skos:exactMatch", "b:2", JUSTIFICATION_MANUAL)
    >>> with_other(m, rank=1, assigned=True).other
    'rank=1|assigned=true'
    """
    data = other_fields(mapping)
    for key, value in values.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = _scalar(value)
    text = "|".join(f"{k}={v.replace('%', '%25').replace('|', '%7C')}" for k, v in data.items())
    return replace(mapping, other=text or None)


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
