"""Reconciliation types: whole ontologies, ontology branches and LinkML schema slots.

* ``obo:<name>`` (kind ``ontology``): every term of one loaded ontology.
* a root CURIE such as ``UBERON:0001062`` (kind ``branch``, from ``--root``): the root and
  every term below it (is_a, part_of), exactly what ``harmonize ground --root`` searches.
* a slot URI such as ``hmz:tissue`` (kind ``slot``, from ``--schema``): the values the
  slot's binding allows (its ``reachable_from`` branch, or its permissible values), ranked
  by the same matcher column matching uses (:func:`~harmonize.match.columns.values.slot_matcher`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from harmonize.errors import CurieError

if TYPE_CHECKING:
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema.view import SchemaInfo, SlotInfo

__all__ = ["ReconType", "TypeKind", "build_types", "find_types", "ontology_type_id"]

TypeKind = Literal["ontology", "branch", "slot"]


@dataclass(frozen=True, slots=True)
class ReconType:
    """One type the service offers.

    ``roots``: the branch (kind ``branch``; kind ``slot`` with an ontology binding);
    ``source``: position of the ontology in the loaded list (kind ``ontology``);
    ``slot``: the slot (kind ``slot``).
    """

    id: str
    name: str
    kind: TypeKind
    description: str | None = None
    roots: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    source: int | None = None
    slot: SlotInfo | None = None

    def as_json(self) -> dict[str, str]:
        """``{"id", "name"}`` (and ``description``), as the API's type objects."""
        out = {"id": self.id, "name": self.name}
        if self.description:
            out["description"] = self.description
        return out


def ontology_type_id(index: OntologyIndex) -> str:
    """``obo:uberon`` for an index named UBERON (the LinkML ``source_ontology`` form)."""
    return f"obo:{index.meta.name.lower()}"


def _branch_types(merged: OntologyIndex, roots: Sequence[str]) -> list[ReconType]:
    out = []
    for root in dict.fromkeys(roots):
        term = merged.get(root)
        if term is None:
            raise CurieError(f"root term {root} is not in the loaded ontologies", value=root)
        label = term.label or root
        out.append(
            ReconType(
                id=root,
                name=f"{label} ({term.prefix} branch)",
                kind="branch",
                description=f"{root} {label} and every term below it (is_a, part_of)",
                roots=(root,),
            )
        )
    return out


def _slot_types(schema: SchemaInfo) -> list[ReconType]:
    out: list[ReconType] = []
    seen: set[str] = set()
    for cls, slot in schema.all_slots():
        binding = slot.binding
        coded = binding.kind == "ontology" or (
            binding.kind == "enum" and binding.permissible_values
        )
        if not coded or slot.uri in seen:
            continue
        seen.add(slot.uri)
        what = (
            f"terms under {', '.join(binding.roots)}"
            if binding.kind == "ontology"
            else f"the {len(binding.permissible_values)} values of {binding.enum_name}"
        )
        out.append(
            ReconType(
                id=slot.uri,
                name=f"{slot.name} ({cls.name} slot of {schema.name})",
                kind="slot",
                description=f"{slot.description or slot.name}: {what}",
                roots=binding.roots if binding.kind == "ontology" else (),
                slot=slot,
            )
        )
    return out


def build_types(
    indexes: Sequence[OntologyIndex],
    merged: OntologyIndex,
    *,
    roots: Sequence[str] = (),
    schema: SchemaInfo | None = None,
) -> tuple[ReconType, ...]:
    """Branch types (``roots``) first, then slot types (``schema``), then one type per
    loaded ontology. A root that is not in the loaded ontologies is a one-line error."""
    types = _branch_types(merged, roots)
    if schema is not None:
        types.extend(_slot_types(schema))
    for position, index in enumerate(indexes):
        name = index.meta.name
        types.append(
            ReconType(
                id=ontology_type_id(index),
                name=f"{name} (every term)",
                kind="ontology",
                description=f"any term of {name}"
                + (f" {index.meta.version}" if index.meta.version else ""),
                prefixes=index.meta.prefixes,
                source=position,
            )
        )
    unique: dict[str, ReconType] = {}
    for t in types:
        unique.setdefault(t.id, t)
    return tuple(unique.values())


def find_types(types: Sequence[ReconType], prefix: str) -> list[ReconType]:
    """Types whose id, or a word of whose name, starts with ``prefix`` (any case); all
    of them for an empty prefix."""
    wanted = prefix.strip().casefold()
    if not wanted:
        return list(types)
    out = []
    for t in types:
        words = [t.id.casefold(), *t.name.casefold().replace("(", " ").split()]
        if any(w.startswith(wanted) for w in words) or wanted in t.name.casefold():
            out.append(t)
    return out
