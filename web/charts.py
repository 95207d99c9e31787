"""Bar charts as server-rendered SVG: they work without JavaScript, and carry a title and a
description for screen readers (the page also shows the same figures as a table)."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, COUNT_WIDTH = 24, 8, 250, 360, 90  # 30 characters fit


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], base: int) -> Markup:
    """Horizontal bars, one per (label, count); each bar's length is its share of `base`."""
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH
    parts = [
        f'<svg class="yv-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">'
        + escape("; ".join(f"{label}: {count}" for label, count in rows))
        + "</desc>",
    ]
    for i, (label, count) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        share = count / base if base else 0.0
        length = round(BAR_WIDTH * share, 1)
        parts += [
            f'<text class="yv-chart__label" x="{LABEL_WIDTH - 8}" y="{y + 17}" '
            f'text-anchor="end">{escape(_short(label))}</text>',
            f'<rect class="yv-chart__bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" '
            f'height="{BAR_HEIGHT}"></rect>',
            f'<text class="yv-chart__label" x="{LABEL_WIDTH + length + 6}" y="{y + 17}">'
            f"{count} ({round(100 * share)}%)</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped above)


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
