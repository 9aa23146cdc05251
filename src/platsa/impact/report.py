"""The report for a municipal board: every figure of the dashboards for one period, in Swedish,
as a PDF (WeasyPrint from the same templates and the same SVG charts as the screen) and as a
workbook with the tables behind every figure.

The report is made for an audience that may not see individuals: counts below the threshold
(``PLATSA_MIN_GROUP_SIZE``, 5 by default; ``--min-group-size`` for a municipality that has
decided otherwise, as the evaluation report did when it published its 17 placements) are shown
as "fewer than N", and the report says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, Role, User
from platsa.engine import ENGINE_VERSION
from platsa.engine.indicators import MunicipalityIndicators
from platsa.engine.need import NeedResult
from platsa.engine.occupancy import OccupancyResult
from platsa.engine.parameters import ParameterUse
from platsa.engine.payback import PaybackResult
from platsa.engine.quality import PlacementFlag, placement_flags
from platsa.engine.scenario import Assumptions
from platsa.impact.alternatives import AlternativesComparison, comparison_for
from platsa.impact.charts import for_print, off_assistance_svg, sroi_context, value_cost_svg
from platsa.impact.dashboard import ValueDashboard, value_dashboard
from platsa.impact.models import Alternative, Scenario
from platsa.impact.organisations import OrganisationProfile, organisation_profiles
from platsa.impact.parameters import municipality_parameters
from platsa.impact.paybacks import REPORT_TAX_ROUNDING_SEK, PaybackStory, payback_story
from platsa.impact.privacy import outcomes_hidden
from platsa.impact.scenarios import (
    Recorded,
    figures,
    period_payback,
    period_problem,
    placements_in_period,
    recorded_for,
)
from platsa.impact.selectors import GoalStatus, goal_statuses
from platsa.occupancy.charts import occupancy_svg
from platsa.occupancy.need import need_for
from platsa.placements.indicators import indicators_for
from platsa.placements.occupancy import Scope, occupancy_for


class ReportError(ValueError):
    """The report cannot be made as asked (the message says why, in the user's language)."""


def report_audience(municipality: Municipality) -> User:
    """The board sees what an analyst sees: aggregates only. An unsaved user, never logged in."""
    return User(username="rapport", role=Role.ANALYST, municipality=municipality)


@dataclass(frozen=True)
class BoardReport:
    municipality: Municipality
    start: dt.date
    end: dt.date
    made_on: dt.date
    threshold: int
    occupancy: OccupancyResult
    indicators: MunicipalityIndicators
    recorded: Recorded
    sroi: dict[str, Any] | None  # the scenario's figures; None when nothing is there to value
    scenario_name: str
    assumptions: Assumptions
    payback_as_report: PaybackResult | None  # the report's way of counting (5,500 tax)
    payback_parameters: PaybackResult | None  # the dated parameter set
    paybacks: PaybackStory | None  # the three ways of counting, reconciled
    value: ValueDashboard | None
    goals: list[GoalStatus]
    profiles: list[OrganisationProfile]
    alternatives: AlternativesComparison | None
    parameters: list[tuple[str, str, ParameterUse]]  # name, description, use
    quality: dict[str, int]  # flag → placements
    engine_version: str = ENGINE_VERSION
    # What the period says about the places needed (None: the average in use is under the
    # smallest group shown, so it would date placements).
    need: NeedResult | None = None
    # Fewer people went on to work or studies than the smallest group shown: every amount,
    # ratio and payback built on them would tell how many, so none is in the report.
    amounts_hidden: bool = False

    @property
    def small_months(self) -> bool:
        """Whether any month had fewer people on average than the smallest group shown."""
        return any(0 < m.average_occupied < self.threshold for m in self.occupancy.months())


def build_report(
    municipality: Municipality,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    threshold: int | None = None,
    scenario: Scenario | None = None,
) -> BoardReport:
    problem = period_problem(municipality, start, end)
    if problem is not None:
        raise ReportError(problem)
    threshold = settings.PLATSA_MIN_GROUP_SIZE if threshold is None else threshold
    if threshold < 1:
        raise ReportError(_("The smallest group shown must be 1 or more."))
    audience = report_audience(municipality)
    if scenario is not None and scenario.municipality_id != municipality.pk:
        raise ReportError(_("The scenario belongs to another municipality."))
    assumptions = (
        Assumptions.from_dict(scenario.assumptions) if scenario is not None else Assumptions()
    )
    occupancy, _agreements = occupancy_for(
        Scope(municipality.pk), start=start, end=end, as_of=today
    )
    recorded = recorded_for(
        municipality,
        start=start,
        end=end,
        today=today,
        salary_sek=assumptions.monthly_salary_sek,
        occupancy=occupancy,
        tax=assumptions.tax_view(),
    )
    try:
        sroi = figures(municipality, recorded, assumptions).as_dict()
    except ValueError:
        sroi = None
    municipality_indicators, _orgs = indicators_for(audience, started_from=start, started_to=end)
    parameters = municipality_parameters(municipality)
    uses = [
        (name, p.description, parameters.use(name, on=recorded.valued_on))
        for name, p in sorted(parameters.parameters.items())
    ]
    quality: Counter[str] = Counter()
    for p in placements_in_period(municipality.pk, start, end):
        for flag in placement_flags(p.facts(), as_of=today):
            quality[flag.value] += 1
    value = value_dashboard(audience, today=today, period=(start, end))
    hidden = threshold > 1 and outcomes_hidden(recorded, value, threshold)
    payback_as_report = period_payback(
        occupancy,
        parameters,
        on=recorded.valued_on,
        exits=recorded.exits,
        salary_sek=recorded.salary_sek,
        tax_override=REPORT_TAX_ROUNDING_SEK,
    )
    payback_parameters = period_payback(
        occupancy,
        parameters,
        on=recorded.valued_on,
        exits=recorded.exits,
        salary_sek=recorded.salary_sek,
    )
    paybacks = payback_story(
        municipality, recorded, occupancy=occupancy, sroi=sroi, dashboard=value
    )
    alternatives = comparison_for(
        municipality,
        list(Alternative.objects.filter(municipality=municipality)),
        start=start,
        end=end,
        today=today,
        recorded=recorded,
    )
    if hidden:
        sroi, value, payback_as_report, payback_parameters, paybacks = None, None, None, None, None
    report = BoardReport(
        municipality=municipality,
        start=start,
        end=end,
        made_on=today,
        threshold=threshold,
        occupancy=occupancy,
        indicators=municipality_indicators,
        recorded=recorded,
        sroi=sroi,
        scenario_name=scenario.name if scenario is not None else "",
        assumptions=assumptions,
        payback_as_report=payback_as_report,
        payback_parameters=payback_parameters,
        value=value,
        paybacks=paybacks,
        goals=goal_statuses(audience, today=today, threshold=threshold),
        profiles=organisation_profiles(
            audience, start=start, end=end, today=today, threshold=threshold
        ),
        alternatives=alternatives,
        parameters=uses,
        quality={flag.value: quality[flag.value] for flag in PlacementFlag if quality[flag.value]},
        amounts_hidden=hidden,
        need=_need(municipality, start=start, end=end, today=today, threshold=threshold),
    )
    return report


def _need(
    municipality: Municipality, *, start: dt.date, end: dt.date, today: dt.date, threshold: int
) -> NeedResult | None:
    try:
        result = need_for(municipality.pk, start=start, end=end, today=today)
    except ValueError:  # a period that has not begun: no history to learn from
        return None
    if threshold > 1 and result.inputs.average_in_use < threshold:
        return None
    return result


def report_charts(report: BoardReport) -> dict[str, Any]:
    """The screen's charts, for print, and the SROI partial's context."""
    charts: dict[str, Any] = {"occupancy": for_print(occupancy_svg(report.occupancy.months()))}
    if report.value is not None:
        charts["value"] = for_print(
            value_cost_svg(
                report.value.cumulative_value["municipality"],
                report.value.cumulative_cost,
                report.value.month_labels,
                band=(report.value.band["p5"], report.value.band["p95"]),
            )
        )
        charts["people"] = for_print(
            off_assistance_svg(
                report.value.off_assistance["outcome"],
                report.value.off_assistance["baseline"],
                report.value.month_labels,
                observed=report.value.observed_months,
            )
        )
    if report.sroi is not None:
        charts |= sroi_context(report.sroi, print_=True)
    return charts


def render_pdf(report: BoardReport) -> bytes:
    from weasyprint import HTML

    with translation.override("sv"):
        html = render_to_string(
            "impact/report/board.html",
            {"report": report, **report_charts(report)},
        )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
