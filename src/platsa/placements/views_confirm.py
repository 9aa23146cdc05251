"""Two-sided attendance: the participant confirms a week (on the supervisor's phone, or on their
own with a one-time code), and the month's differences are listed and explained."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import Role, User
from platsa.common.clock import today
from platsa.common.http import client_address
from platsa.common.permissions import can, require
from platsa.placements.access import access_note, access_write
from platsa.placements.confirmation import (
    ANSWERS,
    code_create,
    code_find,
    confirmable_days,
    difference_explain,
    month_differences,
    participants_of,
    week_confirm,
)
from platsa.placements.models import (
    Attendance,
    ConfirmationCode,
    ConfirmedVia,
    Placement,
    WeekConfirmation,
)
from platsa.placements.selectors import placement_get_for_user, placement_list_for_user
from platsa.placements.weeks import week_code, week_start
from platsa.procurement.models import Organisation

#: Wrong codes from one address before the code page refuses for an hour.
CODE_ATTEMPTS = 10
SESSION_CODE = "platsa_confirmation_code"
NEW_CODE = "platsa_new_confirmation_code"


def _answers(post: QueryDict, days: list[dt.date]) -> dict[dt.date, str]:
    return {d: post.get(f"answer-{d.isoformat()}", "") for d in days}


def _rows(
    placement: Placement, days: list[dt.date], answers: dict[dt.date, str], supplier: bool
) -> list[dict[str, object]]:
    reported = (
        {a.date: a.status for a in Attendance.objects.filter(placement=placement, date__in=days)}
        if supplier
        else {}
    )
    return [
        {
            "day": d,
            "key": d.isoformat(),
            "answer": answers.get(d, ""),
            "reported": reported.get(d, ""),
        }
        for d in days
    ]


@login_required
@require_http_methods(["GET", "POST"])
def week_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's account of the week, on the phone of the supervisor (or coach) who
    hands it over; or a one-time code for the participant's own phone."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "report_attendance")
    on = today()
    placement = placement_get_for_user(user, pk, on=on)
    monday = week_start(
        request.GET.get("vecka") or request.POST.get("vecka"),
        fallback=min(placement.actual_end or on, on),
        today=on,
    )
    days = confirmable_days(placement, monday, today=on)
    existing = WeekConfirmation.objects.filter(placement=placement, week=monday).first()
    answers = {dt.date.fromisoformat(k): v for k, v in existing.answers.items()} if existing else {}
    errors: dict[str, list[str]] = {}
    shown_code = None
    if request.method == "GET":
        # A code just made, shown once: taken out of the session as the page is made.
        made = request.session.pop(NEW_CODE, None)
        if made and made.get("placement") == placement.pk and made.get("week") == week_code(monday):
            shown_code = made.get("code")
    if request.method == "POST" and request.POST.get("action") == "code":
        if not days:
            raise Http404
        _code, text = code_create(placement=placement, monday=monday, by=user)
        request.session[NEW_CODE] = {
            "placement": placement.pk,
            "week": week_code(monday),
            "code": text,
        }
        return redirect(f"{request.path}?vecka={week_code(monday)}")
    elif request.method == "POST":
        answers = _answers(request.POST, days)
        try:
            week_confirm(
                placement=placement,
                monday=monday,
                answers=answers,
                via=ConfirmedVia.SUPERVISOR_PHONE,
                by=user,
                today=on,
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Thank you: the week is confirmed."))
            return redirect(f"{request.path}?vecka={week_code(monday)}")
    return render(
        request,
        "placements/week_confirm.html",
        {
            "placement": placement,
            "week": week_code(monday),
            "week_number": monday.isocalendar().week,
            "rows": _rows(placement, days, answers, supplier=True),
            "existing": existing,
            "errors": errors,
            "shown_code": shown_code,
            "code_url": request.build_absolute_uri("/bekrafta/"),
        },
    )


def _limited(request: HttpRequest) -> bool:
    return int(cache.get(f"confirm-code:{client_address(request)}", 0)) >= CODE_ATTEMPTS


def _count_failure(request: HttpRequest) -> None:
    key = f"confirm-code:{client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)


@require_http_methods(["GET", "POST"])
def confirm_with_code(request: HttpRequest) -> HttpResponse:
    """The participant's own phone: a one-time code opens one week, to confirm it. No account,
    and nothing shown but the organisation and the days."""
    on = today()
    code: ConfirmationCode | None = None
    code_id = request.session.get(SESSION_CODE)
    if code_id is not None:
        code = (
            ConfirmationCode.objects.select_related("placement__organisation")
            .filter(pk=code_id, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if code is None:
            request.session.pop(SESSION_CODE, None)
    error = ""
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and code is None:
        if _limited(request):
            return render(
                request,
                "placements/confirm_code.html",
                {"error": _("Too many wrong codes: try again in an hour.")},
                status=429,
            )
        found = code_find(request.POST.get("code", ""))
        if found is None:
            _count_failure(request)
            error = _(
                "The code is wrong, used or too old. Ask your supervisor or coach for a new one."
            )
        else:
            request.session[SESSION_CODE] = found.pk
            return redirect("confirm_with_code")
    if code is None:
        return render(request, "placements/confirm_code.html", {"error": error})
    placement = code.placement
    days = confirmable_days(placement, code.week, today=on)
    answers: dict[dt.date, str] = {}
    if request.method == "POST":
        answers = _answers(request.POST, days)
        try:
            week_confirm(
                placement=placement,
                monday=code.week,
                answers=answers,
                via=ConfirmedVia.OWN_PHONE,
                by=None,
                today=on,
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            code.used_at = timezone.now()
            code.save(update_fields=["used_at"])
            request.session.pop(SESSION_CODE, None)
            # The participant read and answered their own week: logged under the code's maker.
            access_write(
                user=code.created_by,
                notes={placement.participant_id: placement.participant.municipality_id},
                page="confirm_with_code",
                changed=True,
                address=client_address(request),
            )
            return render(request, "placements/confirm_code.html", {"done": True})
    return render(
        request,
        "placements/confirm_code.html",
        {
            "organisation": placement.organisation.name,
            "week_number": code.week.isocalendar().week,
            "rows": _rows(placement, days, answers, supplier=False),
            "errors": errors,
        },
    )


def _month(value: str | None, *, fallback: dt.date) -> dt.date:
    if value:
        try:
            year, month = (int(part) for part in value.split("-"))
            first = dt.date(year, month, 1)
        except (ValueError, TypeError):
            raise Http404 from None
        if not 2000 <= first.year <= 2100:
            raise Http404
        return first
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def attendance_differences(request: HttpRequest) -> HttpResponse:
    """The month's days where the supplier's report and the participant's account differ."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "view_differences")
    on = today()
    previous = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    first = _month(request.GET.get("month") or request.POST.get("month"), fallback=previous)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    organisation_id = request.GET.get("organisation") or request.POST.get("organisation") or None
    try:
        org = int(organisation_id) if organisation_id else None
    except ValueError:
        raise Http404 from None
    if org is not None and org > 2**31:
        raise Http404
    placements = placement_list_for_user(user, organisation_id=org, on=on)
    if request.method == "POST":
        require(user, "explain_differences")
        try:
            placement = placements.get(pk=int(request.POST.get("placement", "0")))
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except (Placement.DoesNotExist, ValueError):
            raise Http404 from None
        try:
            difference_explain(
                placement=placement,
                day=day,
                explanation=request.POST.get("explanation", ""),
                by=user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            access_note([placement.participant])
            messages.success(request, _("The explanation is saved."))
        return redirect(
            f"{request.path}?month={first:%Y-%m}" + (f"&organisation={org}" if org else "")
        )
    result = month_differences(placements, start=first, end=last)
    access_note(participants_of(result.differences))
    organisations = Organisation.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.SUPERVISOR:
        organisations = organisations.filter(pk=user.organisation_id)
    return render(
        request,
        "placements/attendance_differences.html",
        {
            "result": result,
            "month": f"{first:%Y-%m}",
            "organisations": organisations,
            "organisation": org,
            "may_explain": can(user, "explain_differences"),
            "answers": dict(zip(ANSWERS, (_("there"), _("not there")), strict=True)),
        },
    )
