"""Map a column's distinct values onto its slot's codes: one path for every caller.

``harmonize match-columns``, ``harmonize demo`` and :func:`harmonize.map_values` all come
here, so a value gets the same subject (``local:<column>/<slug>-<hash>``, see
:func:`value_subject`) and the same candidates whichever of them made the file, and a
steward's decision replays across them.

For each coded column (its slot bound to an enum or to an ontology branch):

1. a value equal to a permissible value's text, title or curated alias (``M`` for male)
   is a curated row (``semapv:ManualMappingCuration``, confidence 1): the schema's
   authors wrote that name down;
2. the slot's permissible values, as a small index (:func:`enum_index`), and its
   ontology branch (``reachable_from``) each rank candidates with the value matcher; a
   value with no good candidate is tried once more without bracketed qualifiers;
3. rows are merged per value, curated first, then by confidence, one row per term; a
   value nothing matched gets one ``sssom:NoTermFound`` row, so none is dropped.

A cell-type column is read with the rows' tissue (:mod:`.tissues`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from harmonize.errors import HarmonizeError, HarmonizeWarning
from harmonize.match.columns.tissues import TISSUE_PREFIX, binds, by_tissue, cell_tissues
from harmonize.schema.codes import pv_id

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.mappings.model import Mapping, MappingSet
    from harmonize.match.values.candidate import MatchResult
    from harmonize.match.values.matcher import ValueMatcher
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema import SchemaInfo, SlotInfo

__all__ = [
    "CURATED_AUTHOR",
    "column_slots",
    "enum_index",
    "map_column_values",
    "slot_matchers",
    "value_subject",
]

#: ``author_label`` of rows the schema's own permissible-value names decide.
CURATED_AUTHOR = "harmonize common model (curated permissible value)"
_RETRY_BELOW = 0.5
_MATCHERS: dict[tuple[int, str, str, bool], tuple[SchemaInfo, tuple[ValueMatcher, ...]]] = {}


def value_subject(column: str, value: str) -> str:
    """The subject CURIE of a partner value: the same from every command.

    >>> value_subject("tissue_src", "liver bx")
    'local:tissue_src/liver_bx-dd69ab'
    """
    from harmonize.curie import local_curie

    return local_curie(column, value)


def enum_index(schema: SchemaInfo, slot: SlotInfo) -> OntologyIndex:
    """The permissible values of ``slot`` as a small ontology index.

    One term per value: label = its text, exact synonyms = its title and aliases, id = its
    ``meaning`` (or :func:`pv_curie` when it has none).
    """
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Synonym, Term

    enum = slot.binding.enum_name or slot.range
    terms: dict[str, Term] = {}
    for pv in slot.binding.permissible_values:
        term_id = pv_id(schema, enum, pv)
        names = [a for a in (*pv.aliases, pv.title) if a and a != pv.text]
        if term_id in terms:  # several values with one meaning: keep them all as names
            old = terms[term_id]
            names.append(pv.text)
            synonyms = old.synonyms + tuple(Synonym(n, "EXACT") for n in names)
            terms[term_id] = Term(term_id, old.label, synonyms, old.definition)
            continue
        terms[term_id] = Term(
            id=term_id,
            label=pv.text,
            synonyms=tuple(Synonym(n, "EXACT") for n in names),
            definition=pv.description,
        )
    prefixes = tuple(dict.fromkeys(t.partition(":")[0] for t in terms))
    meta = OntologyMeta(
        name=enum, version=schema.version, source=str(schema.path), prefixes=prefixes
    )
    return OntologyIndex(meta=meta, terms=terms)


def _ontology_name(source: str) -> str:
    """``obo:uberon`` or ``http://purl.obolibrary.org/obo/uberon.owl`` -> ``UBERON``."""
    if "://" in source:
        return source.rstrip("/").rsplit("/", 1)[-1].split(".")[0].upper()
    return source.rpartition(":")[2].upper() if source else source


def slot_matchers(
    schema: SchemaInfo, slot: SlotInfo, *, fill: bool = False
) -> tuple[ValueMatcher, ...]:
    """The (cached) value matchers of a coded slot: its permissible values, then its
    ontology branch; empty for a free-text slot. ``fill``: the branch matcher returns
    ``top_k`` candidates even after an exact hit (as ``harmonize ground`` does)."""
    from harmonize.match.values.ground import load_curated
    from harmonize.match.values.matcher import ValueMatcher

    key = (id(schema), slot.name, slot.range, fill)
    hit = _MATCHERS.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    binding = slot.binding
    matchers: list[ValueMatcher] = []
    if binding.permissible_values:
        matchers.append(ValueMatcher(enum_index(schema, slot), curated=load_curated()))
    if binding.kind == "ontology" and binding.sources:
        from harmonize.ontology.cache import load_index
        from harmonize.ontology.index import merge_indexes

        try:
            indexes = [load_index(_ontology_name(s)) for s in binding.sources]
            index = indexes[0] if len(indexes) == 1 else merge_indexes(indexes)
            matchers.append(
                ValueMatcher(
                    index,
                    roots=binding.roots,
                    curated=load_curated(),
                    taxon=schema.taxon,
                    fill=fill,
                )
            )
        except HarmonizeError as exc:
            warnings.warn(
                HarmonizeWarning(f"slot {slot.name}: values not mapped, {exc}"), stacklevel=2
            )
    if len(_MATCHERS) > 256:
        _MATCHERS.clear()
    _MATCHERS[key] = (schema, tuple(matchers))
    return tuple(matchers)


def _curated(column: str, schema: SchemaInfo, slot: SlotInfo, value: str) -> Mapping | None:
    """The curated row of a value equal to a permissible value's name, if any."""
    from harmonize.mappings.model import JUSTIFICATION_MANUAL, Mapping
    from harmonize.text.values import value_key

    key = value_key(value)
    enum = slot.binding.enum_name or slot.range
    for pv in slot.binding.permissible_values:
        if any(value_key(n) == key for n in (pv.text, pv.title or "", *pv.aliases) if n):
            return Mapping(
                subject_id=value_subject(column, value),
                subject_label=value,
                predicate_id="skos:exactMatch",
                object_id=pv_id(schema, enum, pv),
                object_label=pv.text,
                mapping_justification=JUSTIFICATION_MANUAL,
                confidence=1.0,
                author_label=(CURATED_AUTHOR,),
                comment=f"{value!r} is a curated name of {enum} value {pv.text!r}",
            )
    return None


def _variant(value: str) -> str | None:
    """A second form of a value for a retry: bracketed qualifiers dropped ("pT1 (FIGO I)"
    -> "pT1") and a TNM value without its pathologic/clinical prefix ("pT1a" -> "T1a")."""
    import re

    text = re.sub(r"\s*[\(\[][^\)\]]*[\)\]]\s*", " ", value).strip() or value
    tnm = re.match(r"^(?:y?[pc])([TNM](?:[0-9X]|is)\S*)$", text)
    if tnm:
        text = tnm.group(1)
    return text if text != value else None


def _match(matcher: ValueMatcher, values: list[str], top_k: int) -> list[MatchResult]:
    """Candidates per value; weak values retried once as :func:`_variant`."""
    from dataclasses import replace

    results = matcher.match_many(values, top_k=top_k)
    retry = {
        i: variant
        for i, r in enumerate(results)
        if (r.best is None or r.best.confidence < _RETRY_BELOW)
        and (variant := _variant(r.query)) is not None
    }
    if not retry:
        return results
    again = matcher.match_many(list(retry.values()), top_k=top_k)
    for (i, variant), result in zip(retry.items(), again, strict=True):
        old = results[i].best
        if result.best is not None and (old is None or result.best.confidence > old.confidence):
            note = f"matched as {variant!r}"
            results[i] = replace(
                result,
                query=results[i].query,
                candidates=tuple(
                    replace(c, note=f"{c.note}; {note}" if c.note else note)
                    for c in result.candidates
                ),
            )
    return results


def _candidate_rows(column: str, result: MatchResult, source_version: str | None) -> list[Mapping]:
    from harmonize.mappings.model import (
        JUSTIFICATION_LEXICAL,
        JUSTIFICATION_SIMILARITY,
        Mapping,
    )

    return [
        Mapping(
            subject_id=value_subject(column, result.query),
            subject_label=result.query,
            predicate_id=cand.predicate,
            object_id=cand.id,
            object_label=cand.label,
            mapping_justification=JUSTIFICATION_SIMILARITY
            if cand.evidence.method == "fuzzy"
            else JUSTIFICATION_LEXICAL,
            confidence=cand.confidence,
            match_string=(cand.evidence.matched_text,),
            object_source_version=source_version,
            comment=cand.explain(),
        )
        for cand in result.candidates
    ]


def _no_term(column: str, slot: SlotInfo, value: str) -> Mapping:
    from harmonize.mappings.model import JUSTIFICATION_SIMILARITY, Mapping
    from harmonize.match.values.ground import NO_TERM_FOUND

    return Mapping(
        subject_id=value_subject(column, value),
        subject_label=value,
        predicate_id="skos:exactMatch",
        object_id=NO_TERM_FOUND,
        mapping_justification=JUSTIFICATION_SIMILARITY,
        comment=f"no permissible value or term of {slot.name} matched",
    )


def _distinct(values: Sequence[str]) -> list[str]:
    """Distinct non-missing values, most frequent first (ties alphabetical)."""
    from harmonize.text.values import is_missing

    counts: dict[str, int] = {}
    for value in values:
        text = value.strip()
        if not is_missing(text):
            counts[text] = counts.get(text, 0) + 1
    return sorted(counts, key=lambda v: (-counts[v], v))


def map_column_values(
    column: str,
    values: Sequence[str],
    schema: SchemaInfo,
    slot: SlotInfo,
    *,
    top_k: int = 3,
    tissues: dict[str, tuple[str, ...]] | None = None,
) -> list[Mapping]:
    """SSSOM rows for the distinct values of ``column`` coded by ``slot``, each value's
    rows best first (curated, then by confidence), at most ``top_k`` terms per value.
    ``tissues``: value -> the names of the tissue its samples were taken from, read as
    the value's context by the ontology matcher (:func:`tissue_names`)."""
    distinct = _distinct(values)
    matchers = slot_matchers(schema, slot)
    if not distinct or not (matchers or slot.binding.permissible_values):
        return []
    per_value: dict[str, list[Mapping]] = {v: [] for v in distinct}
    for value in distinct:
        row = _curated(column, schema, slot, value)
        if row is not None:
            per_value[value].append(row)
    for matcher in matchers:
        meta = matcher.index.meta
        version = f"{meta.name} {meta.version or ''}".strip()
        for reader, group in by_tissue(matcher, distinct, tissues or {}):
            for result in _match(reader, group, top_k):
                per_value[result.query].extend(_candidate_rows(column, result, version))
    out: list[Mapping] = []
    for value, rows in per_value.items():
        curated = [m for m in rows if m.confidence == 1.0 and m.author_label == (CURATED_AUTHOR,)]
        ranked = curated + sorted(
            (m for m in rows if m not in curated), key=lambda m: -(m.confidence or 0.0)
        )
        kept: dict[str, Mapping] = {}
        for m in ranked:  # one row per term: its best
            kept.setdefault(m.object_id, m)
        out.extend(
            list(kept.values())[: max(top_k, len(curated))] or [_no_term(column, slot, value)]
        )
    return out


def column_slots(
    columns: MappingSet, schema: SchemaInfo, *, class_name: str | None = None
) -> dict[str, SlotInfo]:
    """Column -> the coded slot its values are mapped for: the first row per column of a
    column mapping set (the matcher's assignment, or a steward's choice)."""
    from harmonize.match.columns.report import assigned_rows

    cls = schema.cls(class_name)
    by_uri: dict[str, SlotInfo] = {}
    for slot in cls.slots:
        by_uri[slot.uri] = slot
        by_uri[slot.name] = slot
    out: dict[str, SlotInfo] = {}
    for row in assigned_rows(columns):
        found = by_uri.get(row.object_id) or by_uri.get(row.object_label or "")
        if found is not None and found.binding.kind in {"enum", "ontology"}:
            out[row.subject_label or ""] = found
    return out


def map_table_values(
    table: Table,
    columns: MappingSet,
    schema: SchemaInfo,
    *,
    class_name: str | None = None,
    top_k: int = 3,
) -> list[Mapping]:
    """Value rows for every coded column of ``table`` (see :func:`column_slots`); tissue
    columns first, so that cell-type columns are read with the rows' tissue."""
    slots = {
        c: s
        for c, s in column_slots(columns, schema, class_name=class_name).items()
        if c in table.columns
    }
    per_column: dict[str, list[Mapping]] = {}
    tissue_rows: dict[str, list[Mapping]] = {}
    for column, slot in slots.items():
        if binds(slot, TISSUE_PREFIX):
            found = map_column_values(column, table.column(column), schema, slot, top_k=top_k)
            per_column[column] = tissue_rows[column] = found
    tissue_matchers = [m for c in tissue_rows for m in slot_matchers(schema, slots[c])]
    for column, slot in slots.items():
        if column not in per_column:
            tissues = cell_tissues(table, slot, tissue_rows, tissue_matchers, column)
            per_column[column] = map_column_values(
                column, table.column(column), schema, slot, top_k=top_k, tissues=tissues
            )
    return [row for column in slots for row in per_column[column]]
