"""Read any LinkML schema with linkml-runtime's SchemaView into small frozen records.

Everything downstream (column matching, conversion, shapes, validation) works on
:class:`SchemaInfo`, so SchemaView is consulted once per schema and file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from harmonize.errors import SchemaError
from harmonize.io.yaml_text import load_yaml_file

if TYPE_CHECKING:
    from linkml_runtime.utils.schemaview import SchemaView

__all__ = [
    "ClassInfo",
    "PermissibleValue",
    "SchemaInfo",
    "SlotBinding",
    "SlotInfo",
    "load_schema",
]

BindingKind = Literal["enum", "ontology", "class", "literal"]

#: LinkML built-in types -> XSD datatype CURIE.
XSD_TYPES: dict[str, str] = {
    "string": "xsd:string",
    "integer": "xsd:integer",
    "float": "xsd:float",
    "double": "xsd:double",
    "decimal": "xsd:decimal",
    "boolean": "xsd:boolean",
    "date": "xsd:date",
    "datetime": "xsd:dateTime",
    "time": "xsd:time",
    "uri": "xsd:anyURI",
    "uriorcurie": "xsd:anyURI",
    "curie": "xsd:string",
    "ncname": "xsd:string",
    "nodeidentifier": "xsd:anyURI",
}


@dataclass(frozen=True, slots=True)
class PermissibleValue:
    """One permissible value of an enum; ``meaning`` is its ontology term (CURIE)."""

    text: str
    meaning: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    title: str | None = None


@dataclass(frozen=True, slots=True)
class SlotBinding:
    """How a slot's values are coded.

    ``enum``: a static list of permissible values (each may have a ``meaning``);
    ``ontology``: a dynamic enum, any term reachable from ``roots`` in ``sources``;
    ``class``: a reference to another class's instance; ``literal``: a datatype.
    """

    kind: BindingKind
    enum_name: str | None = None
    permissible_values: tuple[PermissibleValue, ...] = ()
    sources: tuple[str, ...] = ()  # e.g. ("obo:uberon",)
    roots: tuple[str, ...] = ()  # CURIEs of the branch roots
    include_self: bool = True
    datatype: str | None = None  # xsd CURIE for literals


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """A slot as used by one class (``induced``: inherited facets resolved)."""

    name: str
    uri: str  # CURIE or IRI
    range: str
    binding: SlotBinding
    title: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    multivalued: bool = False
    required: bool = False
    identifier: bool = False
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str | None = None  # UCUM code or UO CURIE of the slot's unit

    @property
    def datatype(self) -> str | None:
        return self.binding.datatype


@dataclass(frozen=True, slots=True)
class ClassInfo:
    name: str
    uri: str
    description: str | None
    slots: tuple[SlotInfo, ...]
    is_a: str | None = None
    tree_root: bool = False
    abstract: bool = False

    def slot(self, name: str) -> SlotInfo | None:
        return next((s for s in self.slots if s.name == name), None)

    @property
    def identifier_slot(self) -> SlotInfo | None:
        return next((s for s in self.slots if s.identifier), None)


@dataclass(frozen=True, slots=True)
class SchemaInfo:
    """A LinkML schema reduced to what harmonize uses."""

    path: Path
    id: str
    name: str
    version: str | None
    default_prefix: str | None
    prefixes: dict[str, str]
    classes: dict[str, ClassInfo]
    description: str | None = None
    enums: dict[str, SlotBinding] = field(default_factory=dict)
    #: species of the data (NCBITaxon CURIE) from the schema's ``taxon`` annotation
    taxon: str | None = None

    def cls(self, name: str | None = None) -> ClassInfo:
        """A class by name (case-insensitive); default the tree root or the only class."""
        if name is None:
            roots = [c for c in self.classes.values() if c.tree_root]
            concrete = [c for c in self.classes.values() if not c.abstract]
            if len(roots) == 1:
                return roots[0]
            if len(concrete) == 1:
                return concrete[0]
            raise SchemaError(
                "the schema has several classes; choose one with --class "
                f"({', '.join(sorted(self.classes))})",
                path=self.path,
            )
        found = self.classes.get(name) or next(
            (c for n, c in self.classes.items() if n.lower() == name.lower()), None
        )
        if found is None:
            raise SchemaError(
                f"no class {name!r} in the schema; classes are: {', '.join(sorted(self.classes))}",
                path=self.path,
                value=name,
            )
        return found

    def all_slots(self) -> list[tuple[ClassInfo, SlotInfo]]:
        """Every (class, slot) pair of the non-abstract classes."""
        return [(c, s) for c in self.classes.values() if not c.abstract for s in c.slots]


def _str_list(values: Any) -> tuple[str, ...]:
    if not values:
        return ()
    return tuple(str(v) for v in values)


def _binding(view: SchemaView, slot_range: str) -> SlotBinding:
    enum = view.get_enum(slot_range) if slot_range in view.all_enums() else None
    if enum is not None:
        pvs = tuple(
            PermissibleValue(
                text=str(pv.text),
                meaning=str(pv.meaning) if pv.meaning else None,
                description=str(pv.description) if pv.description else None,
                aliases=_str_list(pv.aliases),
                title=str(pv.title) if pv.title else None,
            )
            for pv in (enum.permissible_values or {}).values()
        )
        reach = enum.reachable_from
        if reach is not None and reach.source_nodes:
            return SlotBinding(
                kind="ontology",
                enum_name=str(enum.name),
                permissible_values=pvs,
                sources=_str_list([reach.source_ontology] if reach.source_ontology else []),
                roots=_str_list(reach.source_nodes),
                include_self=bool(reach.include_self) if reach.include_self is not None else True,
            )
        return SlotBinding(kind="enum", enum_name=str(enum.name), permissible_values=pvs)
    if slot_range in view.all_classes():
        return SlotBinding(kind="class")
    base = slot_range
    types = view.all_types()
    seen: set[str] = set()
    while base in types and base not in XSD_TYPES and base not in seen:
        seen.add(base)
        parent = types[base].typeof
        if not parent:
            break
        base = str(parent)
    return SlotBinding(kind="literal", datatype=XSD_TYPES.get(base, "xsd:string"))


def _slot_info(view: SchemaView, slot: Any, class_name: str) -> SlotInfo:
    slot_range = str(slot.range or view.schema.default_range or "string")
    unit = None
    if slot.unit is not None:
        unit = (
            slot.unit.ucum_code
            or slot.unit.symbol
            or (str(slot.unit.exact_mappings[0]) if slot.unit.exact_mappings else None)
        )

    def number(value: Any) -> float | None:
        try:
            return float(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    return SlotInfo(
        name=str(slot.name),
        uri=str(view.get_uri(slot, expand=False)),
        range=slot_range,
        binding=_binding(view, slot_range),
        title=str(slot.title) if slot.title else None,
        description=str(slot.description) if slot.description else None,
        aliases=_str_list(slot.aliases),
        multivalued=bool(slot.multivalued),
        required=bool(slot.required),
        identifier=bool(slot.identifier),
        pattern=str(slot.pattern) if slot.pattern else None,
        minimum=number(slot.minimum_value),
        maximum=number(slot.maximum_value),
        unit=unit,
    )


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> SchemaInfo:

    data = load_yaml_file(path, error=SchemaError, message="not valid YAML", what="schema file")
    if not isinstance(data, dict) or "id" not in data or "name" not in data:
        raise SchemaError("not a LinkML schema (needs at least 'id' and 'name')", path=path)
    from linkml_runtime.utils.schemaview import SchemaView

    try:
        view = SchemaView(str(path))
        classes: dict[str, ClassInfo] = {}
        for name, definition in view.all_classes().items():
            slots = tuple(
                _slot_info(view, view.induced_slot(slot_name, name), str(name))
                for slot_name in view.class_slots(name)
            )
            classes[str(name)] = ClassInfo(
                name=str(name),
                uri=str(view.get_uri(definition, expand=False)),
                description=str(definition.description) if definition.description else None,
                slots=slots,
                is_a=str(definition.is_a) if definition.is_a else None,
                tree_root=bool(definition.tree_root),
                abstract=bool(definition.abstract) or bool(definition.mixin),
            )
        enums = {str(n): _binding(view, str(n)) for n in view.all_enums()}
        schema = view.schema
        prefixes = {
            str(p.prefix_prefix): str(p.prefix_reference) for p in (schema.prefixes or {}).values()
        }
    except SchemaError:
        raise
    except Exception as exc:  # linkml raises many kinds; report them in one line
        raise SchemaError(f"LinkML could not load the schema: {exc}", path=path) from exc
    return SchemaInfo(
        path=path,
        id=str(schema.id),
        name=str(schema.name),
        version=str(schema.version) if schema.version else None,
        default_prefix=str(schema.default_prefix) if schema.default_prefix else None,
        prefixes=prefixes,
        classes=classes,
        description=str(schema.description) if schema.description else None,
        enums=enums,
        taxon=_annotation(schema, "taxon"),
    )


def _annotation(element: Any, tag: str) -> str | None:
    """The value of annotation ``tag`` on a LinkML element, or None."""
    annotations = getattr(element, "annotations", None) or {}
    found = annotations.get(tag) if hasattr(annotations, "get") else None
    value = getattr(found, "value", found)
    return str(value) if value else None


def load_schema(path: str | Path) -> SchemaInfo:
    """Load a LinkML YAML schema; one-line :class:`SchemaError` when it cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise SchemaError("schema file not found", path=path)
    return _load(path.resolve(), path.stat().st_mtime)
