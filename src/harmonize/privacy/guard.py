"""The gate before anything leaves: refuse direct identifiers that no policy covers.

``convert`` calls :func:`check_columns` on a table's columns before emitting RDF;
``publish`` calls it on RDF literal values grouped by predicate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from harmonize.errors import PrivacyError
from harmonize.privacy.policy import Policy
from harmonize.privacy.scan import ColumnFinding, scan_columns

__all__ = ["POLICY_FILENAMES", "check_columns", "find_policy", "uncovered"]

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
    missing: list[ColumnFinding] = []
    for finding in findings:
        if not finding.is_direct:
            continue
        rule = (
            policy.rule_for(finding.column, kind=finding.kind, category=finding.category)
            if policy is not None
            else None
        )
        if rule is None:
            missing.append(finding)
    return missing


def check_columns(
    columns: Mapping[str, Sequence[str]], *, source: str, policy: Policy | None = None
) -> None:
    """Raise :class:`PrivacyError` if a column holds direct identifiers no policy covers.

    The one-line message names every offending column, its kind and ``source``; it
    never shows a value.
    """
    missing = uncovered(scan_columns(columns), policy)
    if not missing:
        return
    listed = ", ".join(f"{f.column!r} ({f.kind})" for f in missing)
    where = (
        f"policy {policy.path} has no rule for them"
        if policy is not None and policy.path is not None
        else "no privacy policy covers them"
        if policy is None
        else "the privacy policy has no rule for them"
    )
    raise PrivacyError(
        f"refusing to emit direct identifiers: {listed}; {where} - add drop, pseudonymize, "
        "generalize or keep (with a reason) to privacy-policy.yaml, or run "
        "'harmonize privacy apply' first",
        path=source,
    )
