"""Column -> slot matching for the demo, by the schema's slot names and aliases.

A header equal (after normalisation) to a slot's name, title or one of its aliases is
an exact match; otherwise a token-set fuzzy score against those names gives a
candidate below the auto-accept threshold, left for review. The result is an SSSOM
column mapping set (subject = the column, object = the slot CURIE), the shape
``harmonize convert`` reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.model import MappingSet
    from harmonize.schema.view import SchemaInfo

__all__ = ["match_columns_by_alias"]

_EXACT_NAME = 0.99
_EXACT_ALIAS = 0.97


def match_columns_by_alias(
    schema: SchemaInfo, columns: Sequence[str], *, mapping_set_id: str
) -> MappingSet:
    import datetime

    from rapidfuzz import fuzz

    from harmonize import __version__
    from harmonize.curie import local_curie
    from harmonize.mappings.model import (
        JUSTIFICATION_LEXICAL,
        JUSTIFICATION_SIMILARITY,
        Mapping,
        MappingSet,
    )
    from harmonize.text.normalize import normalize

    def norm(text: str) -> str:
        return normalize(text, drop_brackets=False) or text.strip().lower()

    names: list[tuple[str, str, float, str]] = []  # (normalised name, slot uri, conf, text)
    seen_uris: set[str] = set()
    for _, slot in schema.all_slots():
        if slot.uri in seen_uris:
            continue
        seen_uris.add(slot.uri)
        names.append((norm(slot.name.replace("_", " ")), slot.uri, _EXACT_NAME, slot.name))
        for alias in (slot.title, *slot.aliases):
            if alias:
                names.append((norm(alias), slot.uri, _EXACT_ALIAS, alias))
    rows: list[Mapping] = []
    for column in columns:
        key = norm(column)
        exact = [n for n in names if n[0] == key]
        if exact:
            best = max(exact, key=lambda n: n[2])
            conf, justification, matched = best[2], JUSTIFICATION_LEXICAL, best[3]
            uri = best[1]
        else:
            scored = [(fuzz.token_set_ratio(key, n[0]) / 100.0, n) for n in names]
            score, best = max(scored, key=lambda s: s[0])
            if score < 0.6:
                continue
            conf, justification, matched, uri = (
                round(score * 0.9, 4),
                JUSTIFICATION_SIMILARITY,
                best[3],
                best[1],
            )
        rows.append(
            Mapping(
                subject_id=local_curie("column", column),
                subject_label=column,
                predicate_id="skos:exactMatch"
                if justification == JUSTIFICATION_LEXICAL
                else "skos:closeMatch",
                object_id=uri,
                mapping_justification=justification,
                confidence=conf,
                match_string=matched,
                subject_category="column",
                mapping_tool="harmonize demo (slot aliases)",
            )
        )
    return MappingSet(
        mapping_set_id=mapping_set_id,
        mappings=tuple(rows),
        mapping_set_title="column -> slot mappings",
        mapping_tool="harmonize",
        mapping_tool_version=__version__,
        mapping_date=datetime.date.today().isoformat(),
    )
