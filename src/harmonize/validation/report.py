"""Validation results a data steward can read, and the SHACL report graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Issue", "ValidationReport", "format_report", "sort_issues", "what_is_wrong"]

SH = "http://www.w3.org/ns/shacl#"

_COMPONENT_TEXT = {
    "MinCountConstraintComponent": "required value is missing",
    "MaxCountConstraintComponent": "more than one value where one is allowed",
    "DatatypeConstraintComponent": "wrong datatype",
    "PatternConstraintComponent": "does not match the required pattern",
    "MinInclusiveConstraintComponent": "below the minimum",
    "MaxInclusiveConstraintComponent": "above the maximum",
    "InConstraintComponent": "not one of the allowed values",
    "NodeKindConstraintComponent": "must be a term IRI, not text",
    "ClassConstraintComponent": "does not point to a record of the expected class",
}


_DETAILED = {
    "DatatypeConstraintComponent",
    "PatternConstraintComponent",
    "MinInclusiveConstraintComponent",
    "MaxInclusiveConstraintComponent",
}


def what_is_wrong(component: str, message: str | None) -> str:
    local = component.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    base = _COMPONENT_TEXT.get(local)
    if base is None:
        return message or local
    if not message or local not in _DETAILED:
        return base
    return f"{base}: {message}"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem with one value of one record."""

    record: str
    record_class: str | None
    slot: str | None
    value: str | None
    message: str
    constraint: str  # SHACL constraint component IRI or hmz:... for ontology checks
    severity: str = "Violation"
    row: int | None = None
    source: str | None = None


@dataclass
class ValidationReport:
    data: str
    conforms: bool
    records: int
    triples: int
    issues: list[Issue] = field(default_factory=list)
    ontologies: dict[str, str] = field(default_factory=dict)  # prefix -> version
    issue_count: int = 0  # all issues, also those not kept

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for issue in self.issues:
            out[issue.message.split(":")[0]] = out.get(issue.message.split(":")[0], 0) + 1
        return out


def _short(iri: str | None) -> str:
    if iri is None:
        return "-"
    from harmonize.curie import compress

    curie = compress(iri, strict=False)
    return curie if curie and not curie.startswith("http") else iri


def format_report(report: ValidationReport, limit: int = 50) -> str:
    """A steward-readable text report: one line per problem, the source row when known."""
    onto = ", ".join(f"{p} {v}" for p, v in sorted(report.ontologies.items()))
    head = f"{report.data}: {report.records} records, {report.triples} triples" + (
        f"; ontologies: {onto}" if onto else ""
    )
    if report.conforms:
        return head + "\nSHACL: conforms (no violations)"
    lines = [head, f"SHACL: {report.issue_count} violation(s)"]
    for issue in report.issues[:limit]:
        where = f"row {issue.row}" if issue.row is not None else "row ?"
        value = f" value {issue.value!r}" if issue.value is not None else ""
        lines.append(
            f"  {where}: {_short(issue.record)} ({issue.record_class or '?'}) "
            f"{issue.slot or '-'}:{value} {issue.message}"
        )
    if report.issue_count > limit:
        lines.append(f"  ... and {report.issue_count - limit} more (see --report)")
    return "\n".join(lines)


def sort_issues(issues: list[tuple[Issue, Any]]) -> list[tuple[Issue, Any]]:
    """By partner row, record, slot, message and value: one order, however the issues
    were found (one store or many buckets)."""

    def key(pair: tuple[Issue, Any]) -> tuple[bool, int, str, str, str, str]:
        i = pair[0]
        return (i.row is None, i.row or 0, i.record, i.slot or "", i.message, i.value or "")

    return sorted(issues, key=key)
