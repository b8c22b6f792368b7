"""Column matches and value mappings as SSSOM mapping sets, and as a terminal table."""

from __future__ import annotations

import datetime
from collections.abc import Mapping as MappingABC
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping, MappingSet
    from harmonize.match.columns.matcher import ColumnMatching
    from harmonize.match.values.candidate import MatchResult
    from harmonize.schema import SchemaInfo, SlotInfo

__all__ = [
    "JUSTIFICATION_COMPOSITE",
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


def column_mapping_set(matching: ColumnMatching, schema: SchemaInfo) -> MappingSet:
    """One row per (column, candidate slot): each column's top-k, best first."""
    from harmonize import __version__
    from harmonize.mappings.model import Mapping, MappingSet

    rows: list[Mapping] = []
    for match in matching.columns:
        subject = column_curie(match.column)
        for rank, cand in enumerate(match.candidates, start=1):
            rows.append(
                Mapping(
                    subject_id=subject,
                    subject_label=match.column,
                    predicate_id=cand.predicate,
                    object_id=_object_id(cand.uri, schema),
                    object_label=cand.slot,
                    mapping_justification=JUSTIFICATION_COMPOSITE,
                    confidence=cand.confidence,
                    comment=cand.explain(),
                    other=f"rank={rank};assigned={'yes' if match.assigned == cand.slot else 'no'}",
                )
            )
    return MappingSet(
        mapping_set_id=f"https://w3id.org/harmonize/mappings/columns/{schema.name}",
        mappings=tuple(rows),
        mapping_set_title=f"columns of {matching.table} -> slots of {matching.class_name}",
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


def value_mapping_set(
    mapped: MappingABC[str, tuple[SlotInfo, list[MatchResult]]], schema: SchemaInfo
) -> MappingSet:
    """Value -> permissible value / term rows for every mapped column, best first."""
    from harmonize import __version__
    from harmonize.curie import local_curie
    from harmonize.mappings.model import Mapping, MappingSet
    from harmonize.match.values.ground import results_to_mapping_set

    rows: list[Mapping] = []
    for column, (slot, results) in mapped.items():
        part = results_to_mapping_set(
            results, namespace=f"value/{column}", mapping_set_id="x"
        ).mappings
        rows.extend(
            replace(m, comment=f"column {column!r} -> slot {slot.name}: {m.comment}") for m in part
        )
        for result in results:  # every value appears: unmatched ones as sssom:NoTermFound
            if not result.candidates:
                rows.append(
                    Mapping(
                        subject_id=local_curie(f"value/{column}", result.query),
                        subject_label=result.query,
                        predicate_id="skos:exactMatch",
                        object_id="sssom:NoTermFound",
                        mapping_justification=JUSTIFICATION_COMPOSITE,
                        comment=f"column {column!r} -> slot {slot.name}: no permissible value "
                        "or term matched",
                    )
                )
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


def render_table(matching: ColumnMatching, *, width: int = 120) -> str:
    """A compact, human-readable summary: one line per column."""
    head = (
        f"{matching.table} ({matching.table_format}): {len(matching.columns)} columns -> "
        f"class {matching.class_name} of {matching.schema_name} ({matching.n_slots} slots)"
    )
    col_w = min(28, max([len("column"), *(len(m.column) for m in matching.columns)]))
    slot_w = min(
        30, max([len("best slot"), *(len(m.best.slot) for m in matching.columns if m.best)])
    )
    from harmonize.display import format_confidence

    lines = [head, f"{'column':<{col_w}}  {'best slot':<{slot_w}}  conf   next / evidence"]
    for match in matching.columns:
        best = match.best
        if best is None:
            lines.append(f"{_cut(match.column, col_w):<{col_w}}  (no slots)")
            continue
        mark = "" if match.assigned == best.slot else "?"
        nxt = match.candidates[1].slot if len(match.candidates) > 1 else "-"
        rest = width - col_w - slot_w - 11
        lines.append(
            f"{_cut(match.column, col_w):<{col_w}}  {_cut(best.slot + mark, slot_w):<{slot_w}}  "
            f"{format_confidence(best.confidence)}  {_cut(f'then {nxt}; {best.explain()}', max(rest, 20))}"
        )
    lines.append("? = not assigned one-to-one (slot taken by a stronger column, or weak)")
    return "\n".join(lines)
