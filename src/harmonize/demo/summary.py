"""The summary ``harmonize demo`` prints, ending with the commands a steward runs next."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.demo.pipeline import DemoResult

__all__ = ["format_result", "next_commands"]

_SHOWN = 8  # review items listed


def next_commands(r: DemoResult) -> list[str]:
    """Review (with the ontologies, so items show definitions, hierarchy and search),
    then convert with the decisions and validate again: each works as printed."""
    from harmonize.jobs.inputs import common_model

    ledger = r.out_dir / "decisions.sqlite"
    ontologies = " ".join(f"--ontology {name}" for name in sorted(r.ontologies))
    return [
        f"  harmonize review {r.columns_sssom} {r.values_sssom} --table {r.table} "
        f"--schema {common_model()} {ontologies} --ledger {ledger}",
        f"  harmonize convert {r.table} --mappings {r.columns_sssom} --mappings {r.values_sssom} "
        f"--ledger {ledger} -o {r.rdf}",
        f"  harmonize validate {r.rdf} --report {r.report}",
    ]


def _review_lines(r: DemoResult) -> list[str]:
    from harmonize.display import format_confidence

    lines = []
    # values with a best guess first: those are the ones a steward can decide quickly
    shown = sorted(r.values_review, key=lambda item: item[2] is None)[:_SHOWN]
    for _, label, best, conf in shown:
        guess = f"{best} ({format_confidence(conf)})" if best is not None else "no candidate"
        lines.append(f"      review: {label!r} -> best guess {guess}")
    if len(r.values_review) > _SHOWN:
        lines.append(f"      ... {len(r.values_review) - _SHOWN} more in {r.values_sssom.name}")
    return lines


def format_result(r: DemoResult) -> str:
    """The summary ``harmonize demo`` prints."""
    from harmonize.confidence import AUTO_ACCEPT

    kinds = ", ".join(f"{k} x{n}" for k, n in sorted(r.violation_kinds.items()))
    problems = [ln for ln in r.report_text.splitlines() if ln.startswith("  row")][:5]
    lines = [
        "",
        f"harmonize demo: {r.rows} partner rows, {r.columns_total} columns",
        "  privacy          "
        + (
            f"direct identifiers in {', '.join(r.direct_columns)}"
            if r.direct_columns
            else "no column holds direct identifiers"
        ),
        f"  ontologies       {', '.join(f'{p} {v}' for p, v in sorted(r.ontologies.items()))}",
        f"  columns mapped   {r.columns_mapped}/{r.columns_total}"
        + (f" (left for review: {', '.join(r.columns_review)})" if r.columns_review else ""),
        f"  values mapped    {r.values_mapped}/{r.values_total} distinct values accepted "
        f"(curated, or confidence >= {AUTO_ACCEPT}); {len(r.values_review)} left for review",
        *_review_lines(r),
        f"  triples written  {r.triples} ({r.unmapped_cells} cells kept as hmz:unmappedValue, "
        f"{r.invalid_cells} cells of the wrong type or range)",
        "  SHACL result     "
        + ("conforms" if r.conforms else f"{r.violations} violation(s)")
        + (f" - {kinds}" if kinds else ""),
    ]
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
        f"  privacy findings     {r.privacy}",
        f"  run report (HTML)    {r.run_report}   (for the partner: opens offline)",
        "",
        "Next: review the open mappings, then convert with your decisions and validate again:",
        *next_commands(r),
    ]
    return "\n".join(lines)
