"""The occupancy of the places bought: the engine's day-by-day count over the recorded placements.

The single definition every page uses (the occupancy overview, free places, the place finder,
the capacity check when placing, the value pages): database rows become the engine's specs here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Q

from platsa.engine.occupancy import OccupancyResult, PlacementSpec, occupancy
from platsa.placements.models import Attendance, Placement, ScopeStep
from platsa.procurement.models import Agreement


def overlapping(start: dt.date, end: dt.date) -> Q:
    """Placements that ran on some day of ``start``–``end`` (open ones run on)."""
    return Q(start_date__lte=end) & (Q(actual_end__isnull=True) | Q(actual_end__gte=start))


@dataclass(frozen=True)
class Scope:
    """Which municipality, and within it which organisation or agreement, to compute for."""

    municipality_id: int
    organisation_id: int | None = None
    agreement_id: int | None = None


def agreements_in_scope(scope: Scope) -> list[Agreement]:
    qs = Agreement.objects.filter(organisation__municipality_id=scope.municipality_id)
    if scope.organisation_id is not None:
        qs = qs.filter(organisation_id=scope.organisation_id)
    if scope.agreement_id is not None:
        qs = qs.filter(pk=scope.agreement_id)
    return list(
        qs.select_related("organisation")
        .prefetch_related("place_counts")
        .order_by("organisation__name", "start_date")
    )


def occupancy_for(
    scope: Scope, *, start: dt.date, end: dt.date, as_of: dt.date
) -> tuple[OccupancyResult, list[Agreement]]:
    agreements = agreements_in_scope(scope)
    without_agreement = Placement.objects.filter(
        participant__municipality_id=scope.municipality_id, agreement__isnull=True
    )
    if scope.organisation_id is not None:
        without_agreement = without_agreement.filter(organisation_id=scope.organisation_id)
    if scope.agreement_id is not None:
        without_agreement = without_agreement.none()
    # Only the placements that overlap the period: the rest add nothing to any day of it. The
    # rows come as tuples (no model objects) and the ids as subqueries (no IN lists).
    in_period = (
        Placement.objects.filter(agreement_id__in=[a.pk for a in agreements]) | without_agreement
    ).filter(overlapping(start, end))
    ids = in_period.values("pk")
    steps: dict[int, list[tuple[dt.date, float]]] = {}
    for placement_id, since, per_week in ScopeStep.objects.filter(
        placement__in=ids, days_per_week__isnull=False, valid_from__lte=end
    ).values_list("placement_id", "valid_from", "days_per_week"):
        steps.setdefault(placement_id, []).append((since, float(per_week)))
    attendance: dict[int, list[tuple[dt.date, bool]]] = {}
    for placement_id, day, status in Attendance.objects.filter(
        placement__in=ids, date__range=(start, end)
    ).values_list("placement_id", "date", "status"):
        attendance.setdefault(placement_id, []).append((day, status == "present"))
    specs = [
        PlacementSpec(
            pk,
            agreement_id,
            first,
            last,
            planned,
            place_id,
            scope_days_per_week=tuple(steps.get(pk, ())),
            attendance=tuple(attendance.get(pk, ())),
        )
        for pk, agreement_id, place_id, first, last, planned in in_period.values_list(
            "pk", "agreement_id", "place_id", "start_date", "actual_end", "planned_end"
        )
    ]
    result = occupancy(
        agreements=[a.spec() for a in agreements],
        placements=specs,
        start=start,
        end=end,
        as_of=as_of,
    )
    return result, agreements


@dataclass(frozen=True)
class FreePlace:
    agreement: Agreement
    free_now: int
    free_within_30_days: int
    first_free_day: dt.date | None


def free_places(scope: Scope, *, today: dt.date) -> list[FreePlace]:
    """Places free today and within 30 days, per agreement in force (open placements hold theirs)."""
    result, agreements = occupancy_for(
        scope, start=today, end=today + dt.timedelta(days=30), as_of=today
    )
    rows = []
    free = np.maximum(result.capacity - result.occupied, 0)
    for i, agreement in enumerate(agreements):
        if result.capacity[i].max() == 0:
            continue
        days_free = np.nonzero(free[i] > 0)[0]
        first = None if len(days_free) == 0 else (today + dt.timedelta(days=int(days_free[0])))
        rows.append(FreePlace(agreement, int(free[i, 0]), int(free[i].max()), first))
    return rows
