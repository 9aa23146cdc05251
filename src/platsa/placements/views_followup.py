"""Attendance week, closing a placement, after-exit checks, meetings and the participant's journey."""

from __future__ import annotations

import datetime as dt

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
from platsa.placements.access import access_note
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
    Attendance,
    ExitCheck,
    Instrument,
    Occasion,
    Participant,
)
from platsa.placements.selectors import (
    attendance_strip,
    participant_get_for_user,
    paused_days,
    place_suggestions,
    placement_get_for_user,
    progress_for,
)
from platsa.placements.services import (
    assessment_record,
    attendance_report,
    exit_check_record,
    meeting_record,
    placement_close,
    scope_step_add,
)
from platsa.placements.weeks import DayRow, general_errors, parse_week, week_code, week_start


@login_required
@require_http_methods(["GET", "POST"])
def attendance_week(request: HttpRequest, pk: int) -> HttpResponse:
    """A week of attendance in a few taps: one row per day, present or absent, hours."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "report_attendance")
    on = today()
    placement = placement_get_for_user(user, pk, on=on)
    last = min(placement.actual_end or on, on)
    monday = week_start(
        request.GET.get("vecka") or request.POST.get("vecka"),
        fallback=max(min(on, last), placement.start_date),
        today=on,
    )
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    existing = {a.date: a for a in Attendance.objects.filter(placement=placement, date__in=days)}
    paused = paused_days(placement, days)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        reports, errors = parse_week(request.POST, placement.start_date, last, days, paused=paused)
        if not errors and reports:
            try:
                attendance_report(placement=placement, reports=reports, by=user)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(
                    request, _("Attendance saved for %(n)s days.") % {"n": len(reports)}
                )
                return redirect(f"{request.path}?vecka={week_code(monday)}")
    rows = [
        DayRow.build(
            d,
            reportable=placement.start_date <= d <= last and d not in paused,
            existing=existing.get(d),
            errors=errors,
            posted=request.POST if request.method == "POST" else None,
        )
        for d in days
    ]
    return render(
        request,
        "placements/attendance_week.html",
        {
            "placement": placement,
            "rows": rows,
            "week": week_code(monday),
            "week_number": monday.isocalendar().week,
            "prev_week": week_code(monday - dt.timedelta(days=7))
            if monday > placement.start_date
            else None,
            "next_week": week_code(monday + dt.timedelta(days=7))
            if monday + dt.timedelta(days=7) <= last
            else None,
            "reasons": AbsenceReason.choices,
            "guidance": Guidance.objects.filter(municipality_id=user.municipality_id).first(),
            "errors": errors,
            "general_errors": general_errors(errors),
        },
    )


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
        .select_related("placement__participant")
        .first()
    )
    if check is None:
        raise Http404
    access_note([check.placement.participant])
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
    participant = participant_get_for_user(user, pk)
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
    return participant_get_for_user(user, pk)


@login_required
@require_http_methods(["GET", "POST"])
def participant_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Interests and constraints: what a placement must fit."""
    user: User = request.user  # type: ignore[assignment]
    participant = _participant_for(user, pk)
    form = ParticipantProfileForm(posted(request), instance=participant)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The profile is saved."))
        return redirect("participant_timeline", pk=participant.pk)
    return render(
        request, "placements/participant_profile.html", {"participant": participant, "form": form}
    )


@login_required
def place_finder(request: HttpRequest, pk: int) -> HttpResponse:
    """Suitable places, free now or soon, with the reason for each match."""
    user: User = request.user  # type: ignore[assignment]
    participant = _participant_for(user, pk)
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
