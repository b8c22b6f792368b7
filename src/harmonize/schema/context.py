"""A JSON-LD context generated from a LinkML schema (via :class:`SchemaInfo`).

Slot names become terms bound to the slot URIs: links and coded values are
``"@type": "@id"``, literals carry their XSD datatype, so a JSON document written with
the slot names reads as the same RDF that ``harmonize convert`` writes.
"""

from __future__ import annotations

import json
from typing import Any

from harmonize.schema.view import SchemaInfo, SlotInfo

__all__ = ["context_dict", "context_json"]


def _slot_term(slot: SlotInfo) -> dict[str, Any]:
    term: dict[str, Any] = {"@id": slot.uri}
    binding = slot.binding
    if binding.kind in {"class", "ontology"}:
        term["@type"] = "@id"
    elif binding.kind == "enum":
        if all(pv.meaning for pv in binding.permissible_values):
            term["@type"] = "@id"
    elif binding.datatype and binding.datatype != "xsd:string":
        term["@type"] = binding.datatype
    if slot.multivalued:
        term["@container"] = "@set"
    return term


def context_dict(schema: SchemaInfo) -> dict[str, Any]:
    """``{"@context": {...}}`` for the schema's classes and slots."""
    ctx: dict[str, Any] = {"@version": 1.1}
    for prefix, iri in sorted(schema.prefixes.items()):
        if prefix == "linkml":
            continue
        # JSON-LD 1.1 uses a term as a prefix only when its IRI ends in / # : or when
        # it says so ("http://purl.obolibrary.org/obo/UBERON_" needs "@prefix": true)
        ctx[prefix] = iri if iri.endswith(("/", "#", ":")) else {"@id": iri, "@prefix": True}
    if schema.default_prefix and schema.default_prefix in schema.prefixes:
        ctx["@vocab"] = schema.prefixes[schema.default_prefix]
    ctx["id"] = "@id"
    ctx["type"] = "@type"
    for cls in sorted(schema.classes.values(), key=lambda c: c.name):
        if not cls.abstract:
            ctx[cls.name] = {"@id": cls.uri}
    seen: dict[str, dict[str, Any]] = {}
    for cls in schema.classes.values():
        for slot in cls.slots:
            seen.setdefault(slot.name, _slot_term(slot))
    for name in sorted(seen):
        ctx[name] = seen[name]
    return {"@context": ctx}


def context_json(schema: SchemaInfo) -> str:
    return json.dumps(context_dict(schema), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
