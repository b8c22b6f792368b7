"""``harmonize demo``: match columns -> map values -> accept -> convert -> validate, on
the bundled partner table.

Every step is a public job of :mod:`harmonize` (the calls ``harmonize match-columns``,
``convert`` and ``validate`` make too); the demo only wires them together and writes each
intermediate file to the output folder, so its result is what the README's step-by-step
commands give.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.model import MappingSet
    from harmonize.validate.report import ValidationReport

__all__ = ["DemoResult", "demo_table", "run_demo"]

DEMO_TABLE = "partner_samples.csv"


def demo_table() -> Path:
    """The partner table shipped inside the package (300 rows, 18 messy columns)."""
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


def _files(out: Path) -> DemoResult:
    return DemoResult(
        out_dir=out,
        table=out / DEMO_TABLE,
        columns_sssom=out / "columns.sssom.tsv",
        values_sssom=out / "values.sssom.tsv",
        rdf=out / "harmonized.ttl",
        report=out / "shacl-report.ttl",
    )


def _ontology_versions(values: MappingSet) -> dict[str, str]:
    """Name -> version of every ontology the value candidates came from."""
    out: dict[str, str] = {}
    for m in values:
        name, _, version = (m.object_source_version or "").partition(" ")
        if version and not name.endswith("Enum"):
            out[name] = version
    return out


def run_demo(out_dir: str | Path, say: Callable[[str], None] = print) -> DemoResult:
    """Run every step; files land in ``out_dir``. ``say`` receives progress lines."""
    import harmonize

    result = _files(Path(out_dir))
    result.out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_table(), result.table)

    say("1/5 matching columns to the common model's slots")
    clock = time.perf_counter()
    columns = harmonize.match_columns(result.table)
    harmonize.write_sssom(columns, result.columns_sssom)
    chosen = {m.subject_label for m in harmonize.accepted(columns)}
    header = list(dict.fromkeys(m.subject_label or "" for m in columns))
    result.columns_total = len(header)
    result.columns_mapped = len(chosen)
    result.columns_review = [c for c in header if c not in chosen]

    say("2/5 mapping the values of coded columns (first run builds the ontology caches)")
    values = harmonize.map_values(result.table, columns)
    harmonize.write_sssom(values, result.values_sssom)
    result.ontologies = _ontology_versions(values)
    result.seconds["matching"] = time.perf_counter() - clock

    say(f"3/5 accepting curated mappings and those with confidence >= {harmonize.AUTO_ACCEPT}")
    _count_values(result, values, harmonize.accepted(values))

    say("4/5 converting to RDF (Turtle) with provenance")
    clock = time.perf_counter()
    summary = harmonize.convert(
        result.table, mappings=[result.columns_sssom, result.values_sssom], out=result.rdf
    )
    result.rows = summary.rows
    result.triples = summary.triples
    result.unmapped_cells = summary.problem_counts.get("unmapped", 0)
    result.invalid_cells = summary.problem_counts.get("invalid", 0)
    result.seconds["convert"] = time.perf_counter() - clock

    say("5/5 validating with SHACL and the ontologies")
    clock = time.perf_counter()
    _validate(result, harmonize.validate(result.rdf, report=result.report))
    result.seconds["validate"] = time.perf_counter() - clock
    return result


def _count_values(result: DemoResult, values: MappingSet, chosen: MappingSet) -> None:
    subjects = values.by_subject()
    chosen_subjects = {m.subject_id for m in chosen}
    result.values_total = len(subjects)
    result.values_mapped = len(chosen_subjects)
    for subject, rows in subjects.items():
        if subject not in chosen_subjects:
            best = rows[0]
            label = None if best.object_id == "sssom:NoTermFound" else best.object_label
            result.values_review.append((subject, best.subject_label or "", label, best.confidence))


def _validate(result: DemoResult, report: ValidationReport) -> None:
    from harmonize.validate.report import format_report

    result.conforms = report.conforms
    result.violations = report.issue_count
    for issue in report.issues:
        kind = issue.message.split(":")[0]
        result.violation_kinds[kind] = result.violation_kinds.get(kind, 0) + 1
    result.report_text = format_report(report, limit=10)
