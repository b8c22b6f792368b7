"""Files in, files out: the whole ``match-columns`` run as one library call.

``run_match_columns`` reads the table and the schema, ranks slots per column, writes the
column SSSOM (and, if asked, the value SSSOM) atomically, and returns everything it
computed, so the CLI, the demo and notebooks share one code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.mappings.model import MappingSet
    from harmonize.match.columns.matcher import ColumnMatching
    from harmonize.schema import SchemaInfo

__all__ = ["ColumnRun", "run_match_columns"]


@dataclass(frozen=True, slots=True)
class ColumnRun:
    """What one run produced (the mapping sets are also written when paths were given)."""

    table: Table
    schema: SchemaInfo
    matching: ColumnMatching
    columns: MappingSet
    values: MappingSet | None


def run_match_columns(
    table: str | Path,
    schema: str | Path,
    *,
    class_name: str | None = None,
    top_k: int = 5,
    out: str | Path | None = None,
    values_out: str | Path | None = None,
    map_values_too: bool = False,
) -> ColumnRun:
    """Match ``table``'s columns to ``schema``'s slots; write SSSOM to ``out``/``values_out``.

    Values are mapped when ``values_out`` is given or ``map_values_too`` is true.
    Raises a one-line :class:`~harmonize.errors.HarmonizeError` on bad input, before
    anything is written.
    """
    from harmonize.errors import InputFileError, naming_file
    from harmonize.io import check_output_path, read_table, staged_outputs
    from harmonize.mappings import write_sssom
    from harmonize.match.columns.cache import load_schema_cached
    from harmonize.match.columns.matcher import match_columns
    from harmonize.match.columns.report import column_mapping_set, value_mapping_set
    from harmonize.match.columns.values import map_values

    if top_k < 1:
        raise InputFileError("--top-k must be at least 1", value=str(top_k))
    for target in (out, values_out):
        if target is not None:
            check_output_path(target)
    schema_info = load_schema_cached(schema)
    data = read_table(table)
    matching = match_columns(data, schema_info, class_name=class_name, top_k=top_k)
    column_set = column_mapping_set(matching, schema_info)
    value_set = None
    if values_out is not None or map_values_too:
        mapped = map_values(data, matching, schema_info, top_k=min(top_k, 5))
        value_set = value_mapping_set(mapped, schema_info)
    note = "the prefix comes from this schema: declare it under its prefixes"
    with staged_outputs(), naming_file(schema, note):  # both outputs, or none
        if out is not None:
            write_sssom(column_set, out)
        if values_out is not None and value_set is not None:
            write_sssom(value_set, values_out)
    return ColumnRun(data, schema_info, matching, column_set, value_set)
