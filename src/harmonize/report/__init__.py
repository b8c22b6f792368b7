"""The run report: one static HTML page a steward can send back to the partner.

``write_report(run_dir, out)`` reads the folder a run wrote (mapping sets, partner table,
SHACL report, a privacy report and the review ledger if present) and writes ``out``:
per column, the share of cells mapped / pending review / unmapped; a histogram of the
best candidates' confidence with the auto-accept threshold drawn; SHACL problems by slot
and kind with example rows; privacy findings. Charts are inline SVG and the page loads
nothing from anywhere: it opens offline, attached to an e-mail.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_report"]


def write_report(
    run_dir: str | Path,
    out: str | Path,
    *,
    table: str | Path | None = None,
    ledger: str | Path | None = None,
    privacy: str | Path | None = None,
    threshold: float | None = None,
) -> Path:
    """Write the run report of ``run_dir`` to ``out`` (atomically); returns ``out``."""
    from harmonize.io.atomic import atomic_write_text
    from harmonize.report.inputs import find_run_files
    from harmonize.report.render import render_report
    from harmonize.report.summary import summarize

    files = find_run_files(run_dir, table=table, ledger=ledger, privacy=privacy)
    html = render_report(summarize(files, threshold))
    return atomic_write_text(Path(out), html)
