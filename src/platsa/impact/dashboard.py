"""Value created over time from recorded data (the report's Figures 12–13), who gains and who pays,
and the payback rule of thumb at the municipality's own prices.

Everything is computed by the engine from recorded placements, agreements and the dated parameter
set; the two assumptions the records cannot give — what would have happened anyway (baseline) and
how many return to assistance (drop-off) — are ranges shown on the page (platsa's defaults are
documented as assumptions in docs/method/value-over-time.md), applied to both lines alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from platsa.accounts.models import Municipality, User
from platsa.common.permissions import require
from platsa.engine.distributions import Triangular
from platsa.engine.flows import ACTORS, NET, TaxView, outcome_values
from platsa.engine.occupancy import OccupancyResult, add_months
from platsa.engine.parameters import ParameterSet
from platsa.engine.payback import PaybackResult
from platsa.engine.valuetime import (
    CohortCurves,
    ValueOverTimeInput,
    monthly_to_rate,
    payback_band,
    value_over_time,
)
from platsa.impact.parameters import municipality_parameters
from platsa.impact.scenarios import exits_of, period_payback, placements_in_period
from platsa.placements.occupancy import Scope, occupancy_for


@dataclass(frozen=True)
class ValueDashboard:
    first_month: dt.date
    months: int
    cohort_size: int
    exits_to_work: int
    exits_to_studies: int
    cohort_studies_placed_at: dt.date | None
    curves: CohortCurves  # at the chosen (most likely) rates
    cumulative_value: dict[str, list[float]]  # actor → per month, both destinations
    cumulative_cost: list[float]
    payback_month: int | None  # at the chosen rates
    observed_months: int  # months with recorded outcomes; a projection after them
    band: dict[str, list[float]]  # "p5", "p50", "p95": the municipality's cumulative value
    payback_months_band: dict[str, int | None]  # "p5", "p50", "p95" over the draws (None: never)
    draws: int
    monthly_value: dict[str, dict[str, float]]  # destination → actor → SEK a month
    parameters_digest: str
    rule_of_thumb: PaybackResult | None
    baseline: tuple[float, float, float]  # a year: low, most likely, high
    drop_off: tuple[float, float, float]
    # The period's places as read for the cost (up to ``counted_until``): a page showing the same
    # period's occupancy reuses it rather than reading it again.
    occupancy: OccupancyResult | None = None
    counted_until: dt.date | None = None

    @property
    def payback_date(self) -> dt.date | None:
        """The month the municipality's cumulative value passes the cost: the median of the
        draws, the headline (the value at the chosen rates is ``payback_month``)."""
        month = self.payback_months_band.get("p50")
        return None if month is None else add_months(self.first_month, month)

    @property
    def payback_date_band(self) -> tuple[dt.date | None, dt.date | None]:
        """The 90 % band of the payback month (None: not within the months followed)."""
        return tuple(  # type: ignore[return-value]
            None if m is None else add_months(self.first_month, m)
            for m in (self.payback_months_band.get("p5"), self.payback_months_band.get("p95"))
        )

    @property
    def off_assistance(self) -> dict[str, list[float]]:
        """People off assistance month by month, with the placements and without (Figure 12)."""
        return {
            "outcome": self.curves.off_outcome[0].tolist(),
            "baseline": self.curves.off_baseline[0].tolist(),
        }

    @property
    def month_labels(self) -> list[str]:
        """``YYYY-MM`` for each month followed, for the chart and the workbook."""
        return [add_months(self.first_month, i).strftime("%Y-%m") for i in range(self.months)]

    @property
    def totals(self) -> dict[str, float]:
        return {
            actor: values[-1] if values else 0.0 for actor, values in self.cumulative_value.items()
        }


# Leaving assistance anyway and returning to it, a year: low, most likely, high (docs/method).
DEFAULT_BASELINE = (0.0, 0.05, 0.15)
DEFAULT_DROP_OFF = (0.0, 0.20, 0.40)


def _month_index(first: dt.date, day: dt.date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


@dataclass(frozen=True)
class ValueInputs:
    """What the records give the value-over-time engine for one municipality and period."""

    inputs: ValueOverTimeInput
    occupancy: OccupancyResult  # the period's places, up to today
    parameters: ParameterSet
    first_month: dt.date
    end: dt.date  # the last day counted: the period's, today's or the horizon's, the earliest
    exits_to_work: int
    exits_to_studies: int
    cohort_studies_placed_at: dt.date | None
    monthly_value: dict[str, dict[str, float]]


def triangular_rate(values: tuple[float, float, float]) -> Triangular:
    low, likely, high = (monthly_to_rate(v) for v in values)
    return Triangular(low, likely, high)


def value_inputs(
    municipality: Municipality,
    *,
    today: dt.date,
    period: tuple[dt.date, dt.date],
    horizon_months: int = 60,
    baseline: tuple[float, float, float] = DEFAULT_BASELINE,
    drop_off: tuple[float, float, float] = DEFAULT_DROP_OFF,
    tax: TaxView = NET,
) -> ValueInputs | None:
    """The placements running in ``period``, the cost of the places in it, and their exits (and
    those of cohorts that started in it) month by month from its first month: the one reading of
    the records that the value page and the regional view share. None: nothing to value."""
    start, period_end = period
    if start > today:
        return None  # a period that has not begun has no cost or outcome yet
    placements = placements_in_period(municipality.pk, start, period_end)
    if not placements:
        return None
    first = start.replace(day=1)
    exits = {"employment": np.zeros(horizon_months), "studies": np.zeros(horizon_months)}
    # An outcome known only for the cohort is placed at the end of its period: an explicit, shown
    # choice; a placement's from the month after its last day.
    studies_at = None
    for e in exits_of(municipality.pk, placements, start=start, end=period_end):
        i = _month_index(first, e.last_day) + 1
        if 0 <= i < horizon_months:
            exits[e.destination][i] += e.count
            if e.cohort:
                studies_at = add_months(first, i)
    parameters = municipality_parameters(municipality)
    values = outcome_values(
        # The period's own values, as the rest of the report uses them (not today's): the
        # parameters in force on its last day, or today if that is earlier.
        parameters=parameters,
        on=min(today, period_end),
        tax=tax,
    )
    monthly = {d: dict(values[d].by_actor) for d in ("employment", "studies")}
    end = min(today, add_months(first, horizon_months) - dt.timedelta(days=1), period_end)
    result, _agreements = occupancy_for(Scope(municipality.pk), start=start, end=end, as_of=today)
    cost = [m.cost_sek for m in result.months()][:horizon_months]
    # The cohort's outcomes are seen while its placements run (and their ends are recorded), up to
    # today; after the last of them, those who did not leave are followed no further, so the
    # curves are a projection in which they leave at the baseline rate with or without placement.
    last_seen = max(
        [period_end, *(p.actual_end or today for p in placements)],
    )
    observed = min(horizon_months, max(0, _month_index(first, min(last_seen, today)) + 1))
    inputs = ValueOverTimeInput(
        cohort_size=float(len(placements)),
        exits_by_month={d: e.tolist() for d, e in exits.items()},
        monthly_value_per_person=monthly,
        monthly_cost=cost,
        months=horizon_months,
        observed_months=observed,
        baseline_exit_probability=triangular_rate(baseline),
        monthly_return_probability=triangular_rate(drop_off),
    )
    return ValueInputs(
        inputs=inputs,
        occupancy=result,
        parameters=parameters,
        first_month=first,
        end=end,
        exits_to_work=int(exits["employment"].sum()),
        exits_to_studies=int(exits["studies"].sum()),
        cohort_studies_placed_at=studies_at,
        monthly_value=monthly,
    )


def value_dashboard(
    user: User,
    *,
    today: dt.date,
    horizon_months: int = 60,
    baseline: tuple[float, float, float] = DEFAULT_BASELINE,
    drop_off: tuple[float, float, float] = DEFAULT_DROP_OFF,
    period: tuple[dt.date, dt.date],
    draws: int = 2000,
    seed: int = 1,
    tax: TaxView = NET,
) -> ValueDashboard | None:
    """The period's value over time for the user's municipality (``value_inputs``).

    ``baseline`` (leaving assistance anyway) and ``drop_off`` (returning) are shares a year as
    low, most likely and high; the curves are drawn at the most likely values, and the band and
    the headline payback month come from ``draws`` seeded draws over the ranges."""
    require(user, "view_aggregates")
    assert user.municipality is not None
    read = value_inputs(
        user.municipality,
        today=today,
        period=period,
        horizon_months=horizon_months,
        baseline=baseline,
        drop_off=drop_off,
        tax=tax,
    )
    if read is None:
        return None
    inputs, result, parameters, end = read.inputs, read.occupancy, read.parameters, read.end
    cost = inputs.monthly_cost
    curves = value_over_time(inputs)  # at the most likely rates
    drawn = value_over_time(inputs, draws=draws, rng=np.random.default_rng(seed))
    cumulative = {actor: v[0].tolist() for actor, v in curves.cumulative_value_by_actor.items()}
    for actor in ACTORS:
        cumulative.setdefault(actor, [0.0] * horizon_months)
    cum_cost = np.cumsum(
        np.pad(np.array(cost, dtype=float), (0, horizon_months - len(cost)))
    ).tolist()
    municipality_draws = drawn.cumulative_value_by_actor.get(
        "municipality", np.zeros((draws, horizon_months))
    )
    p5, p50, p95 = np.percentile(municipality_draws, [5, 50, 95], axis=0)
    # The rule of thumb does not depend on the exits: only on the price and a month in work.
    rule = period_payback(result, parameters, on=end, exits={})
    return ValueDashboard(
        first_month=read.first_month,
        months=horizon_months,
        cohort_size=int(inputs.cohort_size),
        exits_to_work=read.exits_to_work,
        exits_to_studies=read.exits_to_studies,
        cohort_studies_placed_at=read.cohort_studies_placed_at,
        curves=curves,
        cumulative_value=cumulative,
        cumulative_cost=cum_cost,
        payback_month=curves.payback_month_municipality[0],
        observed_months=inputs.observed_months or 0,
        band={"p5": p5.tolist(), "p50": p50.tolist(), "p95": p95.tolist()},
        payback_months_band=payback_band(drawn.payback_month_municipality, horizon_months),
        draws=draws,
        monthly_value=read.monthly_value,
        parameters_digest=parameters.digest()[:12],
        rule_of_thumb=rule,
        baseline=baseline,
        drop_off=drop_off,
        occupancy=result,
        counted_until=end,
    )
