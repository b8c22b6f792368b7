"""Ground the distinct values of each coded column (ontology-bound and enum slots)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping, MappingSet
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema.view import SlotInfo

__all__ = ["enum_index", "ground_column"]


def enum_index(slot: SlotInfo) -> OntologyIndex | None:
    """A tiny index of a slot's permissible values that have a meaning (text, aliases)."""
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Synonym, Term

    terms = {}
    for pv in slot.binding.permissible_values:
        if pv.meaning is None:
            continue
        synonyms = tuple(Synonym(a, "EXACT") for a in pv.aliases)
        terms[pv.meaning] = Term(id=pv.meaning, label=pv.title or pv.text, synonyms=synonyms)
    if not terms:
        return None
    name = slot.binding.enum_name or slot.range
    prefixes = tuple(sorted({t.partition(":")[0] for t in terms}))
    return OntologyIndex(
        meta=OntologyMeta(name=name, format="enum", prefixes=prefixes), terms=terms
    )


def _curated_enum_rows(column: str, slot: SlotInfo, values: Sequence[str]) -> list[Mapping]:
    """Values equal to a permissible value's text or curated alias (``M`` for male).

    The model's aliases were curated by its authors, so these rows are manual curation
    (reviewed), exactly what ``harmonize convert`` applies when it meets such a value.
    """
    from harmonize.convert.plan import value_key
    from harmonize.curie import local_curie
    from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping

    rows: list[Mapping] = []
    for value in values:
        key = value_key(value)
        for pv in slot.binding.permissible_values:
            names = (pv.text, pv.title or "", *pv.aliases)
            if pv.meaning and any(value_key(n) == key for n in names if n):
                rows.append(
                    Mapping(
                        subject_id=local_curie(column, value),
                        subject_label=value,
                        predicate_id="skos:exactMatch",
                        object_id=pv.meaning,
                        object_label=pv.text,
                        mapping_justification=JUSTIFICATION_MANUAL,
                        confidence=1.0,
                        author_label="harmonize common model (curated permissible value)",
                        comment=f"{value!r} is a curated name of {slot.range} value {pv.text!r}",
                    )
                )
                break
    return rows


def ground_column(
    column: str,
    slot: SlotInfo,
    values: Sequence[str],
    indexes: dict[str, OntologyIndex],
    *,
    mapping_set_id: str,
) -> list[Mapping]:
    """SSSOM rows for ``values`` of ``column`` (namespace = the column), best first."""
    from harmonize.match.values.ground import load_curated, results_to_mapping_set
    from harmonize.match.values.matcher import ValueMatcher

    sets: list[MappingSet] = []
    pv_index = enum_index(slot)
    if pv_index is not None:
        matcher = ValueMatcher(pv_index)
        sets.append(
            results_to_mapping_set(
                matcher.match_many(values, top_k=3),
                namespace=column,
                mapping_set_id=mapping_set_id,
                object_source_version=f"{pv_index.meta.name} (schema enum)",
            )
        )
    if slot.binding.kind == "ontology":
        prefix = slot.binding.roots[0].partition(":")[0]
        index = indexes.get(prefix)
        if index is not None:
            matcher = ValueMatcher(index, roots=slot.binding.roots, curated=load_curated())
            sets.append(
                results_to_mapping_set(
                    matcher.match_many(values, top_k=3),
                    namespace=column,
                    mapping_set_id=mapping_set_id,
                    object_source_version=f"{index.meta.name} {index.meta.version or ''}".strip(),
                )
            )
    rows = _curated_enum_rows(column, slot, values) + [m for s in sets for m in s.mappings]
    # best first per subject, whichever index it came from
    order: dict[str, int] = {}
    for i, m in enumerate(rows):
        order.setdefault(m.subject_id, i)
    return sorted(rows, key=lambda m: (order[m.subject_id], -(m.confidence or 0.0)))
