"""Retention and erasure (gallring): a participant's data goes a set time after the last entry.

Per municipality, a participant whose last dated entry (placement dates, referral, attendance,
meeting, after-exit check, pause, assessment, scope step) lies more than
``Municipality.data_retention_years`` back, with no placement running, no referral waiting and
no after-exit check still due, is erased:

- gone: attendance (with its change history and the participant's own confirmations and their
  explained differences), follow-up meetings, pauses, assessments, the
  profile (birth year, gender, interests, constraints, language, case reference) and every
  free text (goals, reasons, notes);
- kept, without anything that points to the person: the placement's dates, organisation,
  agreement, place, scope and destination, the after-exit checks' answers, the referral's dates
  and order figures. These are what the municipality's figures for past periods (occupancy,
  cost, outcomes, need for places) are computed from; the participant's code is replaced by
  ``GALLRAD-<row number>``.

The access log keeps its own retention (``access_log_retention_years``); rows older than that
go in the same run. Each run writes one :class:`Erasure` per municipality: when, up to which
day, how many, never whom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from platsa.accounts.models import Municipality
from platsa.placements.models import (
    Assessment,
    Attendance,
    ConfirmationCode,
    DifferenceNote,
    Erasure,
    ExitCheck,
    FollowUpMeeting,
    Participant,
    ParticipantAccess,
    Placement,
    PlacementPause,
    Referral,
    ScopeStep,
    WeekConfirmation,
)

ERASED_PREFIX = "GALLRAD-"


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Due:
    participant_id: int
    code: str
    last_entry: dt.date


@dataclass(frozen=True)
class PurgePlan:
    municipality: Municipality
    cutoff: dt.date
    due: list[Due]
    kept_running: int  # participants past the cutoff kept because something is still open
    access_cutoff: dt.datetime
    access_rows: int


def _latest(pairs: Iterable[tuple[int, dt.date | None]], into: dict[int, dt.date]) -> None:
    for pk, day in pairs:
        if day is not None and (pk not in into or day > into[pk]):
            into[pk] = day


def last_entries(municipality: Municipality) -> dict[int, dt.date]:
    """Each not yet erased participant's last dated entry (one grouped query per source)."""
    people = Q(participant__municipality=municipality, participant__erased_on__isnull=True)
    by_placement = Q(
        placement__participant__municipality=municipality,
        placement__participant__erased_on__isnull=True,
    )
    latest: dict[int, dt.date] = {}
    placements = Placement.objects.filter(people).values("participant_id")
    for field in ("start_date", "actual_end"):
        _latest(placements.annotate(d=Max(field)).values_list("participant_id", "d"), latest)
    referrals = Referral.objects.filter(people).values("participant_id")
    for field in ("referred_on", "withdrawn_on"):
        _latest(referrals.annotate(d=Max(field)).values_list("participant_id", "d"), latest)
    for model, field in [
        (Attendance, "date"),
        (FollowUpMeeting, "date"),
        (ExitCheck, "checked_on"),
        (PlacementPause, "end"),
        (Assessment, "date"),
        (ScopeStep, "valid_from"),
    ]:
        rows = model.objects.filter(by_placement).values("placement__participant_id")  # type: ignore[attr-defined]
        _latest(rows.annotate(d=Max(field)).values_list("placement__participant_id", "d"), latest)
    return latest


def _open(municipality: Municipality, on: dt.date) -> set[int]:
    """Participants something is still open for: a running placement, a waiting referral, an
    after-exit check not yet done."""
    running = Placement.objects.filter(
        participant__municipality=municipality, actual_end__isnull=True
    ).values_list("participant_id", flat=True)
    waiting = Referral.objects.filter(
        participant__municipality=municipality, placement__isnull=True, withdrawn_on__isnull=True
    ).values_list("participant_id", flat=True)
    checks = ExitCheck.objects.filter(
        placement__participant__municipality=municipality, checked_on__isnull=True
    ).values_list("placement__participant_id", flat=True)
    return set(running) | set(waiting) | set(checks)


def purge_plan(municipality: Municipality, *, today: dt.date) -> PurgePlan:
    cutoff = years_before(today, municipality.data_retention_years)
    latest = last_entries(municipality)
    past = {pk: day for pk, day in latest.items() if day < cutoff}
    still_open = _open(municipality, today)
    codes = dict(Participant.objects.filter(pk__in=past.keys()).values_list("pk", "code"))
    due = sorted(
        (Due(pk, codes[pk], day) for pk, day in past.items() if pk not in still_open),
        key=lambda d: (d.last_entry, d.code),
    )
    # A day's margin below the database's own guard, so clocks that differ a little agree.
    access_cutoff = dt.datetime.combine(
        years_before(today, municipality.access_log_retention_years) - dt.timedelta(days=1),
        dt.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    access_rows = ParticipantAccess.objects.filter(
        municipality=municipality, at__lt=access_cutoff
    ).count()
    return PurgePlan(
        municipality=municipality,
        cutoff=cutoff,
        due=due,
        kept_running=sum(1 for pk in past if pk in still_open),
        access_cutoff=access_cutoff,
        access_rows=access_rows,
    )


@transaction.atomic
def purge(plan: PurgePlan, *, today: dt.date) -> Erasure:
    """Carry out a plan: all of it or nothing."""
    ids = [d.participant_id for d in plan.due]
    placements = Placement.objects.filter(participant_id__in=ids)
    Attendance.objects.filter(placement__in=placements).delete()
    FollowUpMeeting.objects.filter(placement__in=placements).delete()
    PlacementPause.objects.filter(placement__in=placements).delete()
    Assessment.objects.filter(placement__in=placements).delete()
    WeekConfirmation.objects.filter(placement__in=placements).delete()
    ConfirmationCode.objects.filter(placement__in=placements).delete()
    DifferenceNote.objects.filter(placement__in=placements).delete()
    ExitCheck.objects.filter(placement__in=placements).update(checked_by=None)
    placements.update(goals="", end_reason="", over_capacity_reason="", source_note="")
    Referral.objects.filter(participant_id__in=ids).update(goals="", withdrawn_reason="")
    # One statement each, however many people the run erases.
    Participant.interests.through.objects.filter(participant_id__in=ids).delete()
    Participant.excluded_work_types.through.objects.filter(participant_id__in=ids).delete()
    Participant.objects.filter(pk__in=ids).update(
        code=Concat(Value(ERASED_PREFIX), Cast("pk", output_field=CharField())),
        birth_year=None,
        gender="",
        interests_note="",
        setting="",
        max_physical_demand="",
        needs_public_transport=False,
        language_note="",
        case_reference="",
        constraints_note="",
        protected_identity=False,
        responsible_coach=None,
        erased_on=today,
    )
    _total, per_model = ParticipantAccess.objects.filter(
        municipality=plan.municipality, at__lt=plan.access_cutoff
    ).delete()
    return Erasure.objects.create(
        municipality=plan.municipality,
        cutoff=plan.cutoff,
        participants=len(ids),
        access_log_rows=per_model.get(ParticipantAccess._meta.label, 0),
    )
