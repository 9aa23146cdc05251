"""The report's workbook: one sheet per figure, with the table behind it, in Swedish.

Counts below the report's threshold are written as text ("färre än 5"), never as the number.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from platsa.core.templatetags.platsa import (
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
    ws.append([_("Municipality"), report.municipality.name, ""])
    ws.append([_("From"), report.start, ""])
    ws.append([_("To"), report.end, ""])
    ws.append([_("Cost of the places"), report.occupancy.cost_sek, "kr"])
    ws.append([_("Place-months bought"), report.occupancy.capacity_place_months, ""])
    ws.append([_("Utilisation"), report.occupancy.utilisation, _("share")])
    ws.append([_("Cost of empty places"), report.occupancy.empty_cost_sek, "kr"])
    ws.append([_("Placements"), count(report.recorded.placements), ""])
    ws.append([_("Went on to work"), count(report.recorded.exits["employment"]), ""])
    ws.append([_("Went on to studies"), count(report.recorded.exits["studies"]), ""])
    if report.sroi is not None:
        interval = report.sroi["simulation"]["intervals"]["sroi_ratio"]
        ws.append([_("SROI at the most likely values"), report.sroi["sroi_ratio"], ""])
        ws.append(["SROI P5", interval["p5"], ""])
        ws.append(["SROI P50", interval["p50"], ""])
        ws.append(["SROI P95", interval["p95"], ""])
        ws.append(
            [
                _("Chance that SROI is above 1"),
                report.sroi["simulation"]["probability_sroi_above_1"],
                _("share"),
            ]
        )
    ws.append([_("Parameter set"), report.recorded.parameters_digest, ""])
    ws.append([_("Engine version"), report.engine_version, ""])
    ws.append([_("Smallest group shown"), t, ""])
    _fit(ws)

    ws = _sheet(book, _("Occupancy"), [_("Month"), _("Places"), _("Used, average"), _("Cost")])
    for m in report.occupancy.months():
        ws.append([m.month, m.capacity, m.average_occupied, m.cost_sek])
    _fit(ws)

    if report.value is not None:
        ws = _sheet(
            book,
            _("Value over time"),
            [_("Month"), _("Cumulative cost")]
            + [actor_label(a) for a in report.value.cumulative_value],
        )
        for i, label in enumerate(report.value.month_labels):
            ws.append(
                [label, report.value.cumulative_cost[i]]
                + [values[i] for values in report.value.cumulative_value.values()]
            )
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
            ws.append([label, x, y])
        ws.append([])
        ws.append(
            [
                _("Months per placement"),
                _("Placements a year"),
                _("Investment per person"),
                _("Payback (months)"),
            ]
        )
        for row in a.rule_of_thumb:
            ws.append(
                [
                    row.placement_months,
                    row.placements_per_year,
                    row.investment_per_individual_sek,
                    row.payback_months_on_employment,
                ]
            )
    _fit(ws)

    if report.sroi is not None:
        ws = _sheet(book, "SROI", [_("Actor"), _("Present value")])
        for actor, pv in report.sroi["by_stakeholder"].items():
            ws.append([actor_label(actor), pv])
        ws.append([])
        ws.append([_("Assumption"), _("Low"), _("High"), _("SROI at low"), _("SROI at high")])
        labels = tornado_labels()
        for bar in report.sroi["tornado"]:
            ws.append(
                [
                    labels.get(bar["input"], bar["input"]),
                    bar["low"],
                    bar["high"],
                    bar["sroi_at_low"],
                    bar["sroi_at_high"],
                ]
            )
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
        ws.append([o.name, o.indicators.places, o.utilisation, count(o.indicators.placements)])
        for group, cells, label in (
            (_("Age at the start"), o.ages, age_band_label),
            (_("Gender"), o.genders, gender_label),
            (_("Destination"), o.destinations, destination_label),
        ):
            for key, cell in cells.items():
                ws.append(
                    [
                        o.name,
                        None,
                        None,
                        None,
                        group,
                        label(key),
                        count(cell.value) if not cell.suppressed else _("hidden"),
                    ]
                )
    _fit(ws)

    ws = _sheet(book, _("Goals"), [_("Goal"), _("From"), _("To"), _("Target"), _("Outcome")])
    for g in report.goals:
        ws.append(
            [
                g.goal.get_kind_display(),
                g.goal.period_start,
                g.goal.period_end,
                float(g.goal.target),
                _("hidden") if g.hidden else g.actual,
            ]
        )
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
    if report.alternatives is not None:
        for c, alt in report.alternatives.rows:
            ws.append(
                [
                    alt.name if alt else _("Procured places (recorded)"),
                    c.cost_per_place_month_sek,
                    c.cost_sek,
                    c.difference_sek if alt else None,
                    c.share_to_work,
                    c.cost_per_exit_to_work_sek,
                    c.break_even_share_to_work,
                    alt.source if alt else _("agreements and occupancy"),
                ]
            )
        ws.append([])
        ws.append([_("Payment model"), _("Cost to the municipality")])
        for key, model in report.alternatives.payment_models.items():
            ws.append([payment_model_label(key), model.municipality_cost_sek])
    _fit(ws)

    ws = _sheet(
        book, _("Parameters"), [_("Parameter"), _("Value"), _("Unit"), _("From"), _("Source")]
    )
    for _name, description, use in report.parameters:
        ws.append([description, use.value, unit_label(use.unit), use.effective_from, use.reference])
    _fit(ws)

    ws = _sheet(book, _("Data quality"), [_("Flag"), _("Placements")])
    for flag, n in report.quality.items():
        ws.append([flag_label(flag), n])
    _fit(ws)
    return book
