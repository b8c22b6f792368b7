"""``harmonize convert``: a partner table + mapping sets -> RDF, streamed.

Rows are read one at a time (:func:`harmonize.io.iter_rows`), converted to triples and
appended to the output in chunks, so memory stays bounded however long the table is.
The output is written atomically: a failed conversion leaves no half-written file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harmonize.convert.plan import AUTO_ACCEPT, ConversionPlan, build_plan
from harmonize.convert.records import (
    DCTERMS,
    DEFAULT_BASE,
    HMZ,
    PROV,
    Policy,
    Problem,
    RowConverter,
    SourceInfo,
    set_iri,
)
from harmonize.convert.terms import RDF_TYPE, Format, Iri, Lit, Triple, make_writer
from harmonize.errors import ConversionError
from harmonize.io.checksum import file_sha256

if TYPE_CHECKING:
    from harmonize.mappings.model import MappingSet
    from harmonize.schema.view import SchemaInfo

__all__ = ["ConversionSummary", "convert_table", "output_prefixes"]

XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
#: Rows the privacy guard looks at before anything is written.
PRIVACY_SAMPLE = 2000
#: Recently written records remembered, so a donor repeated on many rows is written once.
_SEEN_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class ConversionSummary:
    output: Path
    format: Format
    rows: int
    rows_written: int
    rows_rejected: int
    triples: int
    coded_values: int
    columns_mapped: tuple[str, ...]
    columns_unmapped: tuple[str, ...]
    columns_ignored: tuple[str, ...]
    problems: tuple[Problem, ...] = ()  # the first ones, for the report
    problem_counts: dict[str, int] = field(default_factory=dict)  # kind -> count
    top_unmapped: tuple[tuple[str, str, int], ...] = ()  # (column, value, rows)
    top_invalid: tuple[tuple[str, str, int], ...] = ()


def output_prefixes(schema: SchemaInfo) -> dict[str, str]:
    prefixes = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "xsd": XSD,
        "prov": PROV,
        "dcterms": DCTERMS,
        "owl": OWL,
        "hmz": HMZ,
        "obo": "http://purl.obolibrary.org/obo/",
        "EFO": "http://www.ebi.ac.uk/efo/EFO_",
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


def _activity_triples(
    activity: str,
    source: SourceInfo,
    table: Path,
    plan: ConversionPlan,
    started: str,
    ended: str,
) -> list[Triple]:
    from harmonize import __version__

    agent = f"https://w3id.org/harmonize/software/{__version__}"
    triples: list[Triple] = [
        (activity, RDF_TYPE, Iri(PROV + "Activity")),
        (activity, PROV + "used", Iri(source.iri)),
        (activity, PROV + "wasAssociatedWith", Iri(agent)),
        (activity, PROV + "startedAtTime", Lit(started, XSD + "dateTime")),
        (activity, PROV + "endedAtTime", Lit(ended, XSD + "dateTime")),
        (agent, RDF_TYPE, Iri(PROV + "SoftwareAgent")),
        (agent, DCTERMS + "title", Lit("harmonize")),
        (agent, OWL + "versionInfo", Lit(__version__)),
        (source.iri, RDF_TYPE, Iri(PROV + "Entity")),
        (source.iri, DCTERMS + "title", Lit(table.name)),
        (source.iri, HMZ + "sha256", Lit(source.sha256)),
    ]
    schema_ref = plan.schema
    triples.append((activity, PROV + "used", Iri(schema_ref.id)))
    triples.append((schema_ref.id, RDF_TYPE, Iri(PROV + "Entity")))
    if schema_ref.version:
        triples.append((schema_ref.id, OWL + "versionInfo", Lit(schema_ref.version)))
    for ref in plan.sets:
        node = set_iri(ref)
        triples += [
            (activity, PROV + "used", Iri(node)),
            (node, RDF_TYPE, Iri(PROV + "Entity")),
            (node, RDF_TYPE, Iri(HMZ + "MappingSet")),
            (node, DCTERMS + "identifier", Lit(ref.id)),
        ]
        if ref.version:
            triples.append((node, OWL + "versionInfo", Lit(ref.version)))
    return triples


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


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
    chunk_rows: int = 2000,
    keep_problems: int = 1000,
) -> ConversionSummary:
    """Convert ``table`` to RDF at ``output`` (see the module docs); ``fmt`` defaults
    to the output's extension (``.nt``, ``.jsonld``; else Turtle)."""
    from harmonize.convert.terms import format_for
    from harmonize.io.atomic import atomic_write
    from harmonize.io.tables import iter_rows
    from harmonize.progress import progress

    table = Path(table)
    output = Path(output)
    fmt = fmt or format_for(str(output), None)
    rows: Iterator[list[str]] = iter_rows(table)
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
    sample = list(itertools.islice(rows, PRIVACY_SAMPLE))
    _check_privacy(table, header, sample, plan, policy)
    source = SourceInfo(path=str(table), sha256=file_sha256(table))
    activity = f"urn:uuid:{uuid.uuid4()}"
    started = _now()
    converter = RowConverter(
        plan, source, activity, base=base, on_unmapped=on_unmapped, on_invalid=on_invalid
    )
    problems: list[Problem] = []
    kinds: Counter[str] = Counter()
    n_rows = written = rejected = coded = 0
    seen: dict[str, int] = {}
    if output.is_dir():
        raise ConversionError("the output is a folder, not a file", path=output)
    try:
        with atomic_write(output, "w") as handle:
            writer = make_writer(fmt, handle, output_prefixes(schema))
            batch: list[Triple] = []
            for number, cells in enumerate(
                progress(itertools.chain(sample, rows), desc="converting rows"), start=1
            ):
                n_rows = number
                outcome = converter.convert(number, cells)
                for problem in outcome.problems:
                    kinds[problem.kind] += 1
                    if len(problems) < keep_problems:
                        problems.append(problem)
                if outcome.rejected:
                    rejected += 1
                    continue
                written += 1
                coded += outcome.coded
                batch.extend(_dedupe(outcome.triples, seen))
                if number % chunk_rows == 0:
                    writer.write(batch)
                    batch = []
            batch.extend(_activity_triples(activity, source, table, plan, started, _now()))
            writer.write(batch)
            writer.close()
    except OSError as exc:
        raise ConversionError(
            f"cannot write the output: {exc.strerror or exc}", path=output
        ) from exc
    mapped = tuple(c.column for c in plan.columns)
    counts = converter.problem_counts
    return ConversionSummary(
        output=output,
        format=fmt,
        rows=n_rows,
        rows_written=written,
        rows_rejected=rejected,
        triples=writer.count,
        coded_values=coded,
        columns_mapped=mapped,
        columns_unmapped=tuple(c for c in header if c not in mapped),
        columns_ignored=plan.ignored_columns,
        problems=tuple(problems),
        problem_counts=dict(kinds),
        top_unmapped=tuple(
            (col, val, n) for (col, val, kind), n in counts.most_common() if kind == "unmapped"
        )[:50],
        top_invalid=tuple(
            (col, val, n) for (col, val, kind), n in counts.most_common() if kind == "invalid"
        )[:50],
    )


def _row_link(triple: Triple) -> bool:
    obj = triple[2]
    return (
        triple[1] == PROV + "wasDerivedFrom"
        and isinstance(obj, Iri)
        and obj.value.startswith("urn:sha256:")
    )


def _dedupe(triples: list[Triple], seen: dict[str, int]) -> list[Triple]:
    """Drop the triples of a subject already written identically on a recent row.

    Only a subject's full set of triples is compared (its hash), so a record that
    changes between rows is written again and SHACL sees both values.
    """
    by_subject: dict[str, list[Triple]] = {}
    for triple in triples:
        by_subject.setdefault(triple[0], []).append(triple)
    out: list[Triple] = []
    for subject, group in by_subject.items():
        # the source-row link differs on every row: keep it, compare the rest
        stable = [t for t in group if not _row_link(t)]
        key = hash(tuple(stable))
        if seen.get(subject) == key:
            out.extend(t for t in group if t not in stable)
            continue
        if len(seen) >= _SEEN_LIMIT:
            seen.clear()
        seen[subject] = key
        out.extend(group)
    return out
