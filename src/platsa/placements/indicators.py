"""The three levels' indicators (engine/indicators.py) from the municipality's recorded data."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

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
from platsa.placements.models import CohortOutcome, ExitCheck, Placement, ScopeStep
from platsa.procurement.models import Agreement

FULL_TIME_HOURS = 40.0


def _hours_a_week(step: ScopeStep) -> float | None:
    if step.hours_per_day is not None and step.days_per_week is not None:
        return float(step.hours_per_day) * step.days_per_week
    if step.percent is not None:
        return FULL_TIME_HOURS * step.percent / 100
    return None


def _record(p: Placement) -> PlacementRecord:
    hours = [h for h in (_hours_a_week(s) for s in p.scope_steps.all()) if h is not None]
    series = [
        (a.date, {s.scale.code: s.value for s in a.scores.all()}) for a in p.assessments.all()
    ]
    skills = [x for x in progression(series, thresholds={"work_skills": 2}) if len(x.points) >= 2]
    return PlacementRecord(
        organisation=p.organisation.name,
        start=p.start_date,
        end=p.actual_end,
        destination=p.destination,
        checks={c.months_after: c.status for c in p.exit_checks.all() if c.status},
        hours_first=hours[0] if hours else None,
        hours_latest=hours[-1] if len(hours) > 1 else None,
        work_skills_improved=(skills[0].change >= skills[0].threshold) if skills else None,
    )


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
    placements = scoped.select_related("organisation").prefetch_related(
        Prefetch("scope_steps", queryset=ScopeStep.objects.order_by("valid_from")),
        Prefetch("exit_checks", queryset=ExitCheck.objects.all()),
        "assessments__scores__scale",
    )
    records = [_record(p) for p in placements]
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
