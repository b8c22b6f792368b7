"""What the jobs accept: a path or an object already loaded, for tables, schemas and
mapping sets (pure coercions; reading goes through :mod:`harmonize.io`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from harmonize.io.tables import Table
    from harmonize.mappings.model import MappingSet
    from harmonize.schema.view import SchemaInfo

__all__ = [
    "MappingsInput",
    "SchemaInput",
    "TableInput",
    "as_mapping_sets",
    "as_schema",
    "as_table",
    "common_model",
]

TableInput: TypeAlias = "str | Path | Table"
SchemaInput: TypeAlias = "str | Path | SchemaInfo | None"
MappingsInput: TypeAlias = "Sequence[MappingSet | str | Path]"


def common_model() -> Path:
    """The bundled common model, ``schemas/harmonize.yaml``."""
    from harmonize.resources import bundled_dir

    return bundled_dir("schemas") / "harmonize.yaml"


def as_table(table: TableInput) -> Table:
    from harmonize.io.tables import Table, read_table

    return table if isinstance(table, Table) else read_table(table)


def as_schema(schema: SchemaInput) -> SchemaInfo:
    """A loaded schema; ``None`` means the common model."""
    from harmonize.match.columns.cache import load_schema_cached
    from harmonize.schema.view import SchemaInfo

    if isinstance(schema, SchemaInfo):
        return schema
    return load_schema_cached(schema if schema is not None else common_model())


def as_mapping_sets(mappings: MappingsInput) -> list[tuple[MappingSet, Path | None]]:
    """Each mapping set with the file it came from (``None`` for one built in memory)."""
    from harmonize.mappings.model import MappingSet
    from harmonize.mappings.sssom_io import read_sssom

    out: list[tuple[MappingSet, Path | None]] = []
    for item in mappings:
        if isinstance(item, MappingSet):
            out.append((item, None))
        else:
            out.append((read_sssom(item), Path(item)))
    return out
