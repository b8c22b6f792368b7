"""The run report as one self-contained HTML page (Jinja2, autoescaped; inline CSS/SVG)."""

from __future__ import annotations

from pathlib import Path

from harmonize.report.summary import RunSummary

__all__ = ["render_report"]

HERE = Path(__file__).resolve().parent


def render_report(summary: RunSummary) -> str:
    """The HTML text of the report of ``summary``."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    from harmonize import __version__
    from harmonize.display import format_confidence
    from harmonize.report.charts import COLORS, histogram_svg, shares_svg

    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("report.html")
    return template.render(
        s=summary,
        conf=format_confidence,
        version=__version__,
        colors=COLORS,
        shares_chart=Markup(shares_svg(summary.shares)) if summary.shares else None,
        histogram_chart=Markup(histogram_svg(summary.histogram, summary.threshold)),
        pct=lambda part, total: f"{100 * part // total}%" if total else "–",
    )
