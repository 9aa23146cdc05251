"""Value created over time from recorded data (the report's Figures 12–13), who gains and who pays,
and the payback rule of thumb at the municipality's own prices.

Everything is computed by the engine from recorded placements, agreements and the dated parameter
set; the two assumptions the records cannot give — what would have happened anyway (baseline) and
how many return to assistance (drop-off) — are inputs shown on the page, zero by default as in the
report (which had no counterfactual and said so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from platsa.accounts.models import User
from platsa.common.permissions import require
from platsa.engine.flows import ACTORS, outcome_values
from platsa.engine.occupancy import add_months
from platsa.engine.parameters import default_parameters
from platsa.engine.payback import PaybackResult
from platsa.engine.valuetime import CohortCurves, ValueOverTimeInput, value_over_time
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
    curves: dict[str, CohortCurves]  # "work", "studies"
    cumulative_value: dict[str, list[float]]  # actor → per month, both destinations
    cumulative_cost: list[float]
    payback_month: int | None
    monthly_value: dict[str, dict[str, float]]  # destination → actor → SEK a month
    parameters_digest: str
    rule_of_thumb: PaybackResult | None
    baseline: float
    drop_off: float

    @property
    def payback_date(self) -> dt.date | None:
        return (
            None if self.payback_month is None else add_months(self.first_month, self.payback_month)
        )

    @property
    def month_labels(self) -> list[str]:
        """``YYYY-MM`` for each month followed, for the chart and the workbook."""
        return [add_months(self.first_month, i).strftime("%Y-%m") for i in range(self.months)]

    @property
    def totals(self) -> dict[str, float]:
        return {
            actor: values[-1] if values else 0.0 for actor, values in self.cumulative_value.items()
        }


def _month_index(first: dt.date, day: dt.date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def value_dashboard(
    user: User,
    *,
    today: dt.date,
    horizon_months: int = 60,
    baseline: float = 0.0,
    drop_off: float = 0.0,
    period: tuple[dt.date, dt.date],
) -> ValueDashboard | None:
    """The placements running in ``period``, the cost of the places in it, and the value of
    their exits (and of cohorts that started in it) month by month from its first month."""
    require(user, "view_aggregates")
    assert user.municipality is not None
    start, period_end = period
    placements = placements_in_period(user.municipality_id, start, period_end)
    if not placements:
        return None
    first = start.replace(day=1)
    exits = {"work": np.zeros(horizon_months), "studies": np.zeros(horizon_months)}
    # An outcome known only for the cohort is placed at the end of its period: an explicit, shown
    # choice; a placement's from the month after its last day.
    studies_at = None
    for e in exits_of(user.municipality_id, placements, start=start, end=period_end):
        i = _month_index(first, e.last_day) + 1
        if 0 <= i < horizon_months:
            exits["work" if e.destination == "employment" else "studies"][i] += e.count
            if e.cohort:
                studies_at = add_months(first, i)
    parameters = default_parameters(user.municipality.code)
    values = outcome_values(parameters=parameters, on=min(today, add_months(first, horizon_months)))
    monthly = {d: values[d].by_actor for d in ("employment", "studies")}
    end = min(today, add_months(first, horizon_months) - dt.timedelta(days=1), period_end)
    result, _agreements = occupancy_for(
        Scope(user.municipality_id), start=start, end=end, as_of=today
    )
    cost = [m.cost_sek for m in result.months()][:horizon_months]
    curves = {}
    for key, destination in (("work", "employment"), ("studies", "studies")):
        curves[key] = value_over_time(
            ValueOverTimeInput(
                cohort_size=float(len(placements)),
                exits_by_month=exits[key].tolist(),
                monthly_value_per_person=monthly[destination],
                monthly_cost=cost,
                months=horizon_months,
                baseline_exit_probability=baseline if key == "work" else 0.0,
                monthly_return_probability=drop_off,
            )
        )
    cumulative = {
        actor: (
            curves["work"].cumulative_value_by_actor[actor][0]
            + curves["studies"].cumulative_value_by_actor[actor][0]
        ).tolist()
        for actor in ACTORS
    }
    cum_cost = np.cumsum(
        np.pad(np.array(cost, dtype=float), (0, horizon_months - len(cost)))
    ).tolist()
    reached = [
        i
        for i, (v, c) in enumerate(zip(cumulative["municipality"], cum_cost, strict=True))
        if c > 0 and v >= c
    ]
    # The rule of thumb does not depend on the exits: only on the price and a month in work.
    rule = period_payback(result, parameters, on=end, exits={})
    return ValueDashboard(
        first_month=first,
        months=horizon_months,
        cohort_size=len(placements),
        exits_to_work=int(exits["work"].sum()),
        exits_to_studies=int(exits["studies"].sum()),
        cohort_studies_placed_at=studies_at,
        curves=curves,
        cumulative_value=cumulative,
        cumulative_cost=cum_cost,
        payback_month=reached[0] if reached else None,
        monthly_value=monthly,
        parameters_digest=parameters.digest()[:12],
        rule_of_thumb=rule,
        baseline=baseline,
        drop_off=drop_off,
    )
