"""The access log: who opened which participant's record, for the administrator to review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from platsa.accounts.models import User
from platsa.common.permissions import require
from platsa.placements.access import REVIEW_LIMIT, AccessSearch, access_list_for_user
from platsa.placements.forms import AccessSearchForm


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The newest openings first, at most ``REVIEW_LIMIT``; a search narrows them."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "review_access")
    form = AccessSearchForm(request.GET or None)
    search = AccessSearch()
    if form.is_bound:
        if not form.is_valid():
            return render(
                request, "placements/access_log.html", {"form": form, "rows": []}, status=400
            )
        search = AccessSearch(**form.cleaned_data)
    rows = list(access_list_for_user(user, search)[: REVIEW_LIMIT + 1])
    return render(
        request,
        "placements/access_log.html",
        {
            "form": form,
            "rows": rows[:REVIEW_LIMIT],
            "more": len(rows) > REVIEW_LIMIT,
            "limit": REVIEW_LIMIT,
        },
    )
