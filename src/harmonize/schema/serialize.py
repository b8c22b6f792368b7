"""A :class:`~harmonize.schema.SchemaInfo` as plain JSON data, and back.

Used by the schema cache (:mod:`harmonize.match.columns.cache`), so the format is
checked field by field on the way in: a damaged or tampered cache file raises
:class:`~harmonize.errors.SchemaError` (and is then rebuilt), it never yields a record
with wrong types. Paths are stored as strings. A slot whose binding is exactly one of
the schema's enums refers to it by name instead of repeating its permissible values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

from harmonize.errors import SchemaError
from harmonize.schema.view import (
    BindingKind,
    ClassInfo,
    PermissibleValue,
    SchemaInfo,
    SlotBinding,
    SlotInfo,
)

__all__ = ["FORMAT", "FORMAT_VERSION", "schema_from_dict", "schema_to_dict"]

#: Written into every document; :func:`schema_from_dict` refuses any other value.
FORMAT = "harmonize.schema-info"
FORMAT_VERSION = 1

_KINDS = frozenset(get_args(BindingKind))


class _BadError(Exception):
    """A field of the document has the wrong shape (turned into a SchemaError)."""


# -- writing -----------------------------------------------------------------------


def _drop_defaults(record: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in defaults or defaults[k] != v}


_PV_DEFAULTS: dict[str, Any] = {"meaning": None, "description": None, "aliases": [], "title": None}
_BINDING_DEFAULTS: dict[str, Any] = {
    "enum_name": None,
    "permissible_values": [],
    "sources": [],
    "roots": [],
    "include_self": True,
    "datatype": None,
}
_SLOT_DEFAULTS: dict[str, Any] = {
    "title": None,
    "description": None,
    "aliases": [],
    "multivalued": False,
    "required": False,
    "identifier": False,
    "pattern": None,
    "minimum": None,
    "maximum": None,
    "unit": None,
}


def _pv_to_dict(pv: PermissibleValue) -> dict[str, Any]:
    record = {
        "text": pv.text,
        "meaning": pv.meaning,
        "description": pv.description,
        "aliases": list(pv.aliases),
        "title": pv.title,
    }
    return _drop_defaults(record, _PV_DEFAULTS)


def _binding_to_dict(binding: SlotBinding) -> dict[str, Any]:
    record = {
        "kind": binding.kind,
        "enum_name": binding.enum_name,
        "permissible_values": [_pv_to_dict(pv) for pv in binding.permissible_values],
        "sources": list(binding.sources),
        "roots": list(binding.roots),
        "include_self": binding.include_self,
        "datatype": binding.datatype,
    }
    return _drop_defaults(record, _BINDING_DEFAULTS)


def _slot_to_dict(slot: SlotInfo, enums: dict[str, SlotBinding]) -> dict[str, Any]:
    binding = slot.binding
    shared = enums.get(binding.enum_name) if binding.enum_name else None
    bound: dict[str, Any]
    if shared is not None and (shared is binding or shared == binding):
        bound = {"enum_ref": binding.enum_name}
    else:
        bound = _binding_to_dict(binding)
    record = {
        "name": slot.name,
        "uri": slot.uri,
        "range": slot.range,
        "binding": bound,
        "title": slot.title,
        "description": slot.description,
        "aliases": list(slot.aliases),
        "multivalued": slot.multivalued,
        "required": slot.required,
        "identifier": slot.identifier,
        "pattern": slot.pattern,
        "minimum": slot.minimum,
        "maximum": slot.maximum,
        "unit": slot.unit,
    }
    return _drop_defaults(record, _SLOT_DEFAULTS)


def schema_to_dict(schema: SchemaInfo) -> dict[str, Any]:
    """JSON-ready data for ``schema`` (``json.dumps`` it; :func:`schema_from_dict` reads it)."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "path": str(schema.path),
        "id": schema.id,
        "name": schema.name,
        "schema_version": schema.version,
        "default_prefix": schema.default_prefix,
        "description": schema.description,
        "prefixes": dict(schema.prefixes),
        "enums": {name: _binding_to_dict(b) for name, b in schema.enums.items()},
        "classes": [
            {
                "name": cls.name,
                "uri": cls.uri,
                "description": cls.description,
                "is_a": cls.is_a,
                "tree_root": cls.tree_root,
                "abstract": cls.abstract,
                "slots": [_slot_to_dict(s, schema.enums) for s in cls.slots],
            }
            for cls in schema.classes.values()
        ],
    }


# -- reading (every field checked) ---------------------------------------------------


def _str(record: dict[str, Any], key: str) -> str:
    value = record[key]
    if type(value) is not str:
        raise _BadError(f"{key!r} is not a string")
    return value


def _opt_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is not None and type(value) is not str:
        raise _BadError(f"{key!r} is not a string")
    return value


def _bool(record: dict[str, Any], key: str, default: bool) -> bool:
    value = record.get(key, default)
    if type(value) is not bool:
        raise _BadError(f"{key!r} is not a boolean")
    return value


def _opt_float(record: dict[str, Any], key: str) -> float | None:
    value = record.get(key)
    if value is None:
        return None
    if type(value) not in (int, float):
        raise _BadError(f"{key!r} is not a number")
    return float(value)


def _strs(record: dict[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key)
    if value is None:
        return ()
    if type(value) is not list or any(type(v) is not str for v in value):
        raise _BadError(f"{key!r} is not a list of strings")
    return tuple(value)


def _obj(value: Any, what: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise _BadError(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if type(value) is not list:
        raise _BadError(f"{what} is not a list")
    return value


def _pv_from_dict(value: Any) -> PermissibleValue:
    record = _obj(value, "a permissible value")
    return PermissibleValue(
        text=_str(record, "text"),
        meaning=_opt_str(record, "meaning"),
        description=_opt_str(record, "description"),
        aliases=_strs(record, "aliases"),
        title=_opt_str(record, "title"),
    )


def _binding_from_dict(value: Any) -> SlotBinding:
    record = _obj(value, "a binding")
    kind = record["kind"]
    if kind not in _KINDS:
        raise _BadError(f"unknown binding kind {kind!r}")
    return SlotBinding(
        kind=kind,
        enum_name=_opt_str(record, "enum_name"),
        permissible_values=tuple(
            _pv_from_dict(pv)
            for pv in _list(record.get("permissible_values", []), "permissible_values")
        ),
        sources=_strs(record, "sources"),
        roots=_strs(record, "roots"),
        include_self=_bool(record, "include_self", True),
        datatype=_opt_str(record, "datatype"),
    )


def _slot_from_dict(value: Any, enums: dict[str, SlotBinding]) -> SlotInfo:
    record = _obj(value, "a slot")
    bound = _obj(record["binding"], "a binding")
    ref = bound.get("enum_ref")
    binding = enums[_str(bound, "enum_ref")] if ref is not None else _binding_from_dict(bound)
    return SlotInfo(
        name=_str(record, "name"),
        uri=_str(record, "uri"),
        range=_str(record, "range"),
        binding=binding,
        title=_opt_str(record, "title"),
        description=_opt_str(record, "description"),
        aliases=_strs(record, "aliases"),
        multivalued=_bool(record, "multivalued", False),
        required=_bool(record, "required", False),
        identifier=_bool(record, "identifier", False),
        pattern=_opt_str(record, "pattern"),
        minimum=_opt_float(record, "minimum"),
        maximum=_opt_float(record, "maximum"),
        unit=_opt_str(record, "unit"),
    )


def _class_from_dict(value: Any, enums: dict[str, SlotBinding]) -> ClassInfo:
    record = _obj(value, "a class")
    return ClassInfo(
        name=_str(record, "name"),
        uri=_str(record, "uri"),
        description=_opt_str(record, "description"),
        slots=tuple(_slot_from_dict(s, enums) for s in _list(record["slots"], "slots")),
        is_a=_opt_str(record, "is_a"),
        tree_root=_bool(record, "tree_root", False),
        abstract=_bool(record, "abstract", False),
    )


def schema_from_dict(data: Any, *, source: str | Path | None = None) -> SchemaInfo:
    """Rebuild a :class:`SchemaInfo` from :func:`schema_to_dict` data.

    Raises :class:`SchemaError` (naming ``source``, e.g. the cache file) when the data
    is not exactly that format and version.
    """
    try:
        record = _obj(data, "the document")
        if record.get("format") != FORMAT or record.get("version") != FORMAT_VERSION:
            raise _BadError(f"not a {FORMAT} document of version {FORMAT_VERSION}")
        prefixes = _obj(record["prefixes"], "prefixes")
        if any(type(v) is not str for v in prefixes.values()):
            raise _BadError("a prefix expansion is not a string")
        enums = {name: _binding_from_dict(b) for name, b in _obj(record["enums"], "enums").items()}
        classes = [_class_from_dict(c, enums) for c in _list(record["classes"], "classes")]
        return SchemaInfo(
            path=Path(_str(record, "path")),
            id=_str(record, "id"),
            name=_str(record, "name"),
            version=_opt_str(record, "schema_version"),
            default_prefix=_opt_str(record, "default_prefix"),
            prefixes=dict(prefixes),
            classes={c.name: c for c in classes},
            description=_opt_str(record, "description"),
            enums=enums,
        )
    except (_BadError, KeyError, TypeError, ValueError) as exc:
        detail = str(exc) if isinstance(exc, _BadError) else f"bad or missing field {exc}"
        raise SchemaError(f"not a valid cached schema: {detail}", path=source) from None
