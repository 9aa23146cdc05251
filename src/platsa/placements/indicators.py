"""The three levels' indicators (engine/indicators.py) from the municipality's recorded data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.permissions import require
from platsa.engine.indicators import (
    MunicipalityIndicators,
    OrganisationIndicators,
    PlacementRecord,
    municipality_indicators,
    organisation_indicators,
)
from platsa.engine.progression import progression
from platsa.placements.models import (
    AssessmentScore,
    CohortOutcome,
    ExitCheck,
    Placement,
    ScopeStep,
)
from platsa.procurement.models import Agreement

FULL_TIME_HOURS = 40.0


def _hours_a_week(
    hours_per_day: Decimal | None, days_per_week: int | None, percent: int | None
) -> float | None:
    if hours_per_day is not None and days_per_week is not None:
        return float(hours_per_day) * days_per_week
    if percent is not None:
        return FULL_TIME_HOURS * percent / 100
    return None


def _records(placements: QuerySet[Placement]) -> list[PlacementRecord]:
    """Each placement as the engine's record, from tuples: one query per kind of row, the ids
    as subqueries, no model object per row of the history."""
    ids = placements.values("pk")
    hours: dict[int, list[float]] = {}
    for pk, per_day, days, percent in (
        ScopeStep.objects.filter(placement__in=ids)
        .order_by("placement_id", "valid_from", "pk")
        .values_list("placement_id", "hours_per_day", "days_per_week", "percent")
    ):
        h = _hours_a_week(per_day, days, percent)
        if h is not None:
            hours.setdefault(pk, []).append(h)
    checks: dict[int, dict[int, str]] = {}
    for pk, months, status in ExitCheck.objects.filter(placement__in=ids).values_list(
        "placement_id", "months_after", "status"
    ):
        if status:
            checks.setdefault(pk, {})[months] = status
    series: dict[int, dict[int, tuple[dt.date, dict[str, int]]]] = {}
    for pk, assessment, day, code, value in (
        AssessmentScore.objects.filter(assessment__placement__in=ids)
        .order_by("assessment__date", "assessment_id")
        .values_list(
            "assessment__placement_id", "assessment_id", "assessment__date", "scale__code", "value"
        )
    ):
        series.setdefault(pk, {}).setdefault(assessment, (day, {}))[1][code] = value
    records = []
    for pk, organisation, start, end, destination in placements.values_list(
        "pk", "organisation__name", "start_date", "actual_end", "destination"
    ):
        h = hours.get(pk, [])
        skills = [
            x
            for x in progression(list(series.get(pk, {}).values()), thresholds={"work_skills": 2})
            if len(x.points) >= 2
        ]
        records.append(
            PlacementRecord(
                organisation=organisation,
                start=start,
                end=end,
                destination=destination,
                checks=checks.get(pk, {}),
                hours_first=h[0] if h else None,
                hours_latest=h[-1] if len(h) > 1 else None,
                work_skills_improved=(skills[0].change >= skills[0].threshold) if skills else None,
            )
        )
    return records


def indicators_for(
    user: User, *, started_from: dt.date | None = None, started_to: dt.date | None = None
) -> tuple[MunicipalityIndicators, list[OrganisationIndicators]]:
    """Indicators over the municipality's placements, or those that started within a period."""
    require(user, "view_aggregates")
    scoped = Placement.objects.filter(participant__municipality_id=user.municipality_id)
    if started_from is not None:
        scoped = scoped.filter(start_date__gte=started_from)
    if started_to is not None:
        scoped = scoped.filter(start_date__lte=started_to)
    records = _records(scoped)
    places: dict[str, int] = {}
    for agreement in (
        Agreement.objects.filter(organisation__municipality_id=user.municipality_id)
        .select_related("organisation")
        .prefetch_related("place_counts")
    ):
        history = agreement.place_count_history()
        if history:
            places[agreement.organisation.name] = max(
                places.get(agreement.organisation.name, 0), max(c.places for c in history)
            )
    cohort: dict[str, int] = {}
    for outcome in CohortOutcome.objects.filter(procurement__municipality_id=user.municipality_id):
        cohort[outcome.destination] = cohort.get(outcome.destination, 0) + outcome.count
    return (
        municipality_indicators(records, cohort_outcomes=cohort, today=today()),
        organisation_indicators(records, places=places),
    )
