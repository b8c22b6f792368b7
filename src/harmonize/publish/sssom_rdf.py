"""An SSSOM mapping set as RDF, the way the SSSOM specification models it.

The set is a ``sssom:MappingSet`` node; each mapping a ``sssom:Mapping`` node with its
slots (``sssom:subject_id``, ``sssom:predicate_id``, ``sssom:object_id``,
``sssom:mapping_justification``, ``sssom:confidence`` ...). A positive mapping also gets
the direct triple ``subject predicate object`` (e.g. ``skos:exactMatch``) so plain SPARQL
finds it; a negative one (``predicate_modifier: Not``) never does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from harmonize.errors import MappingFileError
from harmonize.mappings.model import (
    ENTITY_SLOTS,
    MAPPING_COLUMNS,
    REQUIRED_SLOTS,
    Mapping,
    MappingSet,
)
from harmonize.mappings.sssom_io import BUILTIN_PREFIXES

if TYPE_CHECKING:
    from pathlib import Path

    import pyoxigraph

__all__ = ["SSSOM", "mapping_set_triples"]

SSSOM = "https://w3id.org/sssom/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Slots that must be entity references: a value that cannot be expanded is an error.
_CORE_SLOTS = frozenset(REQUIRED_SLOTS)
#: Slots whose values are entity references (IRIs), not text.
_ID_SLOTS = frozenset((*ENTITY_SLOTS, "license"))


class _Expander:
    def __init__(self, curie_map: dict[str, str], path: Path | None) -> None:
        from harmonize.curie import converter

        self._local = {**BUILTIN_PREFIXES, **curie_map}
        self._converter = converter()
        self._path = path

    def __call__(self, value: str, slot: str, row: int | None) -> str:
        if "://" in value or value.startswith("urn:"):
            return value
        prefix, sep, local = value.partition(":")
        if sep and prefix in self._local:
            return self._local[prefix] + local
        expanded = self._converter.expand(value) if sep else None
        if expanded is None:
            raise MappingFileError(
                f"cannot expand {slot} {value!r}: prefix {prefix!r} is not in the curie_map",
                path=self._path,
                row=row,
                column=slot,
            )
        return str(expanded)


def mapping_set_triples(
    mapping_set: MappingSet, *, path: Path | None = None
) -> Iterator[pyoxigraph.Triple]:
    """Triples describing ``mapping_set`` (CURIEs expanded with its ``curie_map``)."""
    import pyoxigraph as ox

    expand = _Expander(dict(mapping_set.curie_map), path)
    set_iri = expand(mapping_set.mapping_set_id, "mapping_set_id", None)
    set_node = ox.NamedNode(set_iri)
    rdf_type = ox.NamedNode(_RDF_TYPE)
    yield ox.Triple(set_node, rdf_type, ox.NamedNode(f"{SSSOM}MappingSet"))
    for name in ("license", "mapping_set_version", "mapping_set_title", "mapping_set_description",
                 "mapping_tool", "mapping_tool_version", "mapping_date", "subject_source",
                 "object_source", "object_source_version"):  # fmt: skip
        value = getattr(mapping_set, name)
        if value:
            yield ox.Triple(set_node, ox.NamedNode(f"{SSSOM}{name}"), _value(expand, name, value))
    has_mapping = ox.NamedNode(f"{SSSOM}mappings")
    for row, mapping in enumerate(mapping_set.mappings, start=1):
        node = ox.NamedNode(_mapping_iri(set_iri, mapping))
        yield ox.Triple(set_node, has_mapping, node)
        yield ox.Triple(node, rdf_type, ox.NamedNode(f"{SSSOM}Mapping"))
        for slot in MAPPING_COLUMNS:
            value = getattr(mapping, slot)
            for one in value if isinstance(value, tuple) else (value,):
                if one is not None and one != "":
                    yield ox.Triple(
                        node, ox.NamedNode(f"{SSSOM}{slot}"), _value(expand, slot, one, row)
                    )
        if not mapping.negated:
            yield ox.Triple(
                ox.NamedNode(expand(mapping.subject_id, "subject_id", row)),
                ox.NamedNode(expand(mapping.predicate_id, "predicate_id", row)),
                ox.NamedNode(expand(mapping.object_id, "object_id", row)),
            )


def _value(expand: _Expander, slot: str, value: object, row: int | None = None) -> Any:
    import pyoxigraph as ox

    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(f"{_XSD}double"))
    text = str(value)
    if slot in _CORE_SLOTS:
        return ox.NamedNode(expand(text, slot, row))
    if slot in _ID_SLOTS:
        try:
            return ox.NamedNode(expand(text, slot, row))
        except MappingFileError:
            return ox.Literal(text)  # e.g. subject_category "column": kept as text
    if slot.endswith("_date") and len(text) == 10:
        return ox.Literal(text, datatype=ox.NamedNode(f"{_XSD}date"))
    return ox.Literal(text)


def _cell(value: object) -> str:
    if isinstance(value, tuple):
        return "|".join(value)
    return str(value or "")


def _mapping_iri(set_iri: str, mapping: Mapping) -> str:
    """A stable IRI per mapping row (same row content, same IRI)."""
    cells = [_cell(getattr(mapping, name)) for name in MAPPING_COLUMNS]
    key = "\t".join(cells + [f"{k}={v}" for k, v in mapping.extensions])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    sep = "" if set_iri.endswith(("/", "#")) else "#"
    return f"{set_iri}{sep}mapping-{digest}"
