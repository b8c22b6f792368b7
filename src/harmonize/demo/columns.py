"""Column -> slot mappings for the demo: the column matcher, plus the schema's aliases.

:func:`harmonize.match.columns.matcher.match_columns` ranks every slot of the schema's root
class (``SampleSheet``, the flat view of a row) per column. A header equal, after
normalisation, to a slot's name, title or one of its curated ``aliases`` is in
addition an exact lexical match (confidence 0.97, ``semapv:LexicalMatching``) put
first for that column: the aliases are the model's own curated synonyms. Everything
else keeps the matcher's calibrated confidence, so weak columns go to review.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.mappings.model import Mapping, MappingSet
    from harmonize.schema.view import SchemaInfo

__all__ = ["ALIAS_CONFIDENCE", "alias_matches", "match_demo_columns"]

ALIAS_CONFIDENCE = 0.97


def alias_matches(schema: SchemaInfo, columns: list[str]) -> dict[str, tuple[str, str]]:
    """Column -> (slot CURIE, the name or alias it equals), for exact matches only."""
    from harmonize.text.normalize import normalize

    def norm(text: str) -> str:
        return normalize(text, drop_brackets=False) or text.strip().lower()

    names: dict[str, tuple[str, str]] = {}
    for _, slot in schema.all_slots():
        for name in (slot.name.replace("_", " "), slot.title, *slot.aliases):
            if name:
                names.setdefault(norm(name), (slot.uri, name))
    return {c: names[norm(c)] for c in columns if norm(c) in names}


def _alias_row(first: Mapping | None, column: str, uri: str, matched: str) -> Mapping:
    from harmonize.mappings.model import JUSTIFICATION_LEXICAL, Mapping
    from harmonize.match.columns.report import column_curie

    return Mapping(
        subject_id=first.subject_id if first is not None else column_curie(column),
        subject_label=column,
        predicate_id="skos:exactMatch",
        object_id=uri,
        object_label=uri.partition(":")[2],
        mapping_justification=JUSTIFICATION_LEXICAL,
        confidence=ALIAS_CONFIDENCE,
        match_string=matched,
        comment=f"header equals the slot's curated name/alias {matched!r}",
    )


def match_demo_columns(table: Table, schema: SchemaInfo, *, top_k: int = 3) -> MappingSet:
    from harmonize.match.columns.matcher import match_columns
    from harmonize.match.columns.report import column_mapping_set

    matched = column_mapping_set(match_columns(table, schema, top_k=top_k), schema)
    aliases = alias_matches(schema, list(table.columns))
    by_column: dict[str, list[Mapping]] = {}
    for row in matched.mappings:
        by_column.setdefault(row.subject_label or "", []).append(row)
    rows: list[Mapping] = []
    for column in table.columns:
        found = by_column.get(column, [])
        if column in aliases:
            uri, name = aliases[column]
            rows.append(_alias_row(found[0] if found else None, column, uri, name))
            found = [m for m in found if m.object_id != uri]
        rows.extend(found)
    return replace(matched, mappings=tuple(rows))
