"""One payback story: the three ways platsa (and the evaluation report) count payback, side by side.

1. *The rule of thumb* (report §5.4, Table 6): the period's cost divided by a year's value of its
   exits to the municipality, valued at full months from the first day. The report rounds the
   municipal tax on 24,000 kr at 22 % to 5,500 kr (it is 5,280): both are shown.
2. *SROI payback*: the cost divided by the first year's value after deadweight, attribution and
   displacement, per view (the municipality's budget, society), from the simulation.
3. *Payback of the period's cost from its recorded outcomes*: the month in which the cumulative
   value to the municipality of the period's exits, counted from the month each happened, passes
   what the period's places cost (the value page's chart).

They differ in what counts as value (gross or after deadweight…), from when it is counted (at
once, or from each exit's month) and for whom (the municipality or everyone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from platsa.accounts.models import Municipality
from platsa.engine.occupancy import OccupancyResult
from platsa.engine.payback import PaybackResult
from platsa.impact.dashboard import ValueDashboard
from platsa.impact.parameters import municipality_parameters
from platsa.impact.scenarios import Recorded, period_payback

# The evaluation report's rounding of the municipal tax on a 24,000 kr salary (§5.4).
REPORT_TAX_ROUNDING_SEK = 5_500.0


@dataclass(frozen=True)
class PaybackStory:
    cost_sek: float
    exits_to_work: int
    rule: PaybackResult | None  # with the parameter set's exact tax
    rule_as_report: PaybackResult | None  # with the report's 5,500 kr rounding
    sroi_months: dict[str, dict[str, float | None]]  # view → median, p5, p95 (None: never)
    period_payback_date: dt.date | None
    period_months_followed: int | None

    @property
    def cost_per_person_in_work_sek(self) -> float | None:
        """What the period's places cost for each person who went on to work."""
        return None if self.exits_to_work == 0 else self.cost_sek / self.exits_to_work

    @property
    def months_in_work_to_repay_one(self) -> float | None:
        """Months a person must stay in work for their share of the cost to come back."""
        per_person = self.cost_per_person_in_work_sek
        if per_person is None or self.rule is None or self.rule.monthly_value_employment_sek <= 0:
            return None
        return per_person / self.rule.monthly_value_employment_sek

    @property
    def rule_of_thumb_investment_sek(self) -> float | None:
        """Table 6 at full occupancy: the investment per placement of the shortest length."""
        if self.rule is None or not self.rule.rule_of_thumb:
            return None
        return self.rule.rule_of_thumb[0].investment_per_individual_sek

    @property
    def rule_of_thumb_months(self) -> int | None:
        if self.rule is None or not self.rule.rule_of_thumb:
            return None
        return self.rule.rule_of_thumb[0].placement_months


def payback_story(
    municipality: Municipality,
    recorded: Recorded,
    *,
    occupancy: OccupancyResult,
    sroi: dict[str, Any] | None,
    dashboard: ValueDashboard | None,
) -> PaybackStory:
    parameters = municipality_parameters(municipality)

    def rule(tax_override: float | None) -> PaybackResult | None:
        return period_payback(
            occupancy,
            parameters,
            on=recorded.valued_on,
            exits=recorded.exits,
            salary_sek=recorded.salary_sek,
            tax_override=tax_override,
        )

    return PaybackStory(
        cost_sek=recorded.investment_sek,
        exits_to_work=int(recorded.exits.get("employment", 0)),
        rule=rule(None),
        rule_as_report=rule(REPORT_TAX_ROUNDING_SEK),
        sroi_months={
            name: view["payback_months"] for name, view in (sroi or {}).get("views", {}).items()
        },
        period_payback_date=dashboard.payback_date if dashboard is not None else None,
        period_months_followed=dashboard.months if dashboard is not None else None,
    )
