"""Scan reports: a table a steward can read, and REPORT.json for other tools.

REPORT.json is a list with one object per column holding ``column``, ``category``
(``direct``/``quasi``/``none``), ``kind``, ``match_share``, plus ``n_values``,
``evidence`` and masked ``examples``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from harmonize.privacy.scan import ColumnFinding

__all__ = ["format_findings", "report_json", "write_report"]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_findings(findings: Sequence[ColumnFinding]) -> str:
    """A plain-text table: column, category, kind, share matched, three masked examples."""
    headers = ("column", "category", "kind", "matched", "examples (masked)")
    rows = [
        (
            _cut(f.column, 32),
            f.category,
            f.kind,
            f"{f.match_share:.0%}" if f.category != "none" else "-",
            _cut(" | ".join(f.examples), 60),
        )
        for f in findings
    ]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )
    direct = sum(f.is_direct for f in findings)
    quasi = sum(f.category == "quasi" for f in findings)
    lines.append("")
    lines.append(
        f"{len(findings)} columns: {direct} direct identifier(s), {quasi} quasi-identifier(s)"
    )
    return "\n".join(lines)


def report_json(findings: Sequence[ColumnFinding]) -> str:
    """REPORT.json text."""
    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def write_report(findings: Sequence[ColumnFinding], path: str | Path) -> Path:
    """Write REPORT.json atomically."""
    from harmonize.io import atomic_write_text

    return atomic_write_text(path, report_json(findings))
