"""LinkML schemas as harmonize needs them: classes, slots and their ontology bindings."""

from harmonize.schema.view import (
    ClassInfo,
    PermissibleValue,
    SchemaInfo,
    SlotBinding,
    SlotInfo,
    load_schema,
)

__all__ = [
    "ClassInfo",
    "PermissibleValue",
    "SchemaInfo",
    "SlotBinding",
    "SlotInfo",
    "load_schema",
]
