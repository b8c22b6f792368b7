"""``harmonize demo``: load ontologies -> match columns -> ground values ->
auto-accept -> convert -> validate, on the bundled partner table.

Every step is the library call a user would make; the demo only wires them together
and writes each intermediate file to the output folder.
"""

from __future__ import annotations

import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.schema.view import SlotInfo

__all__ = ["DemoResult", "demo_table", "run_demo"]

DEMO_TABLE = "partner_samples.csv"
THRESHOLD = 0.95


def demo_table() -> Path:
    """The partner table shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "demo_data" / DEMO_TABLE


@dataclass
class DemoResult:
    out_dir: Path
    table: Path
    columns_sssom: Path
    values_sssom: Path
    rdf: Path
    report: Path
    rows: int = 0
    columns_total: int = 0
    columns_mapped: int = 0
    columns_review: list[str] = field(default_factory=list)
    values_total: int = 0
    values_mapped: int = 0
    values_review: list[tuple[str, str, str | None, float | None]] = field(default_factory=list)
    triples: int = 0
    unmapped_cells: int = 0
    invalid_cells: int = 0
    conforms: bool = False
    violations: int = 0
    violation_kinds: dict[str, int] = field(default_factory=dict)
    ontologies: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    report_text: str = ""


def run_demo(out_dir: str | Path, say: Callable[[str], None] = print) -> DemoResult:
    """Run every step; files land in ``out_dir``. ``say`` receives progress lines."""
    from harmonize.convert.plan import accepted
    from harmonize.convert.run import convert_table
    from harmonize.demo.columns import match_demo_columns
    from harmonize.demo.values import ground_column
    from harmonize.io import read_table
    from harmonize.mappings import MappingSet, write_sssom
    from harmonize.resources import bundled_dir
    from harmonize.schema import load_schema
    from harmonize.schema.shapes import schema_iri
    from harmonize.validate.ontologies import load_for_schema
    from harmonize.validate.report import format_report
    from harmonize.validate.run import validate_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = DemoResult(
        out_dir=out,
        table=out / DEMO_TABLE,
        columns_sssom=out / "columns.sssom.tsv",
        values_sssom=out / "values.sssom.tsv",
        rdf=out / "harmonized.ttl",
        report=out / "shacl-report.ttl",
    )
    shutil.copyfile(demo_table(), result.table)
    schema = load_schema(bundled_dir("schemas") / "harmonize.yaml")
    clock = time.perf_counter()

    say("1/6 loading ontologies (first run builds the index caches)")
    indexes = load_for_schema(schema)
    result.ontologies = {p: ix.meta.version or "?" for p, ix in indexes.items()}
    result.seconds["ontologies"] = time.perf_counter() - clock

    say("2/6 matching columns to the model's slots")
    table = read_table(result.table)
    result.rows = len(table)
    result.columns_total = len(table.columns)
    columns = match_demo_columns(table, schema)
    write_sssom(columns, result.columns_sssom)
    chosen_columns = accepted(columns, THRESHOLD)
    result.columns_mapped = len(chosen_columns)
    chosen_labels = {m.subject_label for m in chosen_columns}
    result.columns_review = [c for c in table.columns if c not in chosen_labels]

    say("3/6 grounding the values of coded columns")
    clock = time.perf_counter()
    by_uri: dict[str, SlotInfo] = {}
    for _, slot in schema.all_slots():
        by_uri.setdefault(schema_iri(schema, slot.uri), slot)
    from harmonize.convert.literals import is_missing

    value_rows = []
    for mapping in chosen_columns:
        found = by_uri.get(schema_iri(schema, mapping.object_id))
        if found is None or found.binding.kind not in {"ontology", "enum"}:
            continue
        column = mapping.subject_label or ""
        distinct = sorted({v.strip() for v in table.column(column) if not is_missing(v)})
        value_rows += ground_column(
            column, found, distinct, indexes,
            mapping_set_id="https://w3id.org/harmonize/demo/values",
        )  # fmt: skip
    values = MappingSet(
        mapping_set_id="https://w3id.org/harmonize/demo/values",
        mappings=tuple(value_rows),
        mapping_set_title="partner value -> ontology term mappings",
        mapping_tool="harmonize ground",
        mapping_set_version=time.strftime("%Y-%m-%d"),
    )
    write_sssom(values, result.values_sssom)
    result.seconds["grounding"] = time.perf_counter() - clock

    say(f"4/6 accepting curated mappings and those with confidence >= {THRESHOLD}")
    chosen_values = accepted(values, THRESHOLD)
    subjects = values.by_subject()
    chosen_subjects = {m.subject_id for m in chosen_values}
    result.values_total = len(subjects)
    result.values_mapped = len(chosen_subjects)
    for subject, rows in subjects.items():
        if subject not in chosen_subjects:
            best = rows[0]
            result.values_review.append(
                (subject, best.subject_label or "", best.object_label, best.confidence)
            )

    say("5/6 converting to RDF (Turtle) with provenance")
    clock = time.perf_counter()
    summary = convert_table(
        result.table,
        schema,
        [(columns, result.columns_sssom), (values, result.values_sssom)],
        result.rdf,
        threshold=THRESHOLD,
    )
    result.triples = summary.triples
    result.unmapped_cells = summary.problem_counts.get("unmapped", 0)
    result.invalid_cells = summary.problem_counts.get("invalid", 0)
    result.seconds["convert"] = time.perf_counter() - clock

    say("6/6 validating with SHACL and the ontologies")
    clock = time.perf_counter()
    report = validate_file(result.rdf, schema, report_path=result.report)
    result.conforms = report.conforms
    result.violations = report.issue_count
    for issue in report.issues:
        kind = issue.message.split(":")[0]
        result.violation_kinds[kind] = result.violation_kinds.get(kind, 0) + 1
    result.report_text = format_report(report, limit=10)
    result.seconds["validate"] = time.perf_counter() - clock
    return result


def format_result(result: DemoResult) -> str:
    """The summary ``harmonize demo`` prints."""
    r = result
    lines = [
        "",
        f"harmonize demo: {r.rows} partner rows, {r.columns_total} columns",
        f"  ontologies       {', '.join(f'{p} {v}' for p, v in sorted(r.ontologies.items()))}",
        f"  columns mapped   {r.columns_mapped}/{r.columns_total}"
        + (f" (left for review: {', '.join(r.columns_review)})" if r.columns_review else ""),
        f"  values mapped    {r.values_mapped}/{r.values_total} distinct values accepted "
        f"(curated, or confidence >= {THRESHOLD}); {len(r.values_review)} left for review",
    ]
    for _, label, best, conf in r.values_review[:8]:
        # floor, never round: a 0.946 shown as "0.95" would look auto-accepted
        shown = (
            f"{best} ({math.floor(conf * 1000) / 1000:.3f})"
            if best is not None and conf is not None
            else "no candidate"
        )
        lines.append(f"      review: {label!r} -> best guess {shown}")
    if len(r.values_review) > 8:
        lines.append(f"      ... {len(r.values_review) - 8} more in {r.values_sssom.name}")
    lines += [
        f"  triples written  {r.triples} ({r.unmapped_cells} cells kept as hmz:unmappedValue, "
        f"{r.invalid_cells} cells of the wrong type or range)",
        "  SHACL result     "
        + ("conforms" if r.conforms else f"{r.violations} violation(s)")
        + (
            " - " + ", ".join(f"{k} x{n}" for k, n in sorted(r.violation_kinds.items()))
            if r.violation_kinds
            else ""
        ),
    ]
    problems = [ln for ln in r.report_text.splitlines() if ln.startswith("  row")][:5]
    if problems:
        lines.append("  first problems (record, slot, value, what is wrong):")
        lines += [f"    {ln.strip()}" for ln in problems]
    lines += [
        "",
        "Outputs:",
        f"  partner table        {r.table}",
        f"  column mappings      {r.columns_sssom}",
        f"  value mappings       {r.values_sssom}",
        f"  RDF (Turtle)         {r.rdf}",
        f"  SHACL report         {r.report}",
        "",
        "Next: review the open mappings, then convert with your decisions and validate again:",
        f"  harmonize review {r.columns_sssom} {r.values_sssom} --table {r.table} "
        f"--ledger {r.out_dir / 'decisions.sqlite'}",
        f"  harmonize convert {r.table} --mappings {r.columns_sssom} --mappings {r.values_sssom} "
        f"--ledger {r.out_dir / 'decisions.sqlite'} -o {r.rdf}",
        f"  harmonize validate {r.rdf} --report {r.report}",
    ]
    return "\n".join(lines)
