"""Map a column's distinct values onto its slot's permissible values or ontology branch.

For an enum slot, the permissible values become a small
:class:`~harmonize.ontology.index.OntologyIndex` (one term per value: label = the value's
text, exact synonyms = its aliases and title, id = its ``meaning`` when it has one, else
:func:`pv_curie`) and the grounding issue's :class:`~harmonize.match.values.matcher.ValueMatcher`
ranks them. For an ontology-bound slot (``reachable_from``) the named ontology is loaded
with :func:`harmonize.ontology.cache.load_index` and matched under the slot's roots.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import quote

from harmonize.errors import HarmonizeError, HarmonizeWarning
from harmonize.match.columns.features import MISSING

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.match.columns.matcher import ColumnMatching
    from harmonize.match.values.candidate import MatchResult
    from harmonize.match.values.matcher import ValueMatcher
    from harmonize.ontology.index import OntologyIndex
    from harmonize.schema import SchemaInfo, SlotInfo

__all__ = [
    "enum_index",
    "map_column_values",
    "map_values",
    "pv_curie",
    "slot_matcher",
]

_MATCHERS: dict[tuple[int, str, str], tuple[SchemaInfo, ValueMatcher | None]] = {}


def pv_curie(schema: SchemaInfo, enum_name: str, text: str) -> str:
    """A CURIE for a permissible value without ``meaning``: ``<prefix>:<enum>/<text>``."""
    prefix = schema.default_prefix or "local"
    return f"{prefix}:{quote(enum_name, safe='')}/{quote(text, safe='')}"


def enum_index(schema: SchemaInfo, slot: SlotInfo) -> OntologyIndex:
    """The permissible values of ``slot`` as a small ontology index."""
    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import OntologyMeta, Synonym, Term

    enum = slot.binding.enum_name or slot.range
    terms: dict[str, Term] = {}
    for pv in slot.binding.permissible_values:
        term_id = pv.meaning or pv_curie(schema, enum, pv.text)
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


def slot_matcher(schema: SchemaInfo, slot: SlotInfo) -> ValueMatcher | None:
    """A (cached) value matcher for the slot's binding; ``None`` for free-text slots."""
    from harmonize.match.values.ground import load_curated
    from harmonize.match.values.matcher import ValueMatcher

    key = (id(schema), slot.name, slot.range)
    hit = _MATCHERS.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    binding = slot.binding
    matcher: ValueMatcher | None = None
    if binding.kind == "ontology" and binding.sources:
        from harmonize.ontology.cache import load_index
        from harmonize.ontology.index import merge_indexes

        try:
            indexes = [load_index(_ontology_name(s)) for s in binding.sources]
            index = indexes[0] if len(indexes) == 1 else merge_indexes(indexes)
            matcher = ValueMatcher(index, roots=binding.roots, curated=load_curated())
        except HarmonizeError as exc:
            warnings.warn(
                HarmonizeWarning(f"slot {slot.name}: values not mapped, {exc}"), stacklevel=2
            )
    elif binding.permissible_values:
        matcher = ValueMatcher(enum_index(schema, slot), curated=load_curated())
    if len(_MATCHERS) > 256:
        _MATCHERS.clear()
    _MATCHERS[key] = (schema, matcher)
    return matcher


def map_column_values(
    values: Sequence[str], schema: SchemaInfo, slot: SlotInfo, *, top_k: int = 3
) -> list[MatchResult]:
    """Candidates for each distinct non-missing value (most frequent first)."""
    matcher = slot_matcher(schema, slot)
    if matcher is None:
        return []
    counts: dict[str, int] = {}
    for value in values:
        text = value.strip()
        if text.casefold() not in MISSING:
            counts[text] = counts.get(text, 0) + 1
    distinct = sorted(counts, key=lambda v: (-counts[v], v))
    results = matcher.match_many(distinct, top_k=top_k)
    retry = {
        i: variant
        for i, r in enumerate(results)
        if (r.best is None or r.best.confidence < _RETRY_BELOW)
        and (variant := _variant(r.query)) is not None
    }
    if retry:
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


_RETRY_BELOW = 0.5
_BRACKETS = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")
_TNM_VALUE = re.compile(r"^(?:y?[pc])([TNM](?:[0-9X]|is)\S*)$")


def _variant(value: str) -> str | None:
    """A second form of a value for a retry: bracketed qualifiers dropped ("pT1 (FIGO I)"
    -> "pT1") and a TNM value without its pathologic/clinical prefix ("pT1a" -> "T1a")."""
    text = _BRACKETS.sub(" ", value).strip() or value
    tnm = _TNM_VALUE.match(text)
    if tnm:
        text = tnm.group(1)
    return text if text != value else None


def map_values(
    table: Table,
    matching: ColumnMatching,
    schema: SchemaInfo,
    *,
    top_k: int = 3,
    slots: Mapping[str, str] | None = None,
) -> dict[str, tuple[SlotInfo, list[MatchResult]]]:
    """Column -> (slot, value candidates) for every column with a coded slot.

    ``slots`` overrides the chosen slot per column (default: the 1:1 assignment).
    """
    cls = schema.cls(matching.class_name)
    chosen = dict(matching.assignments())
    chosen.update(slots or {})
    out: dict[str, tuple[SlotInfo, list[MatchResult]]] = {}
    for column, slot_name in chosen.items():
        slot = cls.slot(slot_name)
        if slot is None or slot.binding.kind not in {"enum", "ontology"}:
            continue
        results = map_column_values(table.column(column), schema, slot, top_k=top_k)
        if results:
            out[column] = (slot, results)
    return out
