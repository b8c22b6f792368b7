"""How a schema's permissible values are named in mapping sets.

A permissible value with a ``meaning`` is that ontology term; one without gets a CURIE of
its own, ``<default prefix>:<enum>/<text>`` (``hmz:LibraryLayoutEnum/PAIRED``), so value
mapping sets can name it and conversion can read it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from harmonize.schema.view import PermissibleValue, SchemaInfo

__all__ = ["pv_curie", "pv_id", "unnamed_values"]


def pv_curie(schema: SchemaInfo, enum_name: str, text: str) -> str:
    """The CURIE of a permissible value without ``meaning``.

    >>> from harmonize.schema.view import SchemaInfo
    >>> from pathlib import Path
    >>> s = SchemaInfo(Path("x.yaml"), "https://x.org/s", "s", None, "hmz", {}, {})
    >>> pv_curie(s, "LibraryLayoutEnum", "PAIRED")
    'hmz:LibraryLayoutEnum/PAIRED'
    """
    prefix = schema.default_prefix or "local"
    return f"{prefix}:{quote(enum_name, safe='')}/{quote(text, safe='')}"


def pv_id(schema: SchemaInfo, enum_name: str, pv: PermissibleValue) -> str:
    """What a mapping set names ``pv`` by: its meaning, else :func:`pv_curie`."""
    return pv.meaning or pv_curie(schema, enum_name, pv.text)


def unnamed_values(schema: SchemaInfo) -> dict[str, str]:
    """:func:`pv_curie` -> the value's text, for every permissible value of every slot of
    ``schema`` that has no ``meaning``."""
    out: dict[str, str] = {}
    for _, slot in schema.all_slots():
        enum = slot.binding.enum_name or slot.range
        for pv in slot.binding.permissible_values:
            if not pv.meaning:
                out[pv_curie(schema, enum, pv.text)] = pv.text
    return out
