"""SROI scenarios on recorded data: what the records give, what the user assumes, and saving both.

The records of a period give the outcomes of the placements in it (every placement that was
running at some point in the period, with the destination it ended in, and outcomes known only for
a cohort that started in the period) and the cost of the places over the period. The parameter set
gives what one person's month in work or studies is worth to each actor. The engine
(:mod:`platsa.engine.scenario`) does the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, User
from platsa.common.permissions import require
from platsa.engine import ENGINE_VERSION
from platsa.engine.flows import NET, TaxView, outcome_values
from platsa.engine.occupancy import OccupancyResult
from platsa.engine.parameters import DatedValue, Parameter, ParameterSet
from platsa.engine.payback import PaybackInput, PaybackResult, payback
from platsa.engine.scenario import Assumptions, MonthlyValue, ScenarioFigures, evaluate
from platsa.impact.costs import cost_items
from platsa.impact.models import Scenario
from platsa.impact.parameters import municipality_parameters
from platsa.occupancy.selectors import agreement_periods_all
from platsa.placements.models import CohortOutcome, Placement
from platsa.placements.occupancy import Scope, occupancy_for, overlapping

WORK = ("employed_at_organisation", "employed_elsewhere")
DESTINATIONS = ("employment", "studies")


@dataclass(frozen=True)
class Recorded:
    """What the records and the parameter set gave for a period: the scenario's fixed inputs."""

    period_start: dt.date
    period_end: dt.date
    placements: int
    exits: dict[str, int]  # "employment", "studies"
    monthly_value: dict[str, dict[str, float]]  # destination → actor → SEK a month
    investment_sek: float  # the purchase of the places
    salary_sek: float
    valued_on: dt.date  # the date of the parameter values used
    parameters_digest: str
    # Every cost with who bears it (the purchase first); a scenario saved before full costs has
    # only the purchase.
    cost_items: list[dict[str, Any]] = field(default_factory=list)
    # Which deductions the tax counts (a scenario saved before it has the gross view; one saved
    # before the job tax credit counted does without it).
    tax: dict[str, bool] = field(
        default_factory=lambda: {"basic_deduction": False, "income_equalisation": False}
    )

    @property
    def tax_view(self) -> TaxView:
        return TaxView(**self.tax)

    @property
    def costs(self) -> dict[str, float]:
        """Cost per actor who bears one: the municipality at least."""
        if not self.cost_items:
            return {"municipality": self.investment_sek}
        out: dict[str, float] = {}
        for item in self.cost_items:
            out[item["actor"]] = out.get(item["actor"], 0.0) + float(item["amount_sek"])
        return out

    @property
    def full_costs_entered(self) -> bool:
        return len(self.cost_items) > 1

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["period_start"] = self.period_start.isoformat()
        out["period_end"] = self.period_end.isoformat()
        out["valued_on"] = self.valued_on.isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recorded:
        return cls(
            **{
                **data,
                "period_start": dt.date.fromisoformat(data["period_start"]),
                "period_end": dt.date.fromisoformat(data["period_end"]),
                "valued_on": dt.date.fromisoformat(data["valued_on"]),
            }
        )


def _with_salary(parameters: ParameterSet, salary: float, on: dt.date) -> ParameterSet:
    override = Parameter(
        "monthly_salary",
        "",
        "SEK/month",
        (DatedValue(on, salary, "scenario assumption"),),
        "scenario",
    )
    return parameters.with_overrides({"monthly_salary": override})


def _monthly_value(
    parameters: ParameterSet, on: dt.date, tax: TaxView
) -> dict[str, dict[str, float]]:
    values = outcome_values(parameters=parameters, on=on, tax=tax)
    return {d: dict(values[d].by_actor) for d in DESTINATIONS}


# The longest period a page or a report computes: beyond it, split the period.
MAX_PERIOD_YEARS = 10


def period_problem(municipality: Municipality, start: dt.date, end: dt.date) -> str | None:
    """Why a period cannot be valued, in Swedish words for the user; None when it can.

    A period is valued with the parameters in force on its last day (or today), so that day must
    lie within the parameters' history; and a period is at most ten years.
    """
    if end < start:
        return _("The end must not be before the start.")
    if (end - start).days > MAX_PERIOD_YEARS * 366:
        return _("Choose a period of at most %(n)s years.") % {"n": MAX_PERIOD_YEARS}
    first, parameter = municipality_parameters(municipality).earliest()
    if end < first:
        return _(
            "The parameters begin on %(date)s (%(parameter)s has no earlier value): choose a "
            "period that ends on that day or later."
        ) % {"date": first.isoformat(), "parameter": parameter.description or parameter.name}
    return None


def placements_in_period(municipality_id: int, start: dt.date, end: dt.date) -> list[Placement]:
    """Every placement running at some point between ``start`` and ``end``."""
    return list(
        Placement.objects.filter(participant__municipality_id=municipality_id).filter(
            overlapping(start, end)
        )
    )


@dataclass(frozen=True)
class Exit:
    """Leaving for work or studies: from a placement, or known only for a cohort."""

    last_day: dt.date  # of the placement, or of the cohort's period
    destination: str  # "employment" or "studies"
    count: int
    cohort: bool


def exits_of(
    municipality_id: int, placements: list[Placement], *, start: dt.date, end: dt.date
) -> list[Exit]:
    """The exits to work or studies of ``placements`` (those running in the period), and of the
    cohorts that started in the period: the one rule for every figure built on outcomes."""
    out = []
    for p in placements:
        if p.actual_end is not None and p.destination in (*WORK, "studies"):
            kind = "employment" if p.destination in WORK else "studies"
            out.append(Exit(p.actual_end, kind, 1, cohort=False))
    for outcome in CohortOutcome.objects.filter(
        procurement__municipality_id=municipality_id,
        period_start__range=(start, end),  # a cohort belongs to the period it started in
        destination__in=(*WORK, "studies"),
    ):
        kind = "employment" if outcome.destination in WORK else "studies"
        out.append(Exit(outcome.period_end, kind, outcome.count, cohort=True))
    return out


def recorded_for(
    municipality: Municipality,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    salary_sek: float | None = None,
    occupancy: OccupancyResult | None = None,
    tax: TaxView = NET,
) -> Recorded:
    """``occupancy``: the period's occupancy if the caller has it already (else computed).
    ``tax``: the municipal tax net of the basic deduction and the income equalisation by default;
    the gross view is ``GROSS``."""
    placements = placements_in_period(municipality.pk, start, end)
    exits = dict.fromkeys(DESTINATIONS, 0)
    for e in exits_of(municipality.pk, placements, start=start, end=end):
        exits[e.destination] += e.count
    on = min(end, today)
    parameters = municipality_parameters(municipality)
    if salary_sek is not None:
        parameters = _with_salary(parameters, salary_sek, on)
    if occupancy is None:
        occupancy, _ = occupancy_for(Scope(municipality.pk), start=start, end=end, as_of=today)
    items = cost_items(
        municipality,
        purchase_sek=occupancy.cost_sek,
        placements=len(placements),
        exits_to_work=exits.get("employment", 0),
        place_months=occupancy.capacity_place_months,
    )
    return Recorded(
        period_start=start,
        period_end=end,
        placements=len(placements),
        exits=exits,
        monthly_value=_monthly_value(parameters, on, tax),
        investment_sek=occupancy.cost_sek,
        salary_sek=parameters.value("monthly_salary", on=on),
        valued_on=on,
        parameters_digest=parameters.digest(),
        cost_items=[i.as_dict() for i in items],
        tax={
            "basic_deduction": tax.basic_deduction,
            "income_equalisation": tax.income_equalisation,
            "job_tax_credit": tax.job_tax_credit,
        },
    )


def figures(
    municipality: Municipality, recorded: Recorded, assumptions: Assumptions
) -> ScenarioFigures:
    """The engine's figures for these inputs; the salary swing uses the parameter set's flows."""
    on = recorded.valued_on
    base = municipality_parameters(municipality)

    def value_at_salary(salary: float) -> MonthlyValue:
        return _monthly_value(_with_salary(base, salary, on), on, recorded.tax_view)

    return evaluate(
        assumptions,
        exits=recorded.exits,
        monthly_value=recorded.monthly_value,
        investment_sek=sum(recorded.costs.values()),
        costs=recorded.costs,
        value_at_salary=value_at_salary,
        salary_sek=recorded.salary_sek,
    )


def scenario_list_for_user(user: User) -> list[Scenario]:
    require(user, "view_aggregates")
    return list(Scenario.objects.filter(municipality_id=user.municipality_id))


def scenario_get_for_user(user: User, pk: int) -> Scenario:
    require(user, "view_aggregates")
    return Scenario.objects.get(pk=pk, municipality_id=user.municipality_id)


@transaction.atomic
def scenario_save(
    user: User,
    *,
    name: str,
    note: str,
    start: dt.date,
    end: dt.date,
    assumptions: Assumptions,
    today: dt.date,
) -> Scenario:
    require(user, "save_scenarios")
    municipality = user.municipality
    assert municipality is not None
    recorded = recorded_for(
        municipality,
        start=start,
        end=end,
        today=today,
        salary_sek=assumptions.monthly_salary_sek,
        tax=assumptions.tax_view(),
    )
    result = figures(municipality, recorded, assumptions)
    scenario = Scenario(
        municipality=municipality,
        name=name,
        note=note,
        period_start=start,
        period_end=end,
        assumptions=assumptions.as_dict(),
        recorded=recorded.as_dict(),
        results=result.as_dict(),
        parameters_digest=recorded.parameters_digest,
        engine_version=ENGINE_VERSION,
        created_by=user,
    )
    scenario.full_clean()
    scenario.save()
    return scenario


def reproduce(scenario: Scenario) -> tuple[ScenarioFigures, bool]:
    """The saved inputs run again; True when every saved figure comes out the same."""
    figures_now = figures(
        scenario.municipality,
        Recorded.from_dict(scenario.recorded),
        Assumptions.from_dict(scenario.assumptions),
    )
    return figures_now, _same(figures_now.as_dict(), scenario.results)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return bool(a == b)


def default_period(municipality: Municipality, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The latest ended agreement year with a placement that went on to work or studies in it;
    else the latest ended year (or this year so far when none has ended)."""
    periods = sorted(
        p for p in agreement_periods_all(Scope(municipality.pk), today=today) if p[1] < today
    )
    if not periods:
        return today.replace(month=1, day=1), today
    for start, end in reversed(periods):
        if Placement.objects.filter(
            participant__municipality_id=municipality.pk,
            actual_end__range=(start, end),
            destination__in=(*WORK, "studies"),
        ).exists():
            return start, end
    return periods[-1]


def period_payback(
    occupancy: OccupancyResult,
    parameters: ParameterSet,
    *,
    on: dt.date,
    exits: Mapping[str, int],
    salary_sek: float | None = None,
    tax_override: float | None = None,
) -> PaybackResult | None:
    """Payback to the municipality (§5.4, Table 6) for a period's places as recorded: the average
    places in force over its months at their average price per place-month, so the investment is
    exactly what the places cost. None when no place was bought."""
    months = len(occupancy.months())
    if occupancy.capacity_place_months <= 0 or months == 0:
        return None
    return payback(
        PaybackInput(
            places=occupancy.capacity_place_months / months,
            price_per_place_month_sek=occupancy.cost_sek / occupancy.capacity_place_months,
            months=months,
            social_assistance_per_month_sek=parameters.value("social_assistance_per_month", on=on),
            monthly_salary_sek=(
                salary_sek if salary_sek is not None else parameters.value("monthly_salary", on=on)
            ),
            municipal_tax_share=parameters.value("municipal_tax_rate", on=on),
            employment=exits.get("employment", 0),
            studies=exits.get("studies", 0),
            municipal_tax_income_per_month_sek=tax_override,
        )
    )
