"""From a schema and SSSOM mapping sets to a conversion plan (pure; no file I/O).

Column mappings are the rows whose object is a slot of the schema (subject label = the
column header); every other row codes a value (subject label = the partner's value,
object = an ontology term or enum meaning). Only reviewed or auto-accepted rows are
used: :func:`accepted` picks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from harmonize.errors import MappingFileError
from harmonize.text.cells import value_key

if TYPE_CHECKING:
    from pathlib import Path

    from harmonize.mappings.ledger import Ledger
    from harmonize.mappings.model import Mapping, MappingSet
    from harmonize.schema.view import ClassInfo, SchemaInfo, SlotInfo

__all__ = [
    "AUTO_ACCEPT",
    "ColumnPlan",
    "ConversionPlan",
    "SetRef",
    "SlotTarget",
    "ValueCode",
    "accepted",
    "build_plan",
]

AUTO_ACCEPT = 0.95


def accepted(
    mapping_set: MappingSet, threshold: float = AUTO_ACCEPT, ledger: Ledger | None = None
) -> MappingSet:
    """One chosen row per subject: decided in the review ``ledger``, curated by hand, or
    above ``threshold`` (the review rule, :func:`harmonize.mappings.replay.reviewed_or_auto`)."""
    from harmonize.mappings.replay import reviewed_or_auto

    return reviewed_or_auto(mapping_set, ledger, threshold)


@dataclass(frozen=True, slots=True)
class SetRef:
    """A mapping set as provenance names it."""

    id: str
    version: str | None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class SlotTarget:
    cls: ClassInfo
    slot: SlotInfo


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    column: str
    index: int
    targets: tuple[SlotTarget, ...]
    mapping: SetRef
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class ValueCode:
    """A partner value coded to ``term`` (CURIE) by one row of ``mapping``."""

    term: str
    label: str | None
    mapping: SetRef
    confidence: float | None
    namespace: str | None = None


@dataclass(frozen=True, slots=True)
class ConversionPlan:
    schema: SchemaInfo
    columns: tuple[ColumnPlan, ...]
    values: dict[str, tuple[ValueCode, ...]] = field(default_factory=dict)  # value_key -> codes
    sets: tuple[SetRef, ...] = ()
    ignored_columns: tuple[str, ...] = ()  # a second column mapped to an already-used slot

    def classes(self) -> list[ClassInfo]:
        seen: dict[str, ClassInfo] = {}
        for col in self.columns:
            for target in col.targets:
                seen.setdefault(target.cls.name, target.cls)
        return list(seen.values())


def _slot_index(schema: SchemaInfo) -> dict[str, list[SlotTarget]]:
    """Expanded slot IRI (and ``prefix:name`` forms) -> targets in concrete classes."""
    from harmonize.schema.shapes import schema_iri

    index: dict[str, list[SlotTarget]] = {}
    for cls, slot in schema.all_slots():
        keys = {schema_iri(schema, slot.uri)}
        if schema.default_prefix:
            keys.add(schema_iri(schema, f"{schema.default_prefix}:{slot.name}"))
        for key in keys:
            index.setdefault(key, []).append(SlotTarget(cls, slot))
    return index


def _expand(schema: SchemaInfo, curie: str) -> str | None:
    from harmonize.errors import CurieError
    from harmonize.schema.shapes import schema_iri

    try:
        return schema_iri(schema, curie)
    except CurieError:
        return None


def _model_namespaces(schema: SchemaInfo) -> tuple[str, ...]:
    spaces = []
    if schema.default_prefix and schema.default_prefix in schema.prefixes:
        spaces.append(schema.prefixes[schema.default_prefix])
    spaces.append(schema.id.rstrip("/") + "/")
    return tuple(spaces)


def build_plan(
    schema: SchemaInfo,
    header: Sequence[str],
    mapping_sets: Sequence[tuple[MappingSet, Path | None]],
    *,
    threshold: float = AUTO_ACCEPT,
    ledger: Ledger | None = None,
) -> ConversionPlan:
    """Resolve accepted column mappings against ``header`` and index value mappings.

    Raises :class:`MappingFileError` when a column mapping names a slot the schema does
    not have.
    """
    from harmonize.schema.codes import unnamed_values

    slots = _slot_index(schema)
    model_ns = _model_namespaces(schema)
    pv_texts = unnamed_values(schema)
    positions = {name: i for i, name in enumerate(header)}
    columns: list[ColumnPlan] = []
    used_slots: set[str] = set()
    ignored: list[str] = []
    values: dict[str, list[ValueCode]] = {}
    refs: list[SetRef] = []
    for mapping_set, path in mapping_sets:
        ref = SetRef(
            id=mapping_set.mapping_set_id,
            version=mapping_set.mapping_set_version or mapping_set.mapping_date,
            path=str(path) if path is not None else None,
        )
        refs.append(ref)
        chosen: list[Mapping] = sorted(
            accepted(mapping_set, threshold, ledger), key=lambda m: -(m.confidence or 0.0)
        )
        for row in chosen:
            iri = _expand(schema, row.object_id)
            targets = slots.get(iri or "")
            if row.object_id in pv_texts:  # a permissible value without meaning: its text
                row = replace(row, object_id=pv_texts[row.object_id])
            elif targets is None and iri is not None and iri.startswith(model_ns):
                raise MappingFileError(
                    f"mapping set {mapping_set.mapping_set_id!r} maps {row.subject_label or row.subject_id!r} "
                    f"to {row.object_id!r}, which is not a slot of schema {schema.name!r}",
                    path=path,
                    value=row.object_id,
                )
            if targets is not None:
                column = row.subject_label or row.subject_id
                if column not in positions:
                    continue  # a mapping for a column this table does not have
                if iri in used_slots or any(c.column == column for c in columns):
                    ignored.append(column)
                    continue
                used_slots.add(iri or "")
                columns.append(
                    ColumnPlan(column, positions[column], tuple(targets), ref, row.confidence)
                )
                continue
            if not row.subject_label:
                continue
            from harmonize.mappings.replay import namespace_of

            values.setdefault(value_key(row.subject_label), []).append(
                ValueCode(
                    term=row.object_id,
                    label=row.object_label,
                    mapping=ref,
                    confidence=row.confidence,
                    namespace=namespace_of(row.subject_id),
                )
            )
    columns.sort(key=lambda c: c.index)
    return ConversionPlan(
        schema=schema,
        columns=tuple(columns),
        values={k: tuple(v) for k, v in values.items()},
        sets=tuple(refs),
        ignored_columns=tuple(dict.fromkeys(ignored)),
    )
