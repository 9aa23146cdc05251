from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.permissions import can, count_threshold
from platsa.engine.quality import PlacementStatus, placement_flags, placement_status
from platsa.placements.access import access_note_list
from platsa.placements.forms import (
    IndicatorPeriodForm,
    PlacementFilterForm,
    default_indicator_period,
)
from platsa.placements.indicators import indicators_for
from platsa.placements.selectors import (
    attendance_strip,
    placement_get_for_user,
    placement_list_for_user,
    placement_rows,
    progress_for,
)
from platsa.procurement.selectors import organisation_list_for_user

PLACEMENTS_A_PAGE = 100


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    on = today()
    placements = placement_list_for_user(user, on=on)  # refuses roles without access first
    form = PlacementFilterForm(request.GET or None, organisations=organisation_list_for_user(user))
    if form.is_bound and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        status = form.cleaned_data["status"]
        placements = placement_list_for_user(
            user,
            organisation_id=organisation.pk if organisation else None,
            status=PlacementStatus(status) if status else None,
            on=on,
        )
    # A page at a time: the list does not grow with the history (the filters narrow it).
    pages = Paginator(placements, PLACEMENTS_A_PAGE)
    page = pages.get_page(request.GET.get("sida") if len(request.GET.get("sida", "")) < 7 else 1)
    rows = placement_rows(user, page.object_list, on=on)
    access_note_list(user)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "placements/placement_list.html",
        {
            "form": form,
            "rows": rows,
            "today": on,
            "flagged": sum(1 for r in rows if r.flags),
            "page": page,
            "total": pages.count,
            "query": query.urlencode(),
        },
    )


@login_required
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    on = today()
    placement = placement_get_for_user(user, pk, on=on)
    return render(
        request,
        "placements/placement_detail.html",
        {
            "placement": placement,
            "status": placement_status(
                start=placement.start_date, actual_end=placement.actual_end, as_of=on
            ),
            "flags": placement_flags(placement.facts(), as_of=on),
            "can_see_plan": can(user, "view_plan"),
            "can_see_profile": can(user, "view_participant_profile"),
            "today": on,
            "strip": attendance_strip(placement, on=on) if can(user, "report_attendance") else None,
            "actions": {
                "attendance": can(user, "report_attendance") and placement.start_date <= on,
                "timeline": can(user, "follow_up"),
                "close": can(user, "follow_up") and placement.actual_end is None,
                "assess": can(user, "assess") and placement.actual_end is None,
            },
            "progress": progress_for(placement) if can(user, "assess") else None,
        },
    )


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    """Indicators at the individual, organisation and municipality level (report §5.1)."""
    user: User = request.user  # type: ignore[assignment]
    start, end = default_indicator_period(today())
    form = IndicatorPeriodForm(request.GET or None, initial={"fran": start, "till": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["fran"], form.cleaned_data["till"]
    municipality, organisations = indicators_for(user, started_from=start, started_to=end)
    threshold = count_threshold(user)
    return render(
        request,
        "placements/indicators.html",
        {
            "m": municipality,
            "organisations": organisations,
            "threshold": threshold,
            "form": form,
            "start": start,
            "end": end,
            "default_period": not form.is_bound or not form.is_valid(),
        },
    )
