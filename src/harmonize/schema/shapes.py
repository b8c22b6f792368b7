"""SHACL shapes generated from a LinkML schema (via :class:`SchemaInfo`).

One ``sh:NodeShape`` per concrete class (``sh:targetClass`` = the class URI) with one
property shape per slot: cardinality from ``required``/``multivalued``, ``sh:datatype``
for literals, ``sh:pattern`` and ``sh:minInclusive``/``sh:maxInclusive`` from the slot,
``sh:class`` for links to other records, ``sh:in`` for static enums and an IRI
namespace pattern for ontology-bound (``reachable_from``) enums. Whether a coded term
exists, is live and lies under the enum's roots needs the ontology itself; that check
is :mod:`harmonize.validation.ontology_checks`.

The Turtle is written by hand so the output is byte-for-byte deterministic (the drift
test compares it with ``schemas/generated/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from harmonize.curie import expand
from harmonize.errors import CurieError
from harmonize.schema.view import ClassInfo, SchemaInfo, SlotInfo

__all__ = [
    "SHAPES_NS",
    "ontology_pattern",
    "property_shape_iri",
    "schema_iri",
    "shape_iri",
    "shapes_turtle",
    "slot_value_iris",
]

SHAPES_NS = "https://w3id.org/harmonize/shapes/"

_HEADER_PREFIXES: dict[str, str] = {
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "shapes": SHAPES_NS,
}


def schema_iri(schema: SchemaInfo, curie_or_iri: str) -> str:
    """Expand with the schema's prefixes first, then the shared converter."""
    if "://" in curie_or_iri:
        return curie_or_iri
    prefix, _, local = curie_or_iri.partition(":")
    base = schema.prefixes.get(prefix)
    if base is not None:
        return base + local
    try:
        return expand(curie_or_iri)
    except CurieError as exc:  # name the schema whose prefixes were searched
        raise CurieError(
            f"{exc.message}: neither the schema's prefixes nor the known prefixes expand it",
            path=schema.path,
            value=exc.value,
        ) from None


def shape_iri(cls: ClassInfo) -> str:
    return f"{SHAPES_NS}{cls.name}Shape"


def slot_value_iris(schema: SchemaInfo, slot: SlotInfo) -> tuple[str, ...]:
    """IRIs of a static enum's meanings (empty when any value lacks a meaning)."""
    values = slot.binding.permissible_values
    if not values or any(pv.meaning is None for pv in values):
        return ()
    return tuple(schema_iri(schema, pv.meaning) for pv in values if pv.meaning)


def _namespace(schema: SchemaInfo, curie: str) -> str:
    """The IRI namespace of a CURIE's prefix (``UBERON:1`` -> ``.../UBERON_``)."""
    prefix = curie.partition(":")[0]
    full = schema_iri(schema, f"{prefix}:0")
    return full[:-1]


def ontology_pattern(schema: SchemaInfo, slot: SlotInfo) -> str:
    """Regex an ontology-bound value IRI must match: a root's namespace or a listed meaning."""
    namespaces = sorted({_namespace(schema, root) for root in slot.binding.roots})
    alternatives = [re.escape(ns) + r"[A-Za-z0-9_]+" for ns in namespaces]
    alternatives += [
        re.escape(schema_iri(schema, pv.meaning))
        for pv in slot.binding.permissible_values
        if pv.meaning is not None
    ]
    return "^(?:" + "|".join(alternatives) + ")$"


def _lit(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _datatype_curie(slot: SlotInfo) -> str:
    return slot.binding.datatype or "xsd:string"


def _property_lines(schema: SchemaInfo, slot: SlotInfo) -> list[str]:
    lines = [f"sh:path <{schema_iri(schema, slot.uri)}>", f"sh:name {_lit(slot.name)}"]
    if slot.description:
        lines.append(f"sh:description {_lit(' '.join(slot.description.split()))}")
    if slot.required:
        lines.append("sh:minCount 1")
    if not slot.multivalued:
        lines.append("sh:maxCount 1")
    binding = slot.binding
    if binding.kind == "literal":
        lines.append(f"sh:datatype {_datatype_curie(slot)}")
        if slot.pattern:
            lines.append(f"sh:pattern {_lit(slot.pattern)}")
        if slot.minimum is not None:
            lines.append(f"sh:minInclusive {_number(slot.minimum)}")
        if slot.maximum is not None:
            lines.append(f"sh:maxInclusive {_number(slot.maximum)}")
    elif binding.kind == "class":
        target = schema.classes.get(slot.range)
        lines.append("sh:nodeKind sh:IRI")
        if target is not None:
            lines.append(f"sh:class <{schema_iri(schema, target.uri)}>")
    elif binding.kind == "enum":
        meanings = slot_value_iris(schema, slot)
        if meanings:
            lines.append("sh:nodeKind sh:IRI")
            lines.append("sh:in ( " + " ".join(f"<{m}>" for m in meanings) + " )")
        else:
            texts = [pv.text for pv in binding.permissible_values]
            lines.append("sh:datatype xsd:string")
            lines.append("sh:in ( " + " ".join(_lit(t) for t in texts) + " )")
    else:  # ontology
        lines.append("sh:nodeKind sh:IRI")
        lines.append(f"sh:pattern {_lit(ontology_pattern(schema, slot))}")
    return lines


def property_shape_iri(cls: ClassInfo, slot: SlotInfo) -> str:
    return f"{SHAPES_NS}{cls.name}-{slot.name}"


def _class_block(schema: SchemaInfo, cls: ClassInfo) -> str:
    """A node shape for the class and one targeted property shape per slot.

    The property shapes carry ``sh:targetClass`` themselves (SHACL allows property
    shapes as top-level shapes) instead of hanging off the node shape by
    ``sh:property``: same meaning, but pyshacl then checks each slot once over all
    records rather than once per record, which is many times faster on big graphs.
    """
    target = f"sh:targetClass <{schema_iri(schema, cls.uri)}>"
    head = [f"<{shape_iri(cls)}> a sh:NodeShape", target]
    if cls.description:
        head.append(f"rdfs:comment {_lit(' '.join(cls.description.split()))}")
    blocks = [" ;\n    ".join(head) + " .\n"]
    for slot in cls.slots:
        lines = [f"<{property_shape_iri(cls, slot)}> a sh:PropertyShape", target]
        lines += _property_lines(schema, slot)
        blocks.append(" ;\n    ".join(lines) + " .\n")
    return "\n".join(blocks)


def _concrete(classes: Iterable[ClassInfo]) -> list[ClassInfo]:
    return [c for c in classes if not c.abstract]


def shapes_turtle(schema: SchemaInfo) -> str:
    """The SHACL shapes graph of ``schema`` as deterministic Turtle text."""
    header = [
        f"# SHACL shapes generated by harmonize from the LinkML schema {schema.name!r}",
        f"# (version {schema.version or 'unversioned'}). Do not edit: regenerate with",
        "#   python -m harmonize.schema.generate",
        "",
    ]
    header += [f"@prefix {p}: <{iri}> ." for p, iri in _HEADER_PREFIXES.items()]
    blocks = [_class_block(schema, cls) for cls in _concrete(schema.classes.values())]
    return "\n".join(header) + "\n\n" + "\n".join(blocks)
