"""The report's workbook: one sheet per figure, with the table behind it, in Swedish.

Counts below the report's threshold are written as text ("färre än 5"), never as the number.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from platsa.common.sheets import sheet_append as _append
from platsa.common.templatetags.platsa import (
    actor_label,
    age_band_label,
    destination_label,
    flag_label,
    gender_label,
    payment_model_label,
    unit_label,
)
from platsa.impact.forms import tornado_labels
from platsa.impact.report import BoardReport

BOLD = Font(bold=True)
# Number formats: kronor without decimals, shares as per cent, dates as dates.
KR = '#,##0 "kr"'
SHARE = "0%"
DECIMAL = "0.00"
ONE_DECIMAL = "0.0"


def _format(ws: Worksheet, formats: dict[int, str], *, first_row: int = 2) -> None:
    """Number formats per column (1-based), for the numbers below the header."""
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            fmt = formats.get(cell.column)  # type: ignore[arg-type]
            if (
                fmt
                and isinstance(cell.value, int | float | dt.date)
                and not isinstance(cell.value, bool)
            ):
                cell.number_format = fmt


def _sheet(book: Workbook, title: str, header: list[str]) -> Worksheet:
    ws = book.create_sheet(title[:31])
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
    ws.freeze_panes = "A2"
    return ws


def _fit(ws: Worksheet) -> None:
    for column in ws.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def workbook(report: BoardReport) -> Workbook:
    t = report.threshold

    def count(n: int | None) -> Any:
        if n is None:
            return None
        return _("fewer than %(n)s") % {"n": t} if 0 < n < t else n

    book = Workbook()
    assert book.active is not None
    book.remove(book.active)

    ws = _sheet(book, _("Summary"), [_("Figure"), _("Value"), _("Unit")])
    _append(ws, [_("Municipality"), report.municipality.name, ""])
    _append(ws, [_("From"), report.start, ""])
    _append(ws, [_("To"), report.end, ""])
    _append(ws, [_("Cost of the places"), report.occupancy.cost_sek, "kr"])
    _append(ws, [_("Place-months bought"), report.occupancy.capacity_place_months, ""])
    _append(ws, [_("Utilisation"), report.occupancy.utilisation, _("share")])
    _append(ws, [_("Cost of empty places"), report.occupancy.empty_cost_sek, "kr"])
    _append(ws, [_("Placements"), count(report.recorded.placements), ""])
    _append(ws, [_("Went on to work"), count(report.recorded.exits["employment"]), ""])
    _append(ws, [_("Went on to studies"), count(report.recorded.exits["studies"]), ""])
    if report.amounts_hidden:
        _append(
            ws,
            [
                _(
                    "Value, SROI, payback and the alternatives are left out: fewer than %(n)s "
                    "people went on to work or studies, and every amount built on them would "
                    "tell how many."
                )
                % {"n": t},
                "",
                "",
            ],
        )
    if report.sroi is not None:
        for name, label in (
            ("municipality", _("the municipality's budget")),
            ("society", _("society (every actor)")),
        ):
            view = report.sroi["views"][name]
            for figure, value in (
                (_("SROI, median, %(view)s"), view["sroi"]["p50"]),
                (_("SROI, P5, %(view)s"), view["sroi"]["p5"]),
                (_("SROI, P95, %(view)s"), view["sroi"]["p95"]),
            ):
                _append(ws, [figure % {"view": label}, value, ""])
            _append(
                ws,
                [
                    _("Chance that SROI is above 1, %(view)s") % {"view": label},
                    view["probability_sroi_above_1"],
                    _("share"),
                ],
            )
    _append(ws, [_("Parameter set"), report.recorded.parameters_digest, ""])
    _append(ws, [_("Engine version"), report.engine_version, ""])
    _append(ws, [_("Smallest group shown"), t, ""])
    for label, value, unit in ws.iter_rows(min_row=2):
        if unit.value == "kr":
            value.number_format = KR
        elif unit.value == _("share"):
            value.number_format = SHARE
        elif isinstance(label.value, str) and label.value.startswith("SROI"):
            value.number_format = DECIMAL
    _fit(ws)

    ws = _sheet(book, _("Occupancy"), [_("Month"), _("Places"), _("Used, average"), _("Cost")])
    for m in report.occupancy.months():
        month = dt.date.fromisoformat(f"{m.month}-01")  # a date, shown as its month
        used: Any = m.average_occupied
        if 0 < used < t:  # could date one person's placement
            used = _("fewer than %(n)s") % {"n": t}
        _append(ws, [month, m.capacity, used, m.cost_sek])
    _format(ws, {1: "yyyy-mm", 2: "0", 3: ONE_DECIMAL, 4: KR})
    _fit(ws)

    if report.value is not None:
        ws = _sheet(
            book,
            _("Value over time"),
            [_("Month"), _("Cumulative cost")]
            + [actor_label(a) for a in report.value.cumulative_value]
            + [
                _("Municipality, P5"),
                _("Municipality, P95"),
                _("Off assistance with the placements"),
                _("Off assistance anyway (baseline)"),
            ],
        )
        people = report.value.off_assistance
        for i, label in enumerate(report.value.month_labels):
            _append(
                ws,
                [label, report.value.cumulative_cost[i]]
                + [values[i] for values in report.value.cumulative_value.values()]
                + [
                    report.value.band["p5"][i],
                    report.value.band["p95"][i],
                    people["outcome"][i],
                    people["baseline"][i],
                ],
            )
        _format(ws, {n: KR for n in range(2, ws.max_column - 1)})
        _format(ws, {ws.max_column - 1: ONE_DECIMAL, ws.max_column: ONE_DECIMAL})
        _fit(ws)

    ws = _sheet(
        book,
        _("Payback"),
        [_("Figure"), _("As the report counts (tax 5,500)"), _("With the parameter set")],
    )
    a, b = report.payback_as_report, report.payback_parameters
    if a is not None and b is not None:
        for label, x, y in (
            (_("Investment"), a.investment_sek, b.investment_sek),
            (
                _("A month in work, to the municipality"),
                a.monthly_value_employment_sek,
                b.monthly_value_employment_sek,
            ),
            (
                _("A month in studies, to the municipality"),
                a.monthly_value_studies_sek,
                b.monthly_value_studies_sek,
            ),
            (_("Value a year"), a.annual_value_sek, b.annual_value_sek),
            (_("Payback (years)"), a.payback_years, b.payback_years),
            (
                _("In work needed to pay back within a year"),
                a.breakeven_employments_one_year,
                b.breakeven_employments_one_year,
            ),
        ):
            _append(ws, [label, x, y])
        _append(ws, [])
        _append(
            ws,
            [
                _("Months per placement"),
                _("Placements a year"),
                _("Investment per person"),
                _("Payback (months)"),
            ],
        )
        for row in a.rule_of_thumb:
            _append(
                ws,
                [
                    row.placement_months,
                    row.placements_per_year,
                    row.investment_per_individual_sek,
                    row.payback_months_on_employment,
                ],
            )
    for row in ws.iter_rows(min_row=2, max_row=5):
        for cell in row[1:]:
            cell.number_format = KR
    for row in ws.iter_rows(min_row=6, max_row=6):
        for cell in row[1:]:
            cell.number_format = DECIMAL
    _format(ws, {3: KR, 4: ONE_DECIMAL}, first_row=10)
    _fit(ws)

    if report.sroi is not None:
        ws = _sheet(book, "SROI", [_("Actor"), _("Present value, median"), "P5", "P95"])
        for actor, band in report.sroi["views"]["society"]["present_value_by_actor"].items():
            _append(ws, [actor_label(actor), band["p50"], band["p5"], band["p95"]])
        _format(ws, {2: KR, 3: KR, 4: KR})
        tornado_from = ws.max_row + 3
        _append(ws, [])
        _append(ws, [_("Assumption"), _("Low"), _("High"), _("SROI at low"), _("SROI at high")])
        labels = tornado_labels()
        for bar in report.sroi["tornado"]:
            _append(
                ws,
                [
                    labels.get(bar["input"], bar["input"]),
                    bar["low"],
                    bar["high"],
                    bar["sroi_at_low"],
                    bar["sroi_at_high"],
                ],
            )
        _format(ws, {4: DECIMAL, 5: DECIMAL}, first_row=tornado_from)
        _fit(ws)

    ws = _sheet(
        book,
        _("Per organisation"),
        [
            _("Organisation"),
            _("Places"),
            _("Utilisation"),
            _("Placements started"),
            _("Group"),
            _("Category"),
            _("Count"),
        ],
    )
    for o in report.profiles:
        _append(ws, [o.name, o.indicators.places, o.utilisation, count(o.indicators.placements)])
        for group, cells, label in (
            (_("Age at the start"), o.ages, age_band_label),
            (_("Gender"), o.genders, gender_label),
            (_("Destination"), o.destinations, destination_label),
        ):
            for key, cell in cells.items():
                _append(
                    ws,
                    [
                        o.name,
                        None,
                        None,
                        None,
                        group,
                        label(key),
                        count(cell.value) if not cell.suppressed else _("hidden"),
                    ],
                )
    _format(ws, {3: SHARE})
    _fit(ws)

    if report.need is not None and not report.need.missing:
        ws = _sheet(
            book,
            _("Need"),
            [
                _("Places"),
                _("Start within the target"),
                _("Worst 5 %"),
                _("Mean wait (days)"),
                _("Used"),
                _("Empty places a year"),
            ],
        )
        for point in report.need.curve:
            _append(
                ws,
                [
                    point.places,
                    point.share_within_target,
                    point.share_within_target_p5,
                    point.mean_wait_days,
                    point.utilisation,
                    point.empty_cost_per_year,
                ],
            )
        _format(ws, {2: SHARE, 3: SHARE, 4: ONE_DECIMAL, 5: SHARE, 6: KR})
        _fit(ws)

    ws = _sheet(book, _("Goals"), [_("Goal"), _("From"), _("To"), _("Target"), _("Outcome")])
    for g in report.goals:
        _append(
            ws,
            [
                g.goal.get_kind_display(),
                g.goal.period_start,
                g.goal.period_end,
                float(g.goal.target),
                _("hidden") if g.hidden else g.actual,
            ],
        )
    _format(ws, {4: SHARE})
    _fit(ws)

    ws = _sheet(
        book,
        _("Alternatives"),
        [
            _("Alternative"),
            _("Per place and month"),
            _("For the places bought"),
            _("Against procured"),
            _("Share to work"),
            _("Per person to work"),
            _("Share to work needed to do as well"),
            _("Source"),
        ],
    )
    if report.alternatives is not None and not report.amounts_hidden:
        for c, alt in report.alternatives.rows:
            _append(
                ws,
                [
                    alt.name if alt else _("Procured places (recorded)"),
                    c.cost_per_place_month_sek,
                    c.cost_sek,
                    c.difference_sek if alt else None,
                    c.share_to_work,
                    c.cost_per_exit_to_work_sek,
                    c.break_even_share_to_work,
                    alt.source if alt else _("agreements and occupancy"),
                ],
            )
        _append(ws, [])
        _append(ws, [_("Payment model"), _("Cost to the municipality")])
        for key, model in report.alternatives.payment_models.items():
            _append(ws, [payment_model_label(key), model.municipality_cost_sek])
    _format(ws, {2: KR, 3: KR, 4: KR, 6: KR, 5: SHARE, 7: SHARE})
    _fit(ws)

    ws = _sheet(
        book, _("Parameters"), [_("Parameter"), _("Value"), _("Unit"), _("From"), _("Source")]
    )
    for _name, description, use in report.parameters:
        _append(
            ws, [description, use.value, unit_label(use.unit), use.effective_from, use.reference]
        )
    _fit(ws)

    ws = _sheet(book, _("Data quality"), [_("Flag"), _("Placements")])
    for flag, n in report.quality.items():
        _append(ws, [flag_label(flag), count(n)])
    _fit(ws)
    return book


def render_xlsx(report: BoardReport) -> bytes:
    """The workbook as bytes, in Swedish whatever the request's language."""
    with translation.override("sv"):
        book = workbook(report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
