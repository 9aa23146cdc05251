"""The supervisor's week: every current participant's days on one page, saved in one go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import Guidance, Role, User
from platsa.common.clock import today
from platsa.common.permissions import require
from platsa.placements.access import access_note
from platsa.placements.models import AbsenceReason, Attendance, Placement
from platsa.placements.selectors import paused_days_for, placement_list_for_user
from platsa.placements.services import DayReport, attendance_report
from platsa.placements.weeks import DayRow, general_errors, parse_week, week_code, week_start
from platsa.procurement.selectors import organisation_get_for_user, organisation_list_for_user


@dataclass
class ParticipantWeek:
    placement: Placement
    prefix: str
    rows: list[DayRow]
    errors: list[str]


class _Refused(Exception):
    def __init__(self, placement: Placement, errors: dict[str, list[str]]) -> None:
        self.placement, self.errors = placement, errors


def _last_reportable(p: Placement, on: dt.date) -> dt.date:
    return min(p.actual_end or on, on)


@login_required
@require_http_methods(["GET", "POST"])
def team_week(request: HttpRequest) -> HttpResponse:
    """All the supervisor's current participants for one week: present/absent, reason, hours.

    One save for all of them, all or nothing; a day reported again keeps what it said before. A
    coach or administrator sees one organisation at a time (``?organisation=``).
    """
    user: User = request.user  # type: ignore[assignment]
    require(user, "report_attendance")
    on = today()
    monday = week_start(
        request.GET.get("vecka") or request.POST.get("vecka"), fallback=on, today=on
    )
    sunday = monday + dt.timedelta(days=6)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    organisation = None
    placements_qs = placement_list_for_user(user, on=on)
    if user.role != Role.SUPERVISOR:
        # A coach reports for one organisation at a time: a page that stays the size of a team.
        raw = request.GET.get("organisation", "") or request.POST.get("organisation", "")
        if not (raw.isdigit() and len(raw) < 10):
            return render(
                request,
                "placements/team_week_choose.html",
                {"organisations": organisation_list_for_user(user), "week": week_code(monday)},
            )
        organisation = organisation_get_for_user(user, int(raw))
        placements_qs = placements_qs.filter(organisation=organisation)
    placements = list(
        placements_qs.filter(start_date__lte=min(sunday, on))
        .exclude(actual_end__lt=monday)
        .order_by("participant__code")
    )
    access_note(p.participant for p in placements)
    existing = {
        (a.placement_id, a.date): a
        for a in Attendance.objects.filter(placement__in=placements, date__range=(monday, sunday))
    }
    paused = paused_days_for(placements, days)
    errors: dict[int, dict[str, list[str]]] = {}
    general: list[str] = []
    if request.method == "POST":
        parsed: list[tuple[Placement, list[DayReport]]] = []
        for p in placements:
            reports, errs = parse_week(
                request.POST,
                p.start_date,
                _last_reportable(p, on),
                days,
                prefix=f"p{p.pk}-",
                paused=paused[p.pk],
            )
            if "all_hours" in errs:
                general = errs.pop("all_hours")
            if errs:
                errors[p.pk] = errs
            elif reports:
                parsed.append((p, reports))
        if not errors and not general:
            try:
                with transaction.atomic():
                    for p, reports in parsed:
                        try:
                            attendance_report(placement=p, reports=reports, by=user)
                        except ValidationError as exc:
                            raise _Refused(p, exc.message_dict) from exc
            except _Refused as refused:
                errors[refused.placement.pk] = refused.errors
            else:
                n = sum(len(r) for _p, r in parsed)
                messages.success(
                    request,
                    _("Attendance saved: %(days)s days for %(people)s participants.")
                    % {"days": n, "people": len(parsed)},
                )
                query = f"?vecka={week_code(monday)}"
                if organisation is not None:
                    query += f"&organisation={organisation.pk}"
                return redirect(request.path + query)
    weeks = []
    for p in placements:
        last = _last_reportable(p, on)
        mine = errors.get(p.pk, {})
        prefix = f"p{p.pk}-"
        rows = [
            DayRow.build(
                d,
                reportable=p.start_date <= d <= last and d not in paused[p.pk],
                existing=existing.get((p.pk, d)),
                errors=mine,
                posted=request.POST if request.method == "POST" else None,
                prefix=prefix,
            )
            for d in days
        ]
        # Weekend days are shown only when something is reported on them.
        rows = [r for r in rows if not r.weekend or r.existing or r.current["status"]]
        weeks.append(ParticipantWeek(p, prefix, rows, general_errors(mine)))
    return render(
        request,
        "placements/team_week.html",
        {
            "weeks": weeks,
            "week": week_code(monday),
            "week_number": monday.isocalendar().week,
            "monday": monday,
            "sunday": sunday,
            "prev_week": week_code(monday - dt.timedelta(days=7)),
            "next_week": week_code(monday + dt.timedelta(days=7)) if sunday < on else None,
            "organisation": organisation,
            "reasons": AbsenceReason.choices,
            "has_errors": bool(errors or general),
            "general_errors": general,
            "posted_hours": request.POST.get("all_hours", "") if request.method == "POST" else "",
            "guidance": Guidance.objects.filter(municipality_id=user.municipality_id).first(),
        },
    )
