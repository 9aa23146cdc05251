"""Cumulative value against cumulative cost, as inline SVG with a text alternative (the table)."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from platsa.impact.forms import input_kind, tornado_labels


def _axis_label(t: float, unit: str) -> str:
    if unit == "tkr":
        return f"{round(t / 1000):,}".replace(",", "\u00a0").replace("-", "\u2212") + "\u00a0tkr"
    return f"{t:.1f}".replace(".", ",")


def _line_chart(
    series: dict[str, list[float]],
    labels: list[str],
    *,
    title: str,
    chart_id: str,
    unit: str,
    band: tuple[list[float], list[float]] | None = None,
    marker: int | None = None,
    marker_label: str = "",
) -> str:
    """Lines over months (class per series), an optional shaded band and a marked month."""
    values = [v for s in series.values() for v in s] + ([*band[0], *band[1]] if band else [])
    if not values:
        return ""
    width, height, left, bottom, top = 720, 260, 64, 36, 12
    top_value = max(max(values), 1.0)
    bottom_value = min(min(values), 0.0)
    span = (top_value - bottom_value) or 1.0
    n = max(len(s) for s in series.values())

    def x(i: int) -> float:
        return left + (width - left - 8) * (i / max(n - 1, 1))

    def y(v: float) -> float:
        return height - bottom - (height - bottom - top) * (v - bottom_value) / span

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{chart_id}-title" '
        f'class="chart" xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-title">'
        f"{escape(title)}</title>"
    ]
    for t in (bottom_value, (bottom_value + top_value) / 2, top_value):
        parts.append(
            f'<line x1="{left}" x2="{width - 4}" y1="{y(t):.1f}" y2="{y(t):.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" class="tick">'
            f"{_axis_label(t, unit)}</text>"
        )
    if band is not None:
        low, high = band
        outline = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(high)] + [
            f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(low)))
        ]
        parts.append(f'<polygon points="{" ".join(outline)}" class="band"/>')
    if marker is not None and 0 < marker < n:
        parts.append(
            f'<line x1="{x(marker):.1f}" x2="{x(marker):.1f}" y1="{top}" '
            f'y2="{height - bottom}" class="marker"/>'
            f'<text x="{x(marker) + 4:.1f}" y="{top + 12}" class="tick">{escape(marker_label)}</text>'
        )
    for css, points in series.items():
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(points))
        parts.append(f'<polyline points="{line}" class="{css}"/>')
    for i, label in enumerate(labels):
        if i % 6 == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'class="tick">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def value_cost_svg(
    value: list[float],
    cost: list[float],
    labels: list[str],
    *,
    band: tuple[list[float], list[float]] | None = None,
) -> str:
    """Cumulative value to the municipality against the cumulative cost, with the 90 % band."""
    return _line_chart(
        {"cost-line": cost, "value-line": value},
        labels,
        title=_(
            "Cumulative value to the municipality (solid, with its 90 % band shaded) and "
            "cumulative cost (dashed), SEK"
        ),
        chart_id="vc",
        unit="tkr",
        band=band,
    )


def off_assistance_svg(
    outcome: list[float], baseline: list[float], labels: list[str], *, observed: int
) -> str:
    """Figure 12 of the report: people off assistance with the placements and without."""
    return _line_chart(
        {"baseline-line": baseline, "value-line": outcome},
        labels,
        title=_(
            "People off assistance: with the placements (solid) and as it would have gone anyway "
            "(dotted, the baseline); after the marked month a projection"
        ),
        chart_id="oa",
        unit="people",
        marker=observed,
        marker_label=_("projection"),
    )


def tornado_svg(bars: list[dict[str, float | str]], *, base: float, labels: dict[str, str]) -> str:
    """Horizontal bars of SROI from each input's low to its high, widest first; 1.0 marked.

    ``bars`` are the saved tornado rows (input, sroi_at_low, sroi_at_high); the table beside the
    chart carries the same numbers as text.
    """
    if not bars:
        return ""
    row_h, left, right, top = 26, 300, 24, 24
    width = 720
    height = top + row_h * len(bars) + 28
    values = [float(b["sroi_at_low"]) for b in bars] + [float(b["sroi_at_high"]) for b in bars]
    lo, hi = min(min(values), base, 1.0, 0.0), max(max(values), base, 1.0)
    span = hi - lo or 1.0

    def x(v: float) -> float:
        return left + (width - left - right) * (v - lo) / span

    title = escape(_("SROI when one input moves from its low to its high value"))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="tornado-title" '
        f'class="chart" xmlns="http://www.w3.org/2000/svg"><title id="tornado-title">{title}</title>'
    ]
    for i, b in enumerate(bars):
        y = top + i * row_h
        a, c = float(b["sroi_at_low"]), float(b["sroi_at_high"])
        x0, x1 = sorted((x(a), x(c)))
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" class="tick">'
            f"{escape(labels.get(str(b['input']), str(b['input'])))}</text>"
        )
        parts.append(
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 1):.1f}" height="{row_h - 8}" '
            f'class="{"bar-down" if c < a else "bar-up"}"/>'
        )
    bottom = top + row_h * len(bars)
    for v, css in ((base, "base-line"), (1.0, "one-line")):
        parts.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{top - 6}" y2="{bottom}" class="{css}"/>'
        )
    step = max(1, math.ceil((hi - lo) / 8))
    for v in range(math.ceil(lo), math.floor(hi) + 1, step):
        label = str(v).replace("-", "\u2212")
        parts.append(
            f'<text x="{x(v):.1f}" y="{bottom + 18}" text-anchor="middle" class="tick">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def for_print(svg: str) -> SafeString:
    """The screen's SVG with the screen's chart stylesheet inside it: WeasyPrint styles an inline
    SVG only from its own <style>, so the PDF carries the same definition as the screen."""
    if not svg:
        return mark_safe("")
    path = finders.find("platsa/charts.css")
    css = Path(str(path)).read_text(encoding="utf-8") if path else ""
    head, rest = svg.split(">", 1)
    return mark_safe(f"{head}><style>{css}</style>{rest}")  # noqa: S308 - our own SVG and CSS


def sroi_context(results: dict[str, Any], *, print_: bool = False) -> dict[str, Any]:
    """What the SROI partial shows, from a scenario's results (saved or just computed)."""
    labels = tornado_labels()
    chart = tornado_svg(results["tornado"], base=results["tornado_base"], labels=labels)
    return {
        "r": results,
        "tornado_rows": [
            {**b, "label": labels.get(b["input"], b["input"]), "kind": input_kind(b["input"])}
            for b in results["tornado"]
        ],
        "tornado_chart": for_print(chart) if print_ else mark_safe(chart),  # noqa: S308
    }
