"""``harmonize convert``: a partner table + mapping sets -> RDF, streamed.

Rows are read one at a time (:func:`harmonize.io.iter_rows`), converted to triples and
serialised as they come (pyoxigraph), so memory stays bounded however long the table
is. The output is written atomically: a failed conversion leaves no half-written file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.confidence import AUTO_ACCEPT
from harmonize.conversion.plan import ConversionPlan, build_plan
from harmonize.conversion.records import Policy, Problem, RowConverter
from harmonize.conversion.stream import Tally, distinct_records, row_lines
from harmonize.conversion.terms import RDF_TYPE, Format, literal, named, write_lines
from harmonize.conversion.vocab import (
    DCTERMS,
    DEFAULT_BASE,
    HMZ,
    OWL,
    PROV,
    XSD,
    SourceInfo,
    set_iri,
)
from harmonize.errors import ConversionError
from harmonize.io.checksum import file_sha256

if TYPE_CHECKING:
    import pyoxigraph as ox

    from harmonize.io.tables import TableFormat
    from harmonize.mappings.model import MappingSet
    from harmonize.schema.view import SchemaInfo

__all__ = [
    "ConversionSummary",
    "PreparedTable",
    "activity_triples",
    "convert_table",
    "now",
    "output_prefixes",
    "prepare_table",
    "summarize",
]

#: Rows the privacy guard looks at before anything is written.
PRIVACY_SAMPLE = 2000


@dataclass(frozen=True, slots=True)
class ConversionSummary:
    output: Path
    format: Format
    rows: int
    rows_written: int
    rows_rejected: int
    triples: int  # written (a record repeated far apart, or in two partitions, counts twice)
    coded_values: int
    columns_mapped: tuple[str, ...]
    columns_unmapped: tuple[str, ...]
    columns_ignored: tuple[str, ...]
    problems: tuple[Problem, ...] = ()  # the first ones, for the report
    problem_counts: dict[str, int] = field(default_factory=dict)  # kind -> count
    top_unmapped: tuple[tuple[str, str, int], ...] = ()  # (column, value, rows)
    top_invalid: tuple[tuple[str, str, int], ...] = ()
    records: dict[str, int] = field(default_factory=dict)  # class -> distinct records


@dataclass(frozen=True, slots=True)
class PreparedTable:
    """A table checked and planned: what every partition of it needs."""

    path: Path
    header: tuple[str, ...]
    plan: ConversionPlan
    source: SourceInfo
    format: TableFormat  # encoding and delimiter, sniffed once


def output_prefixes(schema: SchemaInfo) -> dict[str, str]:
    from harmonize.curie import OBO_PURL, expand

    prefixes = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "xsd": XSD,
        "prov": PROV,
        "dcterms": DCTERMS,
        "owl": OWL,
        "hmz": HMZ,
        "obo": OBO_PURL,
        "EFO": expand("EFO:"),  # EFO's terms are not OBO PURLs
    }
    if schema.default_prefix and schema.default_prefix in schema.prefixes:
        prefixes.setdefault(schema.default_prefix, schema.prefixes[schema.default_prefix])
    return prefixes


def _plan(
    schema: SchemaInfo,
    header: list[str],
    mapping_sets: Sequence[tuple[MappingSet, Path | None]],
    threshold: float,
    ledger: Path | None,
) -> ConversionPlan:
    if ledger is None:
        return build_plan(schema, header, mapping_sets, threshold=threshold)
    from harmonize.mappings.ledger import Ledger

    if not ledger.is_file():
        raise ConversionError("review ledger not found", path=ledger)
    opened = Ledger.open(ledger, create=False)
    try:
        return build_plan(schema, header, mapping_sets, threshold=threshold, ledger=opened)
    finally:
        opened.close()


def _check_privacy(
    table: Path,
    header: list[str],
    sample: list[list[str]],
    plan: ConversionPlan,
    policy: Path | None,
) -> None:
    from harmonize.privacy.guard import check_columns, find_policy
    from harmonize.privacy.policy import load_policy

    policy_path = policy or find_policy(table)
    loaded = load_policy(policy_path) if policy_path is not None else None
    emitted = {c.column: c.index for c in plan.columns}
    columns = {name: [row[i] for row in sample if i < len(row)] for name, i in emitted.items()}
    check_columns(columns, source=str(table), policy=loaded)


def activity_triples(
    activity: str,
    sources: Sequence[tuple[SourceInfo, str]],
    plan: ConversionPlan,
    started: str,
    ended: str,
) -> list[ox.Triple]:
    """The conversion activity, its agent, the source files ``(source, file name)``, the
    schema and the mapping sets it used (PROV-O)."""
    import pyoxigraph as ox

    from harmonize import __version__

    def triple(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(named(s), named(p), o)

    agent = f"https://w3id.org/harmonize/software/{__version__}"
    dt_time = XSD + "dateTime"
    triples = [
        triple(activity, RDF_TYPE, named(PROV + "Activity")),
        triple(activity, PROV + "wasAssociatedWith", named(agent)),
        triple(activity, PROV + "startedAtTime", literal(started, dt_time)),
        triple(activity, PROV + "endedAtTime", literal(ended, dt_time)),
        triple(agent, RDF_TYPE, named(PROV + "SoftwareAgent")),
        triple(agent, DCTERMS + "title", literal("harmonize")),
        triple(agent, OWL + "versionInfo", literal(__version__)),
    ]
    for source, name in sources:
        triples += [
            triple(activity, PROV + "used", named(source.iri)),
            triple(source.iri, RDF_TYPE, named(PROV + "Entity")),
            triple(source.iri, DCTERMS + "title", literal(name)),
            triple(source.iri, HMZ + "sha256", literal(source.sha256)),
        ]
    schema_ref = plan.schema
    triples.append(triple(activity, PROV + "used", named(schema_ref.id)))
    triples.append(triple(schema_ref.id, RDF_TYPE, named(PROV + "Entity")))
    if schema_ref.version:
        triples.append(triple(schema_ref.id, OWL + "versionInfo", literal(schema_ref.version)))
    for ref in plan.sets:
        node = set_iri(ref)
        triples += [
            triple(activity, PROV + "used", named(node)),
            triple(node, RDF_TYPE, named(PROV + "Entity")),
            triple(node, RDF_TYPE, named(HMZ + "MappingSet")),
            triple(node, DCTERMS + "identifier", literal(ref.id)),
        ]
        if ref.version:
            triples.append(triple(node, OWL + "versionInfo", literal(ref.version)))
    return triples


def now() -> str:
    """The current time as provenance writes it (UTC, seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def prepare_table(
    table: str | Path,
    schema: SchemaInfo,
    mapping_sets: Sequence[tuple[MappingSet, Path | None]],
    *,
    threshold: float = AUTO_ACCEPT,
    policy: Path | None = None,
    ledger: Path | None = None,
) -> PreparedTable:
    """Read the header, build the plan, checksum the file and run the privacy guard."""
    from harmonize.io.tables import iter_rows, sniff_format

    table = Path(table)
    table_format = sniff_format(table)
    rows: Iterator[list[str]] = iter_rows(table, table_format)
    try:
        header = next(rows)
    except StopIteration:
        raise ConversionError("the table is empty", path=table) from None
    plan = _plan(schema, header, mapping_sets, threshold, ledger)
    if not plan.columns:
        sets = ", ".join(str(p) for _, p in mapping_sets if p is not None) or "the mapping sets"
        raise ConversionError(
            f"no accepted column mapping in {sets} matches a column of this table "
            "(check the column mapping set and the review threshold)",
            path=table,
        )
    sample = [list(r) for r in itertools.islice(rows, PRIVACY_SAMPLE)]
    _check_privacy(table, header, sample, plan, policy)
    source = SourceInfo(path=str(table), sha256=file_sha256(table))
    return PreparedTable(table, tuple(header), plan, source, table_format)


def convert_table(
    table: str | Path,
    schema: SchemaInfo,
    mapping_sets: Sequence[tuple[MappingSet, Path | None]],
    output: str | Path,
    *,
    fmt: Format | None = None,
    base: str = DEFAULT_BASE,
    on_unmapped: Policy = "keep",
    on_invalid: Policy = "keep",
    threshold: float = AUTO_ACCEPT,
    policy: Path | None = None,
    ledger: Path | None = None,
    keep_problems: int = 1000,
) -> ConversionSummary:
    """Convert ``table`` to RDF at ``output`` (see the module docs); ``fmt`` defaults
    to the output's extension (``.nt``, ``.jsonld``; else Turtle)."""
    from harmonize.conversion.terms import format_for
    from harmonize.gc_pause import paused_gc
    from harmonize.io.atomic import atomic_write
    from harmonize.io.tables import iter_rows
    from harmonize.progress import progress

    output = Path(output)
    fmt = fmt or format_for(str(output), None)
    if output.is_dir():
        raise ConversionError("the output is a folder, not a file", path=output)
    prepared = prepare_table(
        table, schema, mapping_sets, threshold=threshold, policy=policy, ledger=ledger
    )
    activity = f"urn:uuid:{uuid.uuid4()}"
    started = now()
    converter = RowConverter(
        prepared.plan, prepared.source, activity, base=base,
        on_unmapped=on_unmapped, on_invalid=on_invalid,
    )  # fmt: skip
    tally = Tally()
    body = itertools.islice(iter_rows(prepared.path, prepared.format), 1, None)  # no header
    rows = enumerate(progress(body, desc="converting rows"), start=1)
    sources = [(prepared.source, prepared.path.name)]

    def batches() -> Iterator[list[str]]:
        yield from row_lines(converter, rows, tally, keep_problems)
        closing = activity_triples(activity, sources, prepared.plan, started, now())
        tally.triples += len(closing)
        yield [f"{t} .\n" for t in closing]

    try:
        with paused_gc(), atomic_write(output, "wb", encoding=None) as handle:
            write_lines(fmt, handle, batches(), output_prefixes(schema))
    except OSError as exc:
        raise ConversionError(
            f"cannot write the output: {exc.strerror or exc}", path=output
        ) from exc
    tally.record_keys = distinct_records(converter)
    return summarize(output, fmt, prepared, tally)


def summarize(
    output: Path, fmt: Format, prepared: PreparedTable, tally: Tally
) -> ConversionSummary:
    """The summary a user reads, from what the conversion counted."""
    plan = prepared.plan
    mapped = tuple(c.column for c in plan.columns)
    counts = tally.counts.most_common()
    return ConversionSummary(
        output=output,
        format=fmt,
        rows=tally.rows,
        rows_written=tally.written,
        rows_rejected=tally.rejected,
        triples=tally.triples,
        coded_values=tally.coded,
        columns_mapped=mapped,
        columns_unmapped=tuple(c for c in prepared.header if c not in mapped),
        columns_ignored=plan.ignored_columns,
        problems=tuple(tally.problems),
        problem_counts=dict(tally.kinds),
        top_unmapped=tuple((c, v, n) for (c, v, k), n in counts if k == "unmapped")[:50],
        top_invalid=tuple((c, v, n) for (c, v, k), n in counts if k == "invalid")[:50],
        records={name: int(keys.size) for name, keys in sorted(tally.record_keys.items())},
    )
