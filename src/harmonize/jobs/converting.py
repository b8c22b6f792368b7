"""Conversion jobs: a table and its reviewed mappings -> RDF, and RDF -> a SHACL report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from harmonize.jobs.inputs import MappingsInput, SchemaInput, as_mapping_sets, as_schema

if TYPE_CHECKING:
    from harmonize.convert.run import ConversionSummary
    from harmonize.validate.report import ValidationReport

__all__ = ["convert", "validate"]

Policy = Literal["keep", "reject", "fail"]


def convert(
    table: str | Path,
    *,
    mappings: MappingsInput,
    out: str | Path,
    schema: SchemaInput = None,
    ledger: str | Path | None = None,
    threshold: float | None = None,
    fmt: Literal["ttl", "nt", "jsonld"] | None = None,
    on_unmapped: Policy = "keep",
    on_invalid: Policy = "keep",
    policy: str | Path | None = None,
) -> ConversionSummary:
    """Convert ``table`` to RDF at ``out`` with PROV-O on every record.

    Only reviewed mappings (``ledger`` decisions, curated rows) and ones at or above the
    auto-accept ``threshold`` (default :data:`harmonize.AUTO_ACCEPT`) code values; other
    values stay as ``hmz:unmappedValue`` (``on_unmapped``) for review and SHACL.

    >>> import harmonize, tempfile, pathlib
    >>> table = harmonize.demo_table()
    >>> columns = harmonize.match_columns(table)
    >>> values = harmonize.map_values(table, columns)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out.ttl"
    >>> summary = harmonize.convert(table, mappings=[columns, values], out=out)
    >>> summary.rows, len(summary.columns_mapped)
    (300, 18)
    """
    from harmonize.confidence import AUTO_ACCEPT
    from harmonize.convert.run import convert_table
    from harmonize.convert.terms import format_for

    return convert_table(
        table,
        as_schema(schema),
        as_mapping_sets(mappings),
        out,
        fmt=format_for(str(out), fmt),
        on_unmapped=on_unmapped,
        on_invalid=on_invalid,
        threshold=AUTO_ACCEPT if threshold is None else threshold,
        policy=Path(policy) if policy is not None else None,
        ledger=Path(ledger) if ledger is not None else None,
    )


def validate(
    data: str | Path,
    *,
    schema: SchemaInput = None,
    ontologies: Sequence[str | Path] = (),
    report: str | Path | None = None,
) -> ValidationReport:
    r"""SHACL shapes of ``schema`` plus ontology checks (terms exist, are current, and lie
    under their slot's roots); ``report`` also writes the SHACL report as Turtle.

    >>> import harmonize, tempfile, pathlib
    >>> data = pathlib.Path(tempfile.mkdtemp()) / "donor.ttl"
    >>> _ = data.write_text(
    ...     "@prefix hmz: <https://w3id.org/harmonize/model/> .\n"
    ...     "<https://w3id.org/harmonize/data/donor/D1> a hmz:Donor ; hmz:donor_id 'D1' ;\n"
    ...     "  hmz:sex <http://purl.obolibrary.org/obo/PATO_0000384> ; hmz:age 'forty' .\n")
    >>> report = harmonize.validate(data)
    >>> report.conforms, sorted(issue.message for issue in report.issues)
    (False, ['required value is missing', 'wrong datatype: Value is not Literal with datatype xsd:decimal'])
    """
    from harmonize.validate.run import validate_file

    return validate_file(data, as_schema(schema), ontologies=ontologies, report_path=report)
