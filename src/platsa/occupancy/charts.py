"""A bar chart as inline SVG: capacity against average occupied places per month.

Server-rendered so it needs no JavaScript, prints as it shows, and has a text alternative: the
table next to it carries the same numbers.
"""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

from platsa.engine.occupancy import MonthRow


def occupancy_svg(months: list[MonthRow]) -> str:
    if not months:
        return ""
    width, height, left, bottom, top = 720, 240, 36, 36, 12
    top_value = max(max(m.capacity for m in months), max(m.average_occupied for m in months), 1.0)
    step = (width - left - 8) / len(months)
    bar = step * 0.7
    scale = (height - bottom - top) / top_value

    def y(v: float) -> float:
        return height - bottom - v * scale

    title = escape(_("Places (outline) and average occupied places (filled) per month"))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="occ-chart-title" '
        f'class="chart" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="occ-chart-title">{title}</title>',
    ]
    ticks = sorted({0.0, top_value / 2, top_value})
    for t in ticks:
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y(t):.1f}" y2="{y(t):.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" class="tick">{t:.0f}</text>'
        )
    for i, m in enumerate(months):
        x = left + i * step + (step - bar) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y(m.capacity):.1f}" width="{bar:.1f}" height="{m.capacity * scale:.1f}" class="capacity">'
            f"<title>{escape(m.month)}: {m.average_occupied:.1f} / {m.capacity:.1f}</title></rect>"
        )
        parts.append(
            f'<rect x="{x + bar * 0.15:.1f}" y="{y(m.average_occupied):.1f}" width="{bar * 0.7:.1f}" '
            f'height="{m.average_occupied * scale:.1f}" class="occupied"/>'
        )
        if len(months) <= 14 or i % 3 == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="tick">{escape(m.month[2:])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
