"""The report's charts as inline SVG: no script, no font or file from elsewhere.

Each function returns SVG markup with every text escaped; numbers on the charts are
shown as the report's tables show them (confidence truncated, never rounded).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from harmonize.display import format_confidence
from harmonize.report.summary import BINS, ColumnShare

__all__ = ["COLORS", "histogram_svg", "shares_svg"]

COLORS = {"mapped": "#2f9e6b", "pending": "#e0a526", "unmapped": "#c8473d", "empty": "#c9ced8"}
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _pct(part: int, total: int) -> str:
    return f"{100 * part // total}%" if total else "0%"


def shares_svg(shares: Sequence[ColumnShare], width: int = 760) -> str:
    """One stacked bar per coded column: mapped / pending review / unmapped / empty cells."""
    label_w, bar_w, row_h = 170, width - 170 - 150, 26
    height = row_h * len(shares) + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart shares" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="cells per column: mapped, pending review, unmapped, empty" {_FONT}>'
    ]
    for n, share in enumerate(shares):
        y = 8 + n * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" fill="#1d2330">'
            f"{escape(share.column[:26])}</text>"
        )
        x = float(label_w)
        for kind in ("mapped", "pending", "unmapped", "empty"):
            count = getattr(share, kind)
            w = bar_w * count / share.total if share.total else 0.0
            if w > 0:
                parts.append(
                    f'<rect class="seg {kind}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" '
                    f'fill="{COLORS[kind]}"><title>{escape(share.column)}: {count} {kind} '
                    f"cell(s), {_pct(count, share.total)}</title></rect>"
                )
            x += w
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 14}" fill="#46506a">'
            f"{_pct(share.mapped, share.total)} mapped · {_pct(share.pending, share.total)} "
            "pending</text>"
        )
    legend_y = height - 10
    x = label_w
    for kind, text in (("mapped", "mapped"), ("pending", "pending review"),
                       ("unmapped", "unmapped (no term)"), ("empty", "empty / missing")):  # fmt: skip
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{COLORS[kind]}"/>'
            f'<text x="{x + 14}" y="{legend_y}" fill="#46506a">{text}</text>'
        )
        x += 24 + 7 * len(text)
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(bins: Sequence[tuple[int, int]], threshold: float, width: int = 760) -> str:
    """Best-candidate confidence per distinct value, 0.05 wide bins, the auto-accept
    threshold drawn as a line (bars at or above it in green)."""
    left, right, top, bottom = 44, 16, 22, 36
    height = 230
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((a + b for a, b in bins), default=0) or 1
    bar_w = plot_w / BINS
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart histogram" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="confidence of the best candidate per value" {_FONT}>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#46506a"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="#46506a">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" fill="#46506a">0</text>',
    ]
    for n, (below, above) in enumerate(bins):
        x = left + n * bar_w
        low = format_confidence(n / BINS, 2)
        y = float(top + plot_h)
        for count, color, kind in (
            (below, COLORS["pending"], "below"),
            (above, COLORS["mapped"], "above"),
        ):
            h = plot_h * count / peak
            if count:
                y -= h
                parts.append(
                    f'<rect class="bin {kind}" x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" '
                    f'height="{h:.1f}" fill="{color}"><title>{count} value(s) at {low}–'
                    f"{format_confidence((n + 1) / BINS, 2)}</title></rect>"
                )
        if n % 2 == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#46506a">{low}</text>'
            )
    parts.append(
        f'<text x="{left + plot_w:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#46506a">1.00</text>'
    )
    tx = left + plot_w * threshold
    parts.append(
        f'<line class="threshold" x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{top + plot_h}" '
        'stroke="#1d2330" stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{tx - 6:.1f}" y="{top - 10}" text-anchor="end" fill="#1d2330">'
        f"auto-accept ≥ {format_confidence(threshold)}</text>"
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="#46506a">'
        "confidence of the best candidate (distinct values)</text></svg>"
    )
    return "".join(parts)
