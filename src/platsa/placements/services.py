"""Writes for placements: attendance, closing a placement, after-exit checks, meetings.

Every service is one transaction and validates before it saves; a multi-row change (a week of
attendance) is all or nothing, and its error names the day and the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.engine.occupancy import add_months
from platsa.placements.models import (
    Assessment,
    AssessmentScore,
    Attendance,
    AttendanceChange,
    ExitCheck,
    FollowUpMeeting,
    Instrument,
    Placement,
    ScopeStep,
)

EXIT_CHECK_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class DayReport:
    day: dt.date
    status: str  # "present" | "absent"
    hours: Decimal | None = None
    absence_reason: str = ""


def attendance_snapshot(a: Attendance) -> dict[str, object]:
    """What a day said, as its correction history keeps it."""
    return {
        "status": a.status,
        "hours": None if a.hours is None else str(a.hours),
        "absence_reason": a.absence_reason,
        "reported_by": a.reported_by_id,
        "reported_at": a.reported_at.isoformat() if a.reported_at else None,
    }


def _apply(placement: Placement, report: DayReport, by: User) -> Attendance:
    existing = (
        Attendance.objects.select_for_update().filter(placement=placement, date=report.day).first()
    )
    if existing is not None:
        unchanged = (existing.status, existing.hours, existing.absence_reason) == (
            report.status,
            report.hours,
            report.absence_reason,
        )
        if unchanged:
            return existing
        before = attendance_snapshot(existing)
        existing.status, existing.hours, existing.absence_reason = (
            report.status,
            report.hours,
            report.absence_reason,
        )
        existing.reported_by = by
        existing.placement = placement  # held already: no second read for the day's checks
        # The placement and the reporter are the ones in hand, and the row keeps its day: only
        # the fields and the row's rules are checked (no query per foreign key or for the day).
        existing.full_clean(exclude=["placement", "reported_by"], validate_unique=False)
        existing.save()
        AttendanceChange.objects.create(attendance=existing, changed_by=by, before=before)
        return existing
    row = Attendance(
        placement=placement,
        date=report.day,
        status=report.status,
        hours=report.hours,
        absence_reason=report.absence_reason,
        reported_by=by,
    )
    row.full_clean(exclude=["placement", "reported_by"], validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: a concurrent report of the same day wins the race
            row.save()
    except IntegrityError:
        return _apply(placement, report, by)  # now it exists: update it, keeping the history
    return row


@transaction.atomic
def attendance_report(
    *, placement: Placement, reports: list[DayReport], by: User
) -> list[Attendance]:
    """Report one or more days; reporting a day again updates it and keeps what it said before.

    Refuses days in the future or outside the placement, hours outside 0–24 and absences without
    a reason; the error names the day and the field, and nothing is saved.
    """
    errors: dict[str, list[str]] = {}
    for r in reports:
        if r.day > today():
            errors.setdefault(f"{r.day.isoformat()}.date", []).append(
                _("A day in the future cannot be reported.")
            )
    if errors:
        raise ValidationError(errors)
    saved = []
    for r in sorted(reports, key=lambda r: r.day):
        try:
            saved.append(_apply(placement, r, by))
        except ValidationError as exc:
            raise ValidationError(
                {f"{r.day.isoformat()}.{k}": v for k, v in exc.message_dict.items()}
            ) from exc
    return saved


@transaction.atomic
def placement_close(
    *,
    placement: Placement,
    end: dt.date,
    destination: str,
    reason: str,
    by: User,
    schedule_checks: bool = True,
) -> Placement:
    """End a placement with its destination and reason, and schedule the 3, 6 and 12 month checks
    (not for a move to another placement: the participant is still placed)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if not destination:
        raise ValidationError({"destination": [_("Choose where the participant went.")]})
    placement.actual_end = end
    placement.destination = destination
    placement.end_reason = reason.strip()
    placement.full_clean()
    later = Attendance.objects.filter(placement=placement, date__gt=end)
    if later.exists():
        raise ValidationError(
            {
                "actual_end": [
                    _("Attendance is reported after %(date)s; correct it first.")
                    % {"date": end.isoformat()}
                ]
            }
        )
    if end > today() + dt.timedelta(days=366):
        raise ValidationError({"actual_end": [_("The last day is more than a year ahead.")]})
    placement.save()
    if not schedule_checks:
        return placement
    for months in EXIT_CHECK_MONTHS:
        ExitCheck.objects.update_or_create(
            placement=placement, months_after=months, defaults={"due_date": add_months(end, months)}
        )
    return placement


@transaction.atomic
def exit_check_record(
    *, check: ExitCheck, checked_on: dt.date, status: str, source: str, by: User
) -> ExitCheck:
    """Record what an after-exit check found and where the answer comes from."""
    if checked_on > today():
        raise ValidationError({"checked_on": [_("A check cannot be recorded in the future.")]})
    ended = check.placement.actual_end
    if ended is not None and checked_on < ended:
        raise ValidationError({"checked_on": [_("A check cannot be before the placement ended.")]})
    check.checked_on, check.status, check.source, check.checked_by = checked_on, status, source, by
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def meeting_record(*, placement: Placement, by: User, **fields: object) -> FollowUpMeeting:
    meeting = FollowUpMeeting(placement=placement, recorded_by=by, **fields)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def scope_step_add(*, placement: Placement, step: ScopeStep) -> ScopeStep:
    """Add (or replace, on the same date) a step of the placement's scope."""
    step.placement = placement
    step.full_clean(exclude=["placement"], validate_unique=False, validate_constraints=False)
    ScopeStep.objects.filter(placement=placement, valid_from=step.valid_from).delete()
    step.save()
    return step


@transaction.atomic
def assessment_record(
    *,
    placement: Placement,
    instrument: Instrument,
    date: dt.date,
    occasion: str,
    with_supervisor: bool,
    scores: dict[int, int],
    by: User,
) -> Assessment:
    """Record an assessment with a value for every scale of the instrument, or nothing at all."""
    assessment = Assessment(
        placement=placement,
        instrument=instrument,
        date=date,
        occasion=occasion,
        with_supervisor=with_supervisor,
        recorded_by=by,
    )
    assessment.full_clean()
    assessment.save()
    errors: dict[str, list[str]] = {}
    for scale in instrument.scales.all():
        if scale.pk not in scores:
            errors[f"scale-{scale.pk}"] = [_("%(scale)s: choose a value.") % {"scale": scale.name}]
            continue
        score = AssessmentScore(assessment=assessment, scale=scale, value=scores[scale.pk])
        try:
            score.full_clean(exclude=["assessment"])
        except ValidationError as exc:
            errors[f"scale-{scale.pk}"] = exc.messages
            continue
        score.save()
    if errors:
        raise ValidationError(errors)  # the transaction rolls back: nothing is half-saved
    return assessment
