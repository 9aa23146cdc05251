"""Procured places against in-house places and other measures, and payment models, on a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from platsa.accounts.models import Municipality, User
from platsa.common.permissions import require
from platsa.engine.alternatives import Comparison, compare
from platsa.engine.payment import ModelResult
from platsa.impact.models import Alternative
from platsa.impact.scenarios import Recorded, recorded_for
from platsa.occupancy.selectors import payment_models_for
from platsa.placements.occupancy import Scope, occupancy_for


@dataclass(frozen=True)
class AlternativesComparison:
    start: dt.date
    end: dt.date
    place_months: float
    occupied_place_months: float
    utilisation: float | None
    rows: list[tuple[Comparison, Alternative | None]]  # None: the procured places
    payment_models: dict[str, ModelResult]
    participants: int = 0  # the recorded counts the procured row's shares rest on
    exits_to_work: int = 0


def alternative_list_for_user(user: User) -> QuerySet[Alternative]:
    require(user, "view_aggregates")
    return Alternative.objects.filter(municipality_id=user.municipality_id)


def comparison_for(
    municipality: Municipality,
    alternatives: list[Alternative],
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    recorded: Recorded | None = None,
) -> AlternativesComparison | None:
    """None when no place was bought in the period. ``recorded``: if the caller has it already."""
    result, agreements = occupancy_for(Scope(municipality.pk), start=start, end=end, as_of=today)
    if recorded is None:
        recorded = recorded_for(municipality, start=start, end=end, today=today, occupancy=result)
    if result.capacity_place_months <= 0:
        return None
    rows = compare(
        procured_cost_sek=result.cost_sek,
        place_months=result.capacity_place_months,
        occupied_place_months=result.occupied_place_months,
        participants=recorded.placements,
        exits_to_work=recorded.exits["employment"],
        alternatives=[
            (
                a.name,
                a.per_place_month_sek(),
                None if a.share_to_work is None else float(a.share_to_work),
            )
            for a in alternatives
        ],
    )
    return AlternativesComparison(
        start=start,
        end=end,
        place_months=result.capacity_place_months,
        occupied_place_months=result.occupied_place_months,
        utilisation=result.utilisation,
        rows=list(zip(rows, [None, *alternatives], strict=True)),
        payment_models=payment_models_for(result, agreements),
        participants=recorded.placements,
        exits_to_work=recorded.exits["employment"],
    )
