"""The gate before anything leaves: refuse direct identifiers that no policy covers.

``convert`` calls :func:`check_columns` on a table's columns before emitting RDF;
``publish`` calls it on RDF literal values grouped by predicate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from harmonize.errors import PrivacyError
from harmonize.privacy.policy import Policy, Rule
from harmonize.privacy.scan import ColumnFinding, scan_columns

__all__ = ["POLICY_FILENAMES", "check_columns", "find_policy", "uncovered", "unresolved"]

POLICY_FILENAMES = ("privacy-policy.yaml", "privacy-policy.yml")


def find_policy(start: str | Path) -> Path | None:
    """The project's policy file: ``privacy-policy.yaml`` in ``start`` or a parent folder.

    ``start`` may be a file (its folder is searched first) or a folder.
    """
    here = Path(start).expanduser().resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        for name in POLICY_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def uncovered(findings: Sequence[ColumnFinding], policy: Policy | None) -> list[ColumnFinding]:
    """Direct-identifier findings that ``policy`` has no rule for."""
    return [f for f, rule in unresolved(findings, policy) if rule is None]


def unresolved(
    findings: Sequence[ColumnFinding], policy: Policy | None
) -> list[tuple[ColumnFinding, Rule | None]]:
    """Direct identifiers that would leave as they are, with the rule that should have acted.

    A column is fine only when the policy says ``keep`` (with a reason). A ``drop``,
    ``pseudonymize`` or ``generalize`` rule for a column whose values still scan as direct
    identifiers means the policy was not applied (``harmonize privacy apply``).
    """
    problems: list[tuple[ColumnFinding, Rule | None]] = []
    for finding in findings:
        if not finding.is_direct:
            continue
        found = (
            policy.rule_for(finding.column, kind=finding.kind, category=finding.category)
            if policy is not None
            else None
        )
        rule = found[0] if found is not None else None
        if rule is None or rule.action != "keep":
            problems.append((finding, rule))
    return problems


def check_columns(
    columns: Mapping[str, Sequence[str]], *, source: str, policy: Policy | None = None
) -> None:
    """Raise :class:`PrivacyError` if a column holds direct identifiers no policy covers.

    Covered means: the policy keeps the column explicitly (``keep`` with a reason), or the
    values no longer look identifying because the policy's ``drop``/``pseudonymize``/
    ``generalize`` was applied. The one-line message names every offending column, its
    kind and ``source``; it never shows a value.
    """
    problems = unresolved(scan_columns(columns), policy)
    if not problems:
        return
    missing = [f for f, rule in problems if rule is None]
    pending = [(f, rule) for f, rule in problems if rule is not None]
    parts: list[str] = []
    if missing:
        listed = ", ".join(f"{f.column!r} ({f.kind})" for f in missing)
        where = (
            "no privacy policy covers them"
            if policy is None
            else f"policy {policy.path} has no rule for them"
            if policy.path is not None
            else "the privacy policy has no rule for them"
        )
        parts.append(f"{listed}: {where}")
    if pending:
        listed = ", ".join(f"{f.column!r} ({f.kind}, policy: {rule.action})" for f, rule in pending)
        parts.append(f"{listed}: still raw, the policy was not applied")
    raise PrivacyError(
        f"refusing to emit direct identifiers: {'; '.join(parts)} - run 'harmonize privacy "
        "apply TABLE --policy privacy-policy.yaml -o SAFE.csv' and use SAFE.csv, or add a "
        "rule (drop, pseudonymize, generalize, or keep with a reason) to privacy-policy.yaml",
        path=source,
    )
