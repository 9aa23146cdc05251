"""The referral queue, registering a participant, placing from the place finder, moving."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.forms import attach_errors
from platsa.common.http import posted
from platsa.common.permissions import require
from platsa.placements.access import access_note, access_note_list
from platsa.placements.forms_intake import (
    ORDER_FIELDS,
    IntakeForm,
    MoveForm,
    PlaceForm,
    ReferralForm,
    WithdrawForm,
)
from platsa.placements.models import Participant, Referral
from platsa.placements.selectors import participant_get_for_user, placement_get_for_user
from platsa.placements.services_intake import (
    Order,
    capacity_on,
    participant_refer,
    placement_move,
    placement_pause,
    placement_start,
    referral_add,
    referral_withdraw,
)
from platsa.procurement.models import Place
from platsa.procurement.selectors import place_get_for_user, place_list_for_user

# The queue shows the placements made in this many recent days beside the waiting ones.
RECENT_DAYS = 90


def _referrals(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(participant__municipality_id=user.municipality_id)


def _participant(user: User, pk: int) -> Participant:
    return participant_get_for_user(user, pk)


@login_required
def referral_queue(request: HttpRequest) -> HttpResponse:
    """Who waits for a place, for how long, and how long the recently placed waited."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "intake")
    access_note_list(user)
    on = today()
    waiting = [
        (r, r.days_waited(on=on))
        for r in _referrals(user)
        .filter(placement__isnull=True, withdrawn_on__isnull=True)
        .select_related("participant")
        .order_by("referred_on", "pk")
    ]
    placed = [
        (r, r.days_to_start)
        for r in _referrals(user)
        .filter(placement__start_date__gte=on - dt.timedelta(days=RECENT_DAYS))
        .select_related("participant", "placement__organisation")
        .order_by("-placement__start_date")
    ]
    waits = [d for _r, d in placed if d is not None]
    return render(
        request,
        "placements/referral_queue.html",
        {
            "waiting": waiting,
            "placed": placed,
            "median_wait": statistics.median(waits) if waits else None,
            "recent_days": RECENT_DAYS,
            "today": on,
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest) -> HttpResponse:
    """Register a participant with their profile and referral: they join the queue."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "intake")
    post = request.POST if request.method == "POST" else None
    form = IntakeForm(post, prefix="p")
    referral_form = ReferralForm(post, prefix="r", initial={"referred_on": today()})
    if post is not None and form.is_valid() and referral_form.is_valid():
        try:
            referral = participant_refer(
                municipality=user.municipality,  # type: ignore[arg-type]
                participant=form.save(commit=False),
                referral=referral_form.save(commit=False),
                interests=list(form.cleaned_data["interests"]),
                excluded=list(form.cleaned_data["excluded_work_types"]),
                by=user,
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                target = referral_form if field in referral_form.fields else form
                target.add_error(field if field in target.fields else None, msgs)
        else:
            messages.success(
                request,
                _("%(code)s is registered and waits in the queue. Find a place now:")
                % {"code": referral.participant.code},
            )
            return redirect("place_finder", pk=referral.participant_id)
    return render(
        request,
        "placements/participant_new.html",
        {"form": form, "referral_form": referral_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer a participant who is already registered (again)."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "intake")
    participant = _participant(user, pk)
    form = ReferralForm(posted(request), initial={"referred_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            referral_add(participant=participant, referral=form.save(commit=False), by=user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The referral is in the queue."))
            return redirect("place_finder", pk=participant.pk)
    return render(
        request, "placements/referral_new.html", {"participant": participant, "form": form}
    )


@login_required
@require_http_methods(["POST"])
def referral_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "intake")
    referral = _referrals(user).filter(pk=pk).select_related("participant").first()
    if referral is None:
        raise Http404
    access_note([referral.participant])
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            referral_withdraw(
                referral=referral,
                on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
    if form.errors:
        messages.error(
            request,
            _("The referral of %(code)s was not withdrawn: %(errors)s")
            % {
                "code": referral.participant.code,
                "errors": " ".join(m for msgs in form.errors.values() for m in msgs),
            },
        )
    else:
        messages.success(request, _("The referral is withdrawn."))
    return redirect("referral_queue")


def _waiting_referral(participant: Participant) -> Referral | None:
    return participant.referrals.filter(placement__isnull=True, withdrawn_on__isnull=True).first()


@login_required
@require_http_methods(["GET", "POST"])
def placement_new(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    """ "Place here": the start date and the order, checked against the agreement and capacity."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "intake")
    participant = _participant(user, pk)
    place = place_get_for_user(user, place_pk)
    referral = _waiting_referral(participant)
    order = Order.of(referral)
    form = PlaceForm(posted(request), initial=asdict(order))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement = placement_start(
                participant=participant,
                place=place,
                start=data["start"],
                order=Order(**{f: data[f] for f in ORDER_FIELDS}),
                over_capacity_reason=data["over_capacity_reason"],
                referral=referral,
                by=user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s is placed at %(org)s from %(date)s; the supplier sees it now.")
                % {
                    "code": participant.code,
                    "org": place.agreement.organisation.name,
                    "date": placement.start_date.isoformat(),
                },
            )
            return redirect("participant_timeline", pk=participant.pk)
    on = today()
    return render(
        request,
        "placements/placement_new.html",
        {
            "participant": participant,
            "place": place,
            "referral": referral,
            "form": form,
            "capacity": capacity_on(place, on)
            if place.agreement.status_on(on) == "in_force"
            else None,
            "today": on,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move to another place: one placement ends (destination "moved"), the next begins."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "intake")
    on = today()
    placement = placement_get_for_user(user, pk, on=on)
    if placement.actual_end is not None:
        raise Http404
    places: QuerySet[Place] = place_list_for_user(user).exclude(pk=placement.place_id or 0)
    form = MoveForm(posted(request), places=places)
    if request.method == "POST" and form.is_valid():
        try:
            moved = placement_move(
                placement=placement,
                place=form.cleaned_data["place"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                over_capacity_reason=form.cleaned_data["over_capacity_reason"],
                by=user,
            )
        except ValidationError as exc:
            attach_errors(form, exc, aliases={"start": "on"})
        else:
            messages.success(
                request,
                _("%(code)s moves to %(org)s from %(date)s.")
                % {
                    "code": placement.participant.code,
                    "org": moved.organisation.name,
                    "date": moved.start_date.isoformat(),
                },
            )
            return redirect("participant_timeline", pk=placement.participant_id)
    return render(request, "placements/placement_move.html", {"placement": placement, "form": form})


@login_required
@require_http_methods(["POST"])
def placement_pause_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause a placement for a while; a refused pause comes back on the journey with its errors."""
    from platsa.placements.forms_followup import PauseForm
    from platsa.placements.views_followup import participant_timeline

    user: User = request.user  # type: ignore[assignment]
    require(user, "intake")
    placement = placement_get_for_user(user, pk, on=today())
    form = PauseForm(request.POST)
    if form.is_valid():
        try:
            placement_pause(
                placement=placement,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The pause is recorded; no attendance is asked for then."))
            return redirect("participant_timeline", pk=placement.participant_id)
    return participant_timeline(request, placement.participant_id, pause_form=form, status=400)
