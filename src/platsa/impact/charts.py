"""Cumulative value against cumulative cost, as inline SVG with a text alternative (the table)."""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _


def value_cost_svg(value: list[float], cost: list[float], labels: list[str]) -> str:
    if not value:
        return ""
    width, height, left, bottom, top = 720, 260, 64, 36, 12
    top_value = max(max(value), max(cost), 1.0)
    bottom_value = min(min(value), 0.0)
    span = top_value - bottom_value
    n = len(value)

    def x(i: int) -> float:
        return left + (width - left - 8) * (i / max(n - 1, 1))

    def y(v: float) -> float:
        return height - bottom - (height - bottom - top) * (v - bottom_value) / span

    title = escape(
        _("Cumulative value to the municipality (solid) and cumulative cost (dashed), SEK")
    )
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="vc-title" class="chart" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="vc-title">{title}</title>'
    ]
    for t in (bottom_value, (bottom_value + top_value) / 2, top_value):
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y(t):.1f}" y2="{y(t):.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" class="tick">'
            f"{round(t / 1000):,}".replace(",", "\u00a0")
            + "\u00a0tkr</text>"
        )
    value_line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(value))
    cost_line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(cost))
    parts.append(f'<polyline points="{cost_line}" class="cost-line"/>')
    parts.append(f'<polyline points="{value_line}" class="value-line"/>')
    for i, label in enumerate(labels):
        if i % 6 == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" class="tick">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
