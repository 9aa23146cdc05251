from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from platsa.accounts.models import Role, User
from platsa.common.clock import today
from platsa.engine.quality import PlacementStatus
from platsa.occupancy.alerts import alerts_for_user
from platsa.placements.access import access_note_list, review_status
from platsa.placements.models import Referral
from platsa.placements.selectors import (
    placement_aggregates,
    placement_list_for_user,
    placement_rows,
    status_q,
)
from platsa.procurement.selectors import agreement_table


def _current_rows(user: User, on: dt.date) -> list[object]:
    current = placement_list_for_user(user, on=on).exclude(status_q(PlacementStatus.ENDED, on=on))
    return list(placement_rows(user, current, on=on))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what this role needs first."""
    user: User = request.user  # type: ignore[assignment]
    on = today()
    context: dict[str, object] = {"today": on}
    if user.is_regional_analyst:
        return redirect("regional")  # their one page
    if user.municipality_id is None:
        return render(request, "core/home_operator.html", context)
    role = user.role
    if role == Role.REVIEWER:
        month, size, done = review_status(user, on=on)
        context.update(review_month=month, review_size=size, review_done=done)
        return render(request, "core/home_reviewer.html", context)
    context["alerts"] = alerts_for_user(user, today=on)
    if role in (Role.COACH, Role.SUPERVISOR):
        context["rows"] = _current_rows(user, on)
        access_note_list(user)
    if role == Role.COACH:
        # The coach sees the rows, so the count is exact: the same one the manager sees.
        context["flagged_count"] = placement_aggregates(user, on=on).flagged.value
        context["waiting"] = Referral.objects.filter(
            participant__municipality_id=user.municipality_id,
            placement__isnull=True,
            withdrawn_on__isnull=True,
        ).count()
    if role in (Role.MANAGER, Role.ANALYST, Role.ADMIN):
        aggregates = placement_aggregates(user, on=on)
        context["aggregates"] = aggregates
        if (
            role != Role.ANALYST
        ):  # exact for roles that see the rows: the aggregate already counted it
            context["flagged_count"] = aggregates.flagged.value
    if role in (Role.MANAGER, Role.ADMIN):
        context["agreements"] = agreement_table(user, on=on)
    return render(request, f"core/home_{role}.html", context)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "429.html", status=429)
