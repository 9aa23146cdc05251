"""The access log: searched by the log reviewer and the administrator, its monthly sample
reviewed and documented by the log reviewer, exported for a subject-access request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.http import posted
from platsa.common.permissions import can, require
from platsa.common.sheets import csv_response
from platsa.placements.access import (
    GRANT_HOURS,
    REVIEW_LIMIT,
    AccessSearch,
    access_chain_check,
    access_list_for_user,
    grant_record,
    month_sample,
    month_span,
    outside_caseload,
    page_label,
    previous_month,
    review_record,
)
from platsa.placements.forms import (
    AccessReasonForm,
    AccessReviewForm,
    AccessSearchForm,
    ReviewMonthForm,
)
from platsa.placements.models import ReviewOutcome
from platsa.placements.selectors import participant_in_municipality

#: An export holds at most this many rows; a longer one is narrowed by the search.
EXPORT_LIMIT = 100_000


def _search(request: HttpRequest) -> tuple[AccessSearchForm, AccessSearch | None]:
    form = AccessSearchForm(request.GET or None)
    if not form.is_bound:
        return form, AccessSearch()
    if not form.is_valid():
        return form, None
    return form, AccessSearch(**form.cleaned_data)


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """The newest rows first, at most ``REVIEW_LIMIT``; a search narrows them."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "review_access")
    form, search = _search(request)
    if search is None:
        return render(request, "placements/access_log.html", {"form": form, "rows": []}, status=400)
    rows = list(access_list_for_user(user, search)[: REVIEW_LIMIT + 1])
    return render(
        request,
        "placements/access_log.html",
        {
            "form": form,
            "rows": [(a, page_label(a.page)) for a in rows[:REVIEW_LIMIT]],
            "more": len(rows) > REVIEW_LIMIT,
            "limit": REVIEW_LIMIT,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def access_log_csv(request: HttpRequest) -> HttpResponse:
    """The search's rows as CSV: e.g. one participant's whole access history."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "review_access")
    form, search = _search(request)
    if search is None:
        return render(request, "placements/access_log.html", {"form": form, "rows": []}, status=400)
    header = [
        _("When"),
        _("User"),
        _("Role"),
        _("Participant"),
        _("Page"),
        _("Saved a change"),
        _("From address"),
        _("Reason"),
        _("Review"),
    ]

    def rows() -> Iterator[list[str]]:
        yield header
        for a in access_list_for_user(user, search)[:EXPORT_LIMIT]:
            review = a.review
            yield [
                f"{a.at.astimezone():%Y-%m-%d %H:%M:%S}",
                a.user.username,
                a.role,
                a.participant.code
                if a.participant
                else (_("(erased)") if a.participant_id else _("(a list)")),
                page_label(a.page),
                _("Yes") if a.changed else _("No"),
                a.address or "",
                a.reason,
                review.get_outcome_display() if review else "",
            ]

    return csv_response(rows(), filename=f"atkomstlogg-{today():%Y-%m-%d}.csv")


@login_required
@require_http_methods(["GET", "POST"])
def access_review(request: HttpRequest) -> HttpResponse:
    """The month's sample, each row with its documented check; the chain's integrity on top."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "review_access")
    this_month = today().replace(day=1)
    raw_month = request.POST.get("month") or request.GET.get("month")
    month_form = ReviewMonthForm(
        {"month": raw_month or f"{previous_month(today()):%Y-%m}"}, this_month=this_month
    )
    if not month_form.is_valid():
        return render(
            request,
            "placements/access_review.html",
            {"month_form": month_form, "sample": []},
            status=400,
        )
    month: dt.date = month_form.cleaned_data["month"]
    sample = month_sample(user.municipality_id, month)  # type: ignore[arg-type]
    refused: AccessReviewForm | None = None
    if request.method == "POST":
        require(user, "record_access_review")
        form = AccessReviewForm(request.POST, auto_id=f"id_{request.POST.get('access', '')}_%s")
        by_pk = {a.pk: a for a in sample}
        if form.is_valid() and form.cleaned_data["access"] in by_pk:
            review_record(
                reviewer=user,
                access=by_pk[form.cleaned_data["access"]],
                outcome=ReviewOutcome(form.cleaned_data["outcome"]),
                note=form.cleaned_data["note"].strip(),
            )
            messages.success(request, _("The review of the row is recorded."))
            return redirect(f"{reverse('access_review')}?month={month:%Y-%m}")
        if form.is_valid():
            form.add_error(None, _("That row is not in this month's sample."))
        refused = form
    reviewed = [a for a in sample if a.review is not None]
    rows = []
    for a in sample:
        form = (
            refused
            if refused is not None and refused.data.get("access") == str(a.pk)
            else AccessReviewForm(initial={"access": a.pk}, auto_id=f"id_{a.pk}_%s")
        )
        rows.append((a, page_label(a.page), form))
    return render(
        request,
        "placements/access_review.html",
        {
            "month_form": month_form,
            "month": month,
            "sample": rows,
            "reviewed": len(reviewed),
            "deviations": sum(
                1
                for a in reviewed
                if a.review is not None and a.review.outcome == ReviewOutcome.DEVIATION
            ),
            # The month shown, not the whole history: `platsa verify_access_log` walks all of it.
            "chain": access_chain_check(
                user.municipality_id,  # type: ignore[arg-type]
                start=month_span(month)[0],
                end=month_span(month)[1],
            ),
            "may_record": can(user, "record_access_review"),
            "refused": refused,
        },
        status=400 if refused is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def access_reason(request: HttpRequest, pk: int) -> HttpResponse:
    """A coach about to open a participant of another coach's caseload states why first."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "follow_up")
    participant = participant_in_municipality(user, pk)
    if not outside_caseload(user, participant):
        raise Http404
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("participant_timeline", args=[participant.pk])
    form = AccessReasonForm(posted(request))
    if form.is_bound and form.is_valid():
        grant_record(request.session, participant, form.cleaned_data["reason"])
        return redirect(target)
    return render(
        request,
        "placements/access_reason.html",
        {"participant": participant, "form": form, "next": target, "hours": GRANT_HOURS},
        status=400 if form.is_bound else 200,
    )
