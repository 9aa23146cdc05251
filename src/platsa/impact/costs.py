"""The full cost of a period's places, per actor: the purchase, and what the municipality entered
beyond it (its coaches' time, the state's wage subsidies to the jobs obtained, the organisations'
own inputs), each with its source. Without entries only the purchase counts, and that is said."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from platsa.accounts.models import Municipality
from platsa.impact.models import FullCosts


@dataclass(frozen=True)
class CostItem:
    actor: str  # who pays: municipality | state | organisations
    item: str  # purchase | coach_time | wage_subsidy | organisation_inputs
    amount_sek: float
    source: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def cost_items(
    municipality: Municipality,
    *,
    purchase_sek: float,
    placements: int,
    exits_to_work: float,
    place_months: float,
) -> list[CostItem]:
    """Every cost of the period with who bears it; the purchase first."""
    items = [CostItem("municipality", "purchase", purchase_sek, "agreements and occupancy")]
    entered = FullCosts.objects.filter(municipality=municipality).first()
    if entered is None:
        return items
    if entered.coach_hours_per_placement is not None and entered.coach_hour_cost_sek is not None:
        items.append(
            CostItem(
                "municipality",
                "coach_time",
                placements
                * float(entered.coach_hours_per_placement)
                * float(entered.coach_hour_cost_sek),
                entered.staff_source,
            )
        )
    if (
        entered.wage_subsidy_share is not None
        and entered.wage_subsidy_per_month_sek is not None
        and entered.wage_subsidy_months is not None
    ):
        items.append(
            CostItem(
                "state",
                "wage_subsidy",
                exits_to_work
                * float(entered.wage_subsidy_share)
                * float(entered.wage_subsidy_per_month_sek)
                * entered.wage_subsidy_months,
                entered.subsidy_source,
            )
        )
    if entered.organisation_inputs_per_place_month_sek is not None:
        items.append(
            CostItem(
                "organisations",
                "organisation_inputs",
                place_months * float(entered.organisation_inputs_per_place_month_sek),
                entered.organisation_source,
            )
        )
    return items


def costs_by_actor(items: list[CostItem]) -> dict[str, float]:
    out: dict[str, float] = {}
    for i in items:
        out[i.actor] = out.get(i.actor, 0.0) + i.amount_sek
    return out
