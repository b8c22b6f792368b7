"""Column matches and value mappings as SSSOM mapping sets, and as a terminal table."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping, MappingSet
    from harmonize.match.columns.matcher import ColumnMatch, ColumnMatching, SlotCandidate
    from harmonize.schema import SchemaInfo

__all__ = [
    "JUSTIFICATION_COMPOSITE",
    "assigned_rows",
    "column_curie",
    "column_mapping_set",
    "render_table",
    "value_mapping_set",
]

JUSTIFICATION_COMPOSITE = "semapv:CompositeMatching"


def column_curie(column: str) -> str:
    """The local CURIE of a partner column (``local:column/<name>-<hash>``)."""
    from harmonize.curie import local_curie

    return local_curie("column", column)


def _schema_prefixes(schema: SchemaInfo) -> dict[str, str]:
    from harmonize.curie import HARMONIZE_PREFIXES

    prefixes = dict(schema.prefixes)
    prefixes.setdefault("local", HARMONIZE_PREFIXES["local"])
    return prefixes


def _object_id(uri: str, schema: SchemaInfo) -> str:
    """The slot URI as a CURIE under the schema's own prefixes when possible."""
    if "://" not in uri:
        return uri
    for prefix, base in sorted(schema.prefixes.items(), key=lambda p: -len(p[1])):
        if base and uri.startswith(base):
            return f"{prefix}:{uri[len(base) :]}"
    return uri


def _column_row(match: ColumnMatch, cand: SlotCandidate, rank: int, schema: SchemaInfo) -> Mapping:
    from harmonize.mappings.model import JUSTIFICATION_LEXICAL, Mapping, with_other

    row = Mapping(
        subject_id=column_curie(match.column),
        subject_label=match.column,
        predicate_id="skos:exactMatch" if cand.curated_name else cand.predicate,
        object_id=_object_id(cand.uri, schema),
        object_label=cand.slot,
        mapping_justification=JUSTIFICATION_LEXICAL
        if cand.curated_name
        else JUSTIFICATION_COMPOSITE,
        confidence=cand.confidence,
        match_string=(match.column,) if cand.curated_name else (),
        comment=cand.explain(),
    )
    return with_other(row, rank=rank, assigned="yes" if match.assigned == cand.slot else "no")


def column_mapping_set(matching: ColumnMatching, schema: SchemaInfo) -> MappingSet:
    """One row per (column, candidate slot): each column's top-k, best first."""
    from harmonize import __version__
    from harmonize.mappings.model import MappingSet

    rows = [
        _column_row(match, cand, rank, schema)
        for match in matching.columns
        for rank, cand in enumerate(match.candidates, start=1)
    ]
    return MappingSet(
        mapping_set_id=f"https://w3id.org/harmonize/mappings/columns/{schema.name}",
        mappings=tuple(rows),
        mapping_set_title=(
            f"columns of {matching.table} ({matching.table_format}) -> slots of {matching.class_name}"
        ),
        mapping_set_description=(
            f"Column-to-slot candidates for {matching.table} ({matching.table_format}) "
            f"against class {matching.class_name} of schema {schema.id}"
            f"{' version ' + schema.version if schema.version else ''}; top candidates per "
            "column, best first."
        ),
        mapping_tool="harmonize match-columns",
        mapping_tool_version=__version__,
        mapping_date=datetime.date.today().isoformat(),
        object_source_version=schema.version,
        curie_map=_schema_prefixes(schema),
    )


def assigned_rows(columns: MappingSet) -> list[Mapping]:
    """The row each column's values are mapped for: a curated (reviewed) row if the set
    has one, else the matcher's one-to-one assignment (``assigned=yes`` in ``other``)."""
    from harmonize.mappings.model import JUSTIFICATION_MANUAL, other_fields

    out: list[Mapping] = []
    for rows in columns.by_subject().values():
        live = [m for m in rows if not m.negated]
        manual = [m for m in live if m.mapping_justification == JUSTIFICATION_MANUAL]
        assigned = [m for m in live if other_fields(m).get("assigned") == "yes"]
        chosen = (manual or assigned)[:1]
        out.extend(chosen)
    return out


def value_mapping_set(rows: Sequence[Mapping], schema: SchemaInfo) -> MappingSet:
    """Partner value -> permissible value / term rows (see
    :func:`harmonize.match.columns.values.map_column_values`) as a mapping set."""
    from harmonize import __version__
    from harmonize.mappings.model import MappingSet

    return MappingSet(
        mapping_set_id=f"https://w3id.org/harmonize/mappings/values/{schema.name}",
        mappings=tuple(rows),
        mapping_set_title=f"column values -> permissible values / terms of {schema.name}",
        mapping_tool="harmonize match-columns",
        mapping_tool_version=__version__,
        mapping_date=datetime.date.today().isoformat(),
        object_source_version=schema.version,
        curie_map=_schema_prefixes(schema),
    )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(columns: MappingSet, *, width: int = 120) -> str:
    """A compact, human-readable summary of a column mapping set: one line per column."""
    from harmonize.confidence import shown
    from harmonize.mappings.model import other_fields

    groups = [rows for rows in columns.by_subject().values() if rows]
    col_w = min(28, max([len("column"), *(len(r[0].subject_label or "") for r in groups)]))
    slot_w = min(30, max([len("best slot"), *(len(r[0].object_label or "") for r in groups)]))
    lines = [
        columns.mapping_set_title or columns.mapping_set_id,
        f"{'column':<{col_w}}  {'best slot':<{slot_w}}  conf   next / evidence",
    ]
    for rows in groups:
        best = rows[0]
        mark = "" if other_fields(best).get("assigned") == "yes" else "?"
        nxt = rows[1].object_label if len(rows) > 1 else "-"
        evidence = f"then {nxt}; {best.comment or ''}"
        rest = max(width - col_w - slot_w - 11, 20)
        lines.append(
            f"{_cut(best.subject_label or '', col_w):<{col_w}}  "
            f"{_cut((best.object_label or '') + mark, slot_w):<{slot_w}}  "
            f"{shown(best.confidence)}  {_cut(evidence, rest)}"
        )
    lines.append("? = not assigned one-to-one (slot taken by a stronger column, or weak)")
    return "\n".join(lines)
