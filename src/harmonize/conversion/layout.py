"""What a record of each class needs, worked out once per conversion, not per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.conversion.cells import CellCoder
    from harmonize.schema.view import ClassInfo, SlotInfo

__all__ = ["ClassLayout", "SlotLayout", "layouts"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True, slots=True)
class SlotLayout:
    name: str
    predicate: str  # N-Triples form, <...>
    link: str | None  # the class a class-ranged slot points to (another class)


@dataclass(frozen=True, slots=True)
class ClassLayout:
    name: str
    type_tail: str  # " <rdf:type> <Class> .\n"
    ident_slot: str | None
    ident_predicate: str | None  # N-Triples form
    slots: tuple[SlotLayout, ...]  # in schema order
    units: tuple[tuple[SlotInfo, str, str | None], ...]  # (unit slot, measured, default)
    links: tuple[SlotLayout, ...]  # the slots that point to another class's record


def _units(cls: ClassInfo) -> tuple[tuple[SlotInfo, str, str | None], ...]:
    out = []
    for slot in cls.slots:
        measured = cls.slot(slot.name[: -len("_unit")]) if slot.name.endswith("_unit") else None
        if measured is not None:
            out.append((slot, measured.name, measured.unit))
    return tuple(out)


def layouts(coder: CellCoder) -> dict[str, ClassLayout]:
    """Class name -> its layout, for every class of the schema."""
    from harmonize.schema.shapes import schema_iri

    schema = coder.schema
    out: dict[str, ClassLayout] = {}
    for cls in schema.classes.values():
        ident = cls.identifier_slot
        slots = tuple(
            SlotLayout(
                s.name,
                str(coder.iri(s.uri)),
                s.range if s.binding.kind == "class" and s.range != cls.name else None,
            )
            for s in cls.slots
        )
        out[cls.name] = ClassLayout(
            name=cls.name,
            type_tail=f" <{RDF_TYPE}> {coder.terms.iri(schema_iri(schema, cls.uri))} .\n",
            ident_slot=ident.name if ident is not None else None,
            ident_predicate=str(coder.iri(ident.uri)) if ident is not None else None,
            slots=slots,
            units=_units(cls),
            links=tuple(s for s in slots if s.link is not None),
        )
    return out
