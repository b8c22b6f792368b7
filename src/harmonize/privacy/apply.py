"""Apply a privacy policy to a table: plan per column, transform, write a safe copy.

:func:`plan_columns` and :func:`apply_plan` are pure; :func:`apply_table` reads the
table, writes ``SAFE.csv`` atomically and a provenance sidecar
(``SAFE.csv.provenance.json``) saying which policy version did what to which column.
Neither file ever holds the key or an original value of a transformed column.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeWarning, PrivacyError
from harmonize.io.checksum import file_sha256
from harmonize.privacy.guard import check_columns
from harmonize.privacy.policy import Policy, PolicyError, Rule
from harmonize.privacy.pseudonymize import (
    age_band,
    key_fingerprint,
    load_key_with_source,
    postcode_prefix,
    pseudonym,
    year_of,
)
from harmonize.privacy.scan import ColumnFinding, read_columns, scan_columns

__all__ = ["ApplyResult", "ColumnPlan", "apply_plan", "apply_table", "plan_columns"]

_DEFAULT_METHOD = {
    "age": "age_band",
    "date": "year",
    "date_of_birth": "year",
    "postcode": "prefix",
}


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """What happens to one column, and which rule decided it."""

    finding: ColumnFinding
    action: str  # drop | pseudonymize | generalize | keep | unchanged
    rule: str  # "column:x", "kind:x", "category:x" or "" (no rule: not identifying)
    method: str | None = None
    reason: str | None = None
    width: int = 5
    length: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.finding.column,
            "category": self.finding.category,
            "kind": self.finding.kind,
            "match_share": round(self.finding.match_share, 4),
            "action": self.action,
            "method": self.method,
            "reason": self.reason,
            "rule": self.rule or None,
        }


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """The safe table's header, its number of rows, and the plan that made it."""

    columns: tuple[str, ...]
    n_rows: int
    plans: tuple[ColumnPlan, ...]
    key_fingerprint: str | None = None


def _plan(finding: ColumnFinding, found: tuple[Rule, str] | None) -> ColumnPlan:
    if found is None:
        return ColumnPlan(finding, "unchanged", "")
    rule, origin = found
    method = None
    if rule.action == "generalize":
        method = rule.method or _DEFAULT_METHOD.get(finding.kind)
        if method is None:
            raise PolicyError(
                f"{origin}: cannot generalize column {finding.column!r} ({finding.kind}) "
                "without a method; add method: age_band, year or prefix"
            )
    return ColumnPlan(
        finding,
        rule.action,
        origin,
        method=method,
        reason=rule.reason,
        width=rule.width,
        length=rule.length,
    )


def plan_columns(
    findings: Sequence[ColumnFinding], policy: Policy, *, source: str = ""
) -> list[ColumnPlan]:
    """One plan per finding; direct identifiers without a rule are refused."""
    plans = [
        _plan(f, policy.rule_for(f.column, kind=f.kind, category=f.category)) for f in findings
    ]
    missing = [p.finding.column for p in plans if p.finding.is_direct and p.action == "unchanged"]
    if missing:
        listed = ", ".join(
            f"{p.finding.column!r} ({p.finding.kind})" for p in plans if p.finding.column in missing
        )
        table = f" of {source}" if source else ""
        raise PrivacyError(
            f"no rule for the direct identifiers {listed}{table}; add drop, pseudonymize, "
            "generalize or keep (with a reason)",
            path=policy.path if policy.path is not None else source or None,
        )
    return plans


def _transform(plan: ColumnPlan, value: str, key: bytes | None) -> str:
    if plan.action == "pseudonymize":
        assert key is not None
        return pseudonym(value, key)
    if plan.action == "generalize":
        if not value.strip():
            return ""
        if plan.method == "age_band":
            return age_band(value, plan.width)
        if plan.method == "year":
            return year_of(value)
        return postcode_prefix(value, plan.length)
    return value


def apply_plan(
    columns: Mapping[str, Sequence[str]],
    plans: Sequence[ColumnPlan],
    *,
    key: bytes | None = None,
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The safe header and rows: dropped columns gone, others transformed."""
    if key is None and any(p.action == "pseudonymize" for p in plans):
        raise PrivacyError("pseudonymize needs a key")
    kept = [p for p in plans if p.action != "drop"]
    header = tuple(p.finding.column for p in kept)
    transformed = [[_transform(p, v, key) for v in columns[p.finding.column]] for p in kept]
    n_rows = max((len(v) for v in columns.values()), default=0)
    rows = [tuple(col[i] for col in transformed) for i in range(n_rows)] if transformed else []
    return header, rows


def _warn_unknown_columns(policy: Policy, header: Sequence[str], source: Path) -> None:
    """A policy rule for a column the table lacks is often a typo: say so."""
    present = {name.casefold() for name in header}
    unknown = sorted(name for name in policy.columns if name.casefold() not in present)
    if unknown:
        warnings.warn(
            f"{policy.path or 'policy'}: rule(s) for column(s) not in {source.name}: "
            f"{', '.join(unknown)} (a typo?)",
            HarmonizeWarning,
            stacklevel=3,
        )


class _Hashing:
    """A text handle that also feeds what is written (as UTF-8) to a digest."""

    def __init__(self, handle: Any, digest: Any) -> None:
        self.handle = handle
        self.digest = digest

    def write(self, text: str) -> int:
        self.digest.update(text.encode("utf-8"))
        return int(self.handle.write(text))


def apply_table(
    table_path: str | Path,
    policy: Policy,
    out: str | Path,
    *,
    key_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[ApplyResult, Path]:
    """Write a safe copy of ``table_path`` to ``out`` and its provenance sidecar.

    Returns the result and the sidecar path. Refuses (before writing anything) when a
    direct identifier has no rule or the key is missing.
    """
    from harmonize import __version__
    from harmonize.io import atomic_write, atomic_write_text
    from harmonize.io.tables import iter_rows

    source = Path(table_path)
    target = Path(out)
    if target.resolve() == source.resolve():
        raise PrivacyError("output would overwrite the input table; choose another -o", path=out)
    original, columns = read_columns(source)
    findings = scan_columns({name: columns[name] for name in original})
    plans = plan_columns(findings, policy, source=str(source))
    _warn_unknown_columns(policy, original, source)
    key = None
    key_source = None
    if any(p.action == "pseudonymize" for p in plans):
        key, key_source = load_key_with_source(policy, key_file=key_file, environ=environ)
    header, sample = apply_plan(columns, plans, key=key)
    # the safe copy must itself pass the guard (kept columns carry a reason)
    check_columns(
        {h: [r[i] for r in sample] for i, h in enumerate(header)}, source=str(target), policy=policy
    )
    position = {name: i for i, name in enumerate(original)}
    kept = [(position[p.finding.column], p) for p in plans if p.action != "drop"]
    n_rows = 0
    rows = iter_rows(source)
    next(rows)  # header
    digest = hashlib.sha256()  # of the bytes written (the file may still be staged)
    with atomic_write(target) as handle:
        delimiter = "\t" if target.suffix.lower() in {".tsv", ".tab"} else ","
        writer = csv.writer(_Hashing(handle, digest), delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_transform(plan, row[i].strip(), key) for i, plan in kept])
            n_rows += 1
    fingerprint = key_fingerprint(key) if key is not None else None
    record: dict[str, Any] = {
        "activity": "harmonize privacy apply",
        "harmonize_version": __version__,
        "ended_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "source": {"path": str(source), "sha256": file_sha256(source), "rows": n_rows},
        "output": {"path": str(target), "sha256": digest.hexdigest(), "columns": list(header)},
        "policy": {
            "path": str(policy.path) if policy.path else None,
            "version": policy.label(),
            "sha256": policy.digest,
        },
        "pseudonymization": (
            {"algorithm": "HMAC-SHA256", "key_fingerprint": fingerprint, "key_from": key_source}
            if fingerprint
            else None
        ),
        "columns": [p.to_dict() for p in plans],
    }
    sidecar = target.with_name(target.name + ".provenance.json")
    atomic_write_text(sidecar, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    result = ApplyResult(header, n_rows, tuple(plans), fingerprint)
    return result, sidecar
