"""Matching jobs: values -> ontology terms, columns -> schema slots, column values -> codes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.jobs.inputs import SchemaInput, TableInput, as_schema, as_table

if TYPE_CHECKING:
    from harmonize.mappings.model import MappingSet
    from harmonize.match.values.candidate import MatchResult
    from harmonize.ontology.index import OntologyIndex

__all__ = ["ground", "map_values", "match_columns"]


def ground(
    values: Sequence[str],
    *,
    ontologies: Sequence[str | Path | OntologyIndex],
    roots: Sequence[str] = (),
    top_k: int = 5,
    taxon: str | None = None,
    context: Sequence[str] = (),
    show_progress: bool = False,
) -> list[MatchResult]:
    """Candidate terms for each value, best first, with a calibrated confidence.

    ``ontologies`` are files, manifest names (``"UBERON"``) or loaded indexes (merged);
    ``roots`` keeps only terms under those terms; ``taxon`` (``"NCBITaxon:9606"``) is the
    species of the data: terms of other taxa lose; ``context`` (``["lung"]`` or
    ``["UBERON:0002048"]``) is the tissue the values were sampled from: a name that says
    the value in it is offered first ("fibroblast of lung"). The result follows ``values``;
    ``show_progress`` draws a progress bar on a terminal's stderr.

    >>> import harmonize
    >>> [best] = harmonize.ground(["liver"], ontologies=["UBERON"], roots=["UBERON:0001062"])
    >>> best.best.id, best.best.label
    ('UBERON:0002107', 'liver')
    """
    from harmonize.match.values.ground import ground as run

    return run(
        values,
        ontologies,
        roots=roots,
        top_k=top_k,
        taxon=taxon,
        context=context,
        show_progress=show_progress,
    )


def match_columns(
    table: TableInput,
    *,
    schema: SchemaInput = None,
    class_name: str | None = None,
    top_k: int = 5,
) -> MappingSet:
    """Rank the slots of ``schema`` (default: the common model) for each column.

    One SSSOM row per (column, candidate slot), each column's top ``top_k`` best first;
    ``other`` says ``assigned=yes`` on the slot the one-to-one assignment gave the column.

    >>> import harmonize
    >>> columns = harmonize.match_columns(harmonize.demo_table())
    >>> [(m.subject_label, m.object_id) for m in columns if m.subject_label == "Dx"][0]
    ('Dx', 'hmz:disease')
    """
    from harmonize.errors import InputFileError
    from harmonize.match.columns.matcher import match_columns as rank
    from harmonize.match.columns.report import column_mapping_set

    if top_k < 1:
        raise InputFileError("top_k must be at least 1", value=top_k)
    info = as_schema(schema)
    return column_mapping_set(rank(as_table(table), info, class_name=class_name, top_k=top_k), info)


def map_values(
    table: TableInput,
    columns: MappingSet,
    *,
    schema: SchemaInput = None,
    class_name: str | None = None,
    top_k: int = 5,
) -> MappingSet:
    """Candidate codes for every distinct value of every coded column.

    ``columns`` is a column mapping set (from :func:`match_columns`, or reviewed): each
    column's assigned (or curated) slot decides where its values are looked up. A value
    equal to a permissible value's name is a curated row (confidence 1); a value nothing
    matched gets a ``sssom:NoTermFound`` row. Subjects are ``local:<column>/<value>``
    CURIEs, the same from every command, so review decisions replay across them.

    >>> import harmonize
    >>> table = harmonize.demo_table()
    >>> values = harmonize.map_values(table, harmonize.match_columns(table))
    >>> [(m.object_id, m.confidence) for m in values if m.subject_label == "M"][0]
    ('PATO:0000384', 1.0)
    """
    from harmonize.match.columns.report import value_mapping_set
    from harmonize.match.columns.values import map_table_values

    info = as_schema(schema)
    rows = map_table_values(as_table(table), columns, info, class_name=class_name, top_k=top_k)
    return value_mapping_set(rows, info)
