"""Reads for placements, always scoped by municipality, organisation and role."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from platsa.accounts.models import Role, User
from platsa.common.permissions import can, count_threshold, require
from platsa.engine.matching import Candidate, Match, Preferences, rank_places
from platsa.engine.privacy import CountCell, group_counts
from platsa.engine.progression import ScaleProgress, progression
from platsa.engine.quality import (
    PlacementFacts,
    PlacementFlag,
    PlacementStatus,
    placement_flags,
    placement_status,
)
from platsa.placements.access import access_check, access_note
from platsa.placements.models import (
    CohortOutcome,
    Destination,
    Participant,
    Placement,
    PlacementPause,
)
from platsa.placements.occupancy import Scope, free_places


def status_q(status: PlacementStatus, *, on: dt.date) -> Q:
    """The database filter for a status; must agree with :func:`engine.quality.placement_status`."""
    if status == PlacementStatus.PLANNED:
        return Q(start_date__gt=on)
    if status == PlacementStatus.ENDED:
        return Q(actual_end__lt=on)
    return Q(start_date__lte=on) & (Q(actual_end__isnull=True) | Q(actual_end__gte=on))


def placement_list_for_user(
    user: User,
    *,
    organisation_id: int | None = None,
    status: PlacementStatus | None = None,
    on: dt.date,
) -> QuerySet[Placement]:
    """Placements the user may list. A supervisor lists only their own organisation's."""
    require(user, "view_placements")
    qs = Placement.objects.filter(participant__municipality_id=user.municipality_id)
    if user.role == Role.SUPERVISOR:
        qs = qs.filter(organisation_id=user.organisation_id)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if status is not None:
        qs = qs.filter(status_q(status, on=on))
    return qs.select_related("participant", "organisation", "agreement", "place")


def placement_get_for_user(user: User, pk: int, *, on: dt.date) -> Placement:
    """One placement, if the user may open it.

    A supervisor opens only placements at their own organisation that are current (planned or
    ongoing): supervision needs no more. Anything else is a 404, so nothing leaks.
    """
    qs = placement_list_for_user(user, on=on)
    if user.role == Role.SUPERVISOR:
        qs = qs.exclude(status_q(PlacementStatus.ENDED, on=on))
    try:
        placement = qs.get(pk=pk)
    except Placement.DoesNotExist:
        raise Http404 from None
    access_check(user, placement.participant)
    access_note([placement.participant])
    return placement


def participant_in_municipality(user: User, pk: int) -> Participant:
    """One participant of the user's municipality, else a 404; nothing checked or logged (for
    the page that asks a coach for a reason before anything is shown)."""
    participant = Participant.objects.filter(pk=pk, municipality_id=user.municipality_id).first()
    if participant is None:
        raise Http404
    return participant


def participant_get_for_user(user: User, pk: int) -> Participant:
    """One participant of the user's municipality (the caller checks the role), else a 404;
    outside a coach's caseload only with a reason stated; noted for the access log."""
    participant = participant_in_municipality(user, pk)
    access_check(user, participant)
    access_note([participant])
    return participant


@dataclass(frozen=True)
class PlacementRow:
    placement: Placement
    status: PlacementStatus
    flags: tuple[PlacementFlag, ...]
    can_open: bool


def placement_rows(
    user: User, placements: QuerySet[Placement], *, on: dt.date
) -> list[PlacementRow]:
    rows = []
    for p in placements:
        status = placement_status(start=p.start_date, actual_end=p.actual_end, as_of=on)
        can_open = user.role != Role.SUPERVISOR or status != PlacementStatus.ENDED
        rows.append(PlacementRow(p, status, placement_flags(p.facts(), as_of=on), can_open))
    return rows


@dataclass(frozen=True)
class PlacementAggregates:
    total: CountCell
    by_status: dict[str, CountCell]
    by_destination: dict[str, CountCell]
    by_organisation: dict[str, CountCell]
    cohort_outcomes: dict[str, CountCell]
    flagged: CountCell
    threshold: int

    @property
    def destination_rows(self) -> list[tuple[str, CountCell]]:
        return [(str(Destination(k).label), c) for k, c in self.by_destination.items()]

    @property
    def cohort_rows(self) -> list[tuple[str, CountCell]]:
        return [(str(Destination(k).label), c) for k, c in self.cohort_outcomes.items()]


def placement_facts(placements: QuerySet[Placement]) -> list[tuple[int, str, PlacementFacts]]:
    """Each placement's id, organisation and facts, read as tuples in one query (the same facts
    as ``Placement.facts``, without building a model object for every row of the history)."""
    return [
        (
            pk,
            organisation,
            PlacementFacts(
                start=start,
                planned_end=planned,
                actual_end=actual,
                destination=destination or None,
                agreement_start=agreement_start,
                agreement_end=agreement_end,
                source_note=note,
            ),
        )
        for pk, organisation, start, planned, actual, destination, agreement_start, agreement_end, note in placements.values_list(
            "pk",
            "organisation__name",
            "start_date",
            "planned_end",
            "actual_end",
            "destination",
            "agreement__start_date",
            "agreement__end_date",
            "source_note",
        )
    ]


def placement_aggregates(user: User, *, on: dt.date) -> PlacementAggregates:
    """Counts of the municipality's placements.

    For a role that may not see individual placements (the analyst), small counts are
    suppressed (``PLATSA_MIN_GROUP_SIZE``); a role that sees the rows anyway sees exact counts.
    """
    if not can(user, "view_aggregates"):
        raise PermissionDenied
    threshold = count_threshold(user)
    placements = placement_facts(
        Placement.objects.filter(participant__municipality_id=user.municipality_id)
    )
    statuses = Counter(
        placement_status(start=f.start, actual_end=f.actual_end, as_of=on).value
        for _pk, _org, f in placements
    )
    destinations = Counter(f.destination for _pk, _org, f in placements if f.destination)
    organisations = Counter(org for _pk, org, _f in placements)
    flagged = sum(1 for _pk, _org, f in placements if placement_flags(f, as_of=on))
    cohort: Counter[str] = Counter()
    for outcome in CohortOutcome.objects.filter(procurement__municipality_id=user.municipality_id):
        cohort[outcome.destination] += outcome.count
    total = len(placements)
    return PlacementAggregates(
        total=CountCell(total, 0 < total < threshold),
        by_status=group_counts({s.value: statuses[s.value] for s in PlacementStatus}, threshold),
        by_destination=group_counts(dict(sorted(destinations.items())), threshold),
        by_organisation=group_counts(dict(sorted(organisations.items())), threshold),
        cohort_outcomes=group_counts(dict(sorted(cohort.items())), threshold, total_shown=False),
        flagged=group_counts({"flagged": flagged, "clean": total - flagged}, threshold)["flagged"],
        threshold=threshold,
    )


def paused_days(placement: Placement, days: list[dt.date]) -> frozenset[dt.date]:
    """Which of ``days`` fall in one of the placement's pauses."""
    return paused_days_for([placement], days)[placement.pk]


def paused_days_for(
    placements: list[Placement], days: list[dt.date]
) -> dict[int, frozenset[dt.date]]:
    """Which of ``days`` fall in a pause, for each of ``placements``: one query for all."""
    spans: dict[int, list[tuple[dt.date, dt.date]]] = {p.pk: [] for p in placements}
    if days and placements:
        rows = PlacementPause.objects.filter(
            placement__in=placements, start__lte=max(days), end__gte=min(days)
        ).values_list("placement_id", "start", "end")
        for pk, start, end in rows:
            spans[pk].append((start, end))
    return {
        pk: frozenset(d for d in days for start, end in pairs if start <= d <= end)
        for pk, pairs in spans.items()
    }


@dataclass(frozen=True)
class StripDay:
    day: dt.date
    state: str  # present | absent | no_show | unreported | paused | weekend | future


@dataclass(frozen=True)
class AttendanceStrip:
    days: list[StripDay]
    weekdays: int
    present: int
    absent: int
    no_shows: int
    unreported_weekdays: int
    hours: float

    @property
    def recent_days(self) -> list[StripDay]:
        """The last 26 weeks, for the strip; the counts cover the whole placement."""
        return self.days[-182:]

    @property
    def reported_share(self) -> float | None:
        return (
            None
            if self.weekdays == 0
            else (self.weekdays - self.unreported_weekdays) / self.weekdays
        )


def attendance_strip(placement: Placement, *, on: dt.date) -> AttendanceStrip:
    """Every day of the placement up to today: what was reported, and what was not."""
    last = min(placement.actual_end or on, on)
    rows = {a.date: a for a in placement.attendance.all()}
    pauses = list(placement.pauses.all())
    days: list[StripDay] = []
    present = absent = no_shows = unreported = weekdays = 0
    hours = 0.0
    day = placement.start_date
    while day <= last:
        a = rows.get(day)
        if a is not None:
            if a.status == "present":
                state, present = "present", present + 1
                hours += float(a.hours or 0)
            elif a.absence_reason == "no_show":
                state, no_shows, absent = "no_show", no_shows + 1, absent + 1
            else:
                state, absent = "absent", absent + 1
        elif any(p.start <= day <= p.end for p in pauses):
            state = "weekend" if day.weekday() >= 5 else "paused"
        else:
            state = "weekend" if day.weekday() >= 5 else "unreported"
        if day.weekday() < 5:
            weekdays += 1
            unreported += state == "unreported"
        days.append(StripDay(day, state))
        day += dt.timedelta(days=1)
    return AttendanceStrip(days, weekdays, present, absent, no_shows, unreported, hours)


@dataclass(frozen=True)
class PlaceSuggestion:
    place: object  # procurement.Place
    match: Match


def place_suggestions(participant: Participant, *, on: dt.date) -> list[PlaceSuggestion]:
    """Places in agreements in force, ranked for the participant with the reason for each."""
    from platsa.procurement.models import PHYSICAL_ORDER, Place

    free = {f.agreement.pk: f for f in free_places(Scope(participant.municipality_id), today=on)}
    places = (
        Place.objects.filter(agreement_id__in=free)
        .select_related("work_type", "agreement__organisation")
        .prefetch_related("agreement__organisation__work_types")
    )
    prefs = Preferences(
        interests=frozenset(participant.interests.values_list("code", flat=True)),
        excluded=frozenset(participant.excluded_work_types.values_list("code", flat=True)),
        setting=participant.setting or None,
        max_physical=PHYSICAL_ORDER.get(participant.max_physical_demand)
        if participant.max_physical_demand
        else None,
        needs_public_transport=participant.needs_public_transport,
    )
    by_key = {}
    candidates = []
    for place in places:
        types = (
            [place.work_type]
            if place.work_type
            else list(place.agreement.organisation.work_types.all())
        )
        indoor_values = {t.indoor for t in types if t.indoor is not None}
        f = free[place.agreement_id]
        candidates.append(
            Candidate(
                key=place.pk,
                work_types=frozenset(t.code for t in types),
                indoor=indoor_values.pop() if len(indoor_values) == 1 else None,
                physical=PHYSICAL_ORDER.get(place.physical_demand)
                if place.physical_demand
                else None,
                public_transport=place.public_transport,
                free_now=f.free_now,
                free_within_30_days=f.free_within_30_days,
                first_free_day=f.first_free_day,
                work_types_known=place.work_type is not None,
            )
        )
        by_key[place.pk] = place
    return [PlaceSuggestion(by_key[m.candidate.key], m) for m in rank_places(prefs, candidates)]


@dataclass(frozen=True)
class ProgressRow:
    name: str
    progress: ScaleProgress
    svg: str


def progress_for(placement: Placement) -> list[ProgressRow]:
    """Per scale of each instrument used: first, latest, change against the preset threshold."""
    assessments = list(
        placement.assessments.prefetch_related("scores__scale").order_by("date", "pk")
    )
    if not assessments:
        return []
    rows: list[ProgressRow] = []
    instruments = {a.instrument_id: a.instrument for a in assessments}
    for instrument in instruments.values():
        scales = list(instrument.scales.all())
        series = [
            (a.date, {s.scale.code: s.value for s in a.scores.all()})
            for a in assessments
            if a.instrument_id == instrument.pk
        ]
        names = {s.code: s.name for s in scales}
        for p in progression(series, thresholds={s.code: s.meaningful_change for s in scales}):
            rows.append(
                ProgressRow(
                    names[p.scale], p, _sparkline(p, instrument.scale_min, instrument.scale_max)
                )
            )
    return rows


def _sparkline(p: ScaleProgress, lo: int, hi: int) -> str:
    """A small line chart of one scale's values over time, as inline SVG with a text title."""
    from html import escape

    width, height, pad = 120, 32, 4
    n = len(p.points)
    xs = [pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = [height - pad - (height - 2 * pad) * (v - lo) / (hi - lo) for _, v in p.points]
    title = escape(", ".join(f"{d.isoformat()}: {v}" for d, v in p.points))
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in zip(xs, ys, strict=True)
    )
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{title}"><title>{title}</title><polyline points="{line}" fill="none" '
        f'stroke="currentColor" stroke-width="1.5"/>{dots}</svg>'
    )
