"""Attendance week, closing a placement, after-exit checks, meetings and the participant's journey."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import Guidance, User
from platsa.common.clock import today
from platsa.common.http import posted
from platsa.common.permissions import can, require
from platsa.placements.access import access_record
from platsa.placements.forms_followup import (
    CloseForm,
    ExitCheckForm,
    MeetingForm,
    ParticipantProfileForm,
    PauseForm,
    PlanForm,
    ScopeStepForm,
)
from platsa.placements.models import (
    AbsenceReason,
    AccessKind,
    Attendance,
    AttendanceStatus,
    ExitCheck,
    Instrument,
    Occasion,
    Participant,
)
from platsa.placements.selectors import (
    attendance_strip,
    paused_days,
    place_suggestions,
    placement_get_for_user,
    progress_for,
)
from platsa.placements.services import (
    DayReport,
    assessment_record,
    attendance_report,
    exit_check_record,
    meeting_record,
    placement_close,
    scope_step_add,
)

# Weeks further from today than this are not offered (and cannot overflow the calendar).
WEEKS_REACH = 52 * 10


def _week_start(request: HttpRequest, fallback: dt.date) -> dt.date:
    """The Monday of ``?vecka=YYYY-Www``, or of ``fallback``'s week; 404 for a week that does not
    exist or lies more than ten years from today."""
    value = request.GET.get("vecka") or request.POST.get("vecka")
    if value:
        try:
            year, week = value.split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
        except (ValueError, TypeError):
            raise Http404 from None
        if abs((monday - today()).days) > WEEKS_REACH * 7:
            raise Http404
        return monday
    return fallback - dt.timedelta(days=fallback.weekday())


def week_code(monday: dt.date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@dataclass
class DayRow:
    day: dt.date
    reportable: bool
    weekend: bool
    existing: Attendance | None
    errors: list[str]
    posted: dict[str, str]

    @property
    def current(self) -> dict[str, str]:
        """What the form shows: what was just posted, else what is saved."""
        if self.posted:
            return self.posted
        if self.existing is None:
            return {"status": "", "hours": "", "reason": ""}
        hours = (
            ""
            if self.existing.hours is None
            else f"{self.existing.hours.normalize():f}".replace(".", ",")
        )
        return {
            "status": self.existing.status,
            "hours": hours,
            "reason": self.existing.absence_reason,
        }


@login_required
@require_http_methods(["GET", "POST"])
def attendance_week(request: HttpRequest, pk: int) -> HttpResponse:
    """A week of attendance in a few taps: one row per day, present or absent, hours."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "report_attendance")
    on = today()
    placement = placement_get_for_user(user, pk, on=on)
    last = min(placement.actual_end or on, on)
    monday = _week_start(request, max(min(on, last), placement.start_date))
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    existing = {a.date: a for a in Attendance.objects.filter(placement=placement, date__in=days)}
    paused = paused_days(placement, days)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        reports, errors = _parse_week(request, placement.start_date, last, days, paused=paused)
        if not errors and reports:
            try:
                attendance_report(placement=placement, reports=reports, by=user)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(
                    request, _("Attendance saved for %(n)s days.") % {"n": len(reports)}
                )
                iso = monday.isocalendar()
                return redirect(f"{request.path}?vecka={iso.year}-W{iso.week:02d}")
    rows = [
        DayRow(
            d,
            placement.start_date <= d <= last and d not in paused,
            d.weekday() >= 5,
            existing.get(d),
            [m for k, v in errors.items() if k.startswith(d.isoformat()) for m in v],
            {f: request.POST.get(f"{f}-{d.isoformat()}", "") for f in ("status", "hours", "reason")}
            if request.method == "POST"
            else {},
        )
        for d in days
    ]
    iso = monday.isocalendar()
    prev_iso = (monday - dt.timedelta(days=7)).isocalendar()
    next_iso = (monday + dt.timedelta(days=7)).isocalendar()
    return render(
        request,
        "placements/attendance_week.html",
        {
            "placement": placement,
            "rows": rows,
            "week": f"{iso.year}-W{iso.week:02d}",
            "week_number": iso.week,
            "prev_week": f"{prev_iso.year}-W{prev_iso.week:02d}"
            if monday > placement.start_date
            else None,
            "next_week": f"{next_iso.year}-W{next_iso.week:02d}"
            if monday + dt.timedelta(days=7) <= last
            else None,
            "reasons": AbsenceReason.choices,
            "guidance": Guidance.objects.filter(municipality_id=user.municipality_id).first(),
            "errors": errors,
            "general_errors": [m for k, v in errors.items() if "." not in k for m in v],
        },
    )


def _parse_week(
    request: HttpRequest,
    first: dt.date,
    last: dt.date,
    days: list[dt.date],
    *,
    prefix: str = "",
    all_present: bool | None = None,
    paused: frozenset[dt.date] = frozenset(),
) -> tuple[list[DayReport], dict[str, list[str]]]:
    """The days of one placement's week from the posted fields ``{prefix}status-YYYY-MM-DD`` …

    "Every weekday present" fills the weekdays left unmarked, with the hours given for it: hours
    feed the individual indicator, so it is refused without them.
    """
    reports: list[DayReport] = []
    errors: dict[str, list[str]] = {}
    if all_present is None:
        all_present = request.POST.get("all_present") == "1"
    all_hours = request.POST.get("all_hours", "").strip().replace(",", ".")
    if all_present and not all_hours:
        errors["all_hours"] = [_("Give the hours a day for the days marked present at once.")]
        return reports, errors
    for d in days:
        key = d.isoformat()
        status = request.POST.get(f"{prefix}status-{key}", "")
        hours_text = request.POST.get(f"{prefix}hours-{key}", "").strip().replace(",", ".")
        reason = request.POST.get(f"{prefix}reason-{key}", "")
        if all_present and d.weekday() < 5 and first <= d <= last and d not in paused:
            status = status or AttendanceStatus.PRESENT
            if status == AttendanceStatus.PRESENT:
                hours_text = hours_text or all_hours
        if not status:
            continue
        if not first <= d <= last:
            errors[f"{key}.date"] = [_("The day is outside the placement or in the future.")]
            continue
        if d in paused:
            errors[f"{key}.date"] = [_("The placement is paused that day.")]
            continue
        if status not in AttendanceStatus.values:
            errors[f"{key}.status"] = [_("Choose present or absent.")]
            continue
        hours = None
        if hours_text:
            try:
                hours = Decimal(hours_text)
            except InvalidOperation:
                errors[f"{key}.hours"] = [_("Write the hours as a number, e.g. 4 or 4,5.")]
                continue
            if not hours.is_finite():
                errors[f"{key}.hours"] = [_("Write the hours as a number, e.g. 4 or 4,5.")]
                continue
        reports.append(
            DayReport(d, status, hours, reason if status == AttendanceStatus.ABSENT else "")
        )
    return reports, errors


@login_required
@require_http_methods(["GET", "POST"])
def placement_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "follow_up")
    placement = placement_get_for_user(user, pk, on=today())
    if placement.actual_end is not None:
        raise PermissionDenied
    form = CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            placement_close(
                placement=placement,
                end=form.cleaned_data["end"],
                destination=form.cleaned_data["destination"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(
                    "end"
                    if field == "actual_end"
                    else None
                    if field == "__all__"
                    else field
                    if field in form.fields
                    else None,
                    msgs,
                )
        else:
            messages.success(
                request,
                _(
                    "The placement is closed; checks are scheduled 3, 6 and 12 months after its end."
                ),
            )
            return redirect("participant_timeline", pk=placement.participant_id)
    return render(
        request, "placements/placement_close.html", {"placement": placement, "form": form}
    )


@login_required
@require_http_methods(["POST"])
def exit_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "follow_up")
    check = (
        ExitCheck.objects.filter(
            pk=pk, placement__participant__municipality_id=user.municipality_id
        )
        .select_related("placement")
        .first()
    )
    if check is None:
        raise Http404
    form = ExitCheckForm(request.POST, prefix=f"check-{check.pk}")
    if form.is_valid():
        try:
            exit_check_record(
                check=check,
                checked_on=form.cleaned_data["checked_on"],
                status=form.cleaned_data["status"],
                source=form.cleaned_data["source"],
                by=user,
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(request, _("The check is recorded."))
            return redirect("participant_timeline", pk=check.placement.participant_id)
    return participant_timeline(
        request, check.placement.participant_id, check_forms={check.pk: form}, status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "follow_up")
    placement = placement_get_for_user(user, pk, on=today())
    form = MeetingForm(posted(request), initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting_record(placement=placement, by=user, **form.cleaned_data)
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, msgs)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("participant_timeline", pk=placement.participant_id)
    return render(
        request,
        "placements/meeting_form.html",
        {
            "placement": placement,
            "form": form,
            "guidance": Guidance.objects.filter(municipality_id=user.municipality_id).first(),
        },
    )


@login_required
def participant_timeline(
    request: HttpRequest,
    pk: int,
    *,
    check_forms: dict[int, ExitCheckForm] | None = None,
    pause_form: PauseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole journey of one participant: for the coach (and the administrator).

    Each due after-exit check has its own empty form; ``check_forms`` carries a refused one back
    with its errors and what was typed.
    """
    user: User = request.user  # type: ignore[assignment]
    require(user, "follow_up")
    participant = Participant.objects.filter(pk=pk, municipality_id=user.municipality_id).first()
    if participant is None:
        raise Http404
    access_record(user=user, participant=participant, kind=AccessKind.TIMELINE)
    on = today()
    placements = []
    for p in participant.placements.select_related("organisation").order_by("start_date"):
        placements.append(
            {
                "placement": p,
                "strip": attendance_strip(p, on=on),
                "meetings": list(p.meetings.order_by("date")),
                "checks": [
                    (
                        c,
                        (check_forms or {}).get(c.pk) or ExitCheckForm(prefix=f"check-{c.pk}"),
                    )
                    for c in p.exit_checks.order_by("months_after")
                ],
                "progress": progress_for(p),
                "pauses": list(p.pauses.order_by("start")),
            }
        )
    return render(
        request,
        "placements/participant_timeline.html",
        {
            "participant": participant,
            "placements": placements,
            "today": on,
            "referrals": participant.referrals.select_related("placement"),
            "pause_form": pause_form or PauseForm(),
        },
        status=status,
    )


def _participant_for(user: User, pk: int) -> Participant:
    require(user, "follow_up")
    participant = Participant.objects.filter(pk=pk, municipality_id=user.municipality_id).first()
    if participant is None:
        raise Http404
    return participant


@login_required
@require_http_methods(["GET", "POST"])
def participant_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Interests and constraints: what a placement must fit."""
    user: User = request.user  # type: ignore[assignment]
    participant = _participant_for(user, pk)
    form = ParticipantProfileForm(posted(request), instance=participant)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            access_record(user=user, participant=participant, kind=AccessKind.PROFILE, changed=True)
        messages.success(request, _("The profile is saved."))
        return redirect("participant_timeline", pk=participant.pk)
    access_record(user=user, participant=participant, kind=AccessKind.PROFILE)
    return render(
        request, "placements/participant_profile.html", {"participant": participant, "form": form}
    )


@login_required
def place_finder(request: HttpRequest, pk: int) -> HttpResponse:
    """Suitable places, free now or soon, with the reason for each match."""
    user: User = request.user  # type: ignore[assignment]
    participant = _participant_for(user, pk)
    access_record(user=user, participant=participant, kind=AccessKind.FINDER)
    suggestions = place_suggestions(participant, on=today())
    return render(
        request,
        "placements/place_finder.html",
        {
            "participant": participant,
            "suggestions": suggestions,
            "can_place": can(user, "intake"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The order: goals, planned months, review date, and the scope stepping up over time."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "follow_up")
    placement = placement_get_for_user(user, pk, on=today())
    plan_form = PlanForm(request.POST if "save_plan" in request.POST else None, instance=placement)
    step_form = ScopeStepForm(request.POST if "add_step" in request.POST else None)
    if request.method == "POST":
        if "save_plan" in request.POST and plan_form.is_valid():
            with transaction.atomic():
                plan_form.save()
            messages.success(request, _("The plan is saved."))
            return redirect("plan_edit", pk=placement.pk)
        if "add_step" in request.POST and step_form.is_valid():
            try:
                scope_step_add(placement=placement, step=step_form.save(commit=False))
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    step_form.add_error(None if field == "__all__" else field, msgs)
            else:
                messages.success(request, _("The scope step is saved."))
                return redirect("plan_edit", pk=placement.pk)
    return render(
        request,
        "placements/plan_edit.html",
        {
            "placement": placement,
            "plan_form": plan_form,
            "step_form": step_form,
            "steps": placement.scope_steps.order_by("valid_from"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in the instrument's scales with the participant: one tap per scale."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "assess")
    on = today()
    placement = placement_get_for_user(user, pk, on=on)
    instruments = Instrument.objects.filter(
        Q(municipality__isnull=True) | Q(municipality_id=user.municipality_id)
    ).prefetch_related("scales")
    asked = request.POST.get("instrument") or request.GET.get("instrument") or ""
    instrument = (
        (instruments.filter(pk=int(asked)).first() if asked.isdigit() and len(asked) < 10 else None)
        or instruments.filter(code="platsa-steg").first()
        or instruments.first()
    )
    if instrument is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    chosen: dict[int, int] = {}
    if request.method == "POST":
        for scale in instrument.scales.all():
            raw = request.POST.get(f"scale-{scale.pk}", "")
            if raw:
                try:
                    chosen[scale.pk] = int(raw)
                except ValueError:
                    errors[f"scale-{scale.pk}"] = [
                        _("%(scale)s: choose a value.") % {"scale": scale.name}
                    ]
        try:
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            errors["date"] = [_("Write the date as YYYY-MM-DD.")]
            day = on
        if not errors:
            try:
                assessment_record(
                    placement=placement,
                    instrument=instrument,
                    date=day,
                    occasion=request.POST.get("occasion", ""),
                    with_supervisor=request.POST.get("with_supervisor") == "on",
                    scores=chosen,
                    by=user,
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("The assessment is saved."))
                return redirect("placement_detail", pk=placement.pk)
    scales = [
        {
            "scale": s,
            "steps": [
                (v, s.anchors.get(str(v), ""))
                for v in range(instrument.scale_min, instrument.scale_max + 1)
            ],
            "chosen": chosen.get(s.pk),
            "errors": errors.get(f"scale-{s.pk}", []),
        }
        for s in instrument.scales.all()
    ]
    return render(
        request,
        "placements/assessment_form.html",
        {
            "placement": placement,
            "instrument": instrument,
            "instruments": instruments,
            "scales": scales,
            "errors": errors,
            "occasions": Occasion.choices,
            "today": on,
            "general_errors": [
                m for k, v in errors.items() if not k.startswith("scale-") for m in v
            ],
        },
    )
