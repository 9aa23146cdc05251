"""Writes for the daily cycle's start: referring a participant, placing them, moving them.

Each service is one transaction: a placement is made whole (placement, its first scope step, the
referral it answers) or not at all, and every refusal names the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, Role, User
from platsa.common.clock import today
from platsa.engine.occupancy import add_months
from platsa.placements.models import (
    Attendance,
    Destination,
    Participant,
    Placement,
    PlacementPause,
    Referral,
    ScopeStep,
)
from platsa.placements.occupancy import Scope, occupancy_for
from platsa.procurement.models import Agreement, Place

# A placement can be made for a start this far back (a coach registering it a little late) …
START_DAYS_BACK = 31
# … and this far ahead.
START_DAYS_AHEAD = 366


@transaction.atomic
def participant_refer(
    *,
    municipality: Municipality,
    participant: Participant,
    referral: Referral,
    interests: list[object] | None = None,
    excluded: list[object] | None = None,
    by: User,
) -> Referral:
    """Register a new participant (pseudonymous code) with their profile and their first referral.

    ``participant`` and ``referral`` are unsaved; both are validated before anything is written.
    """
    participant.municipality = municipality
    if by.role == Role.COACH and participant.responsible_coach_id is None:
        participant.responsible_coach = by  # the registering coach's caseload
    errors: dict[str, list[str]] = {}
    try:
        participant.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    referral.created_by = by
    try:
        referral.full_clean(exclude=["participant"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    participant.save()
    if interests is not None:
        participant.interests.set(interests)  # type: ignore[arg-type]
    if excluded is not None:
        participant.excluded_work_types.set(excluded)  # type: ignore[arg-type]
    referral.participant = participant
    referral.save()
    return referral


@transaction.atomic
def referral_add(*, participant: Participant, referral: Referral, by: User) -> Referral:
    """Refer a participant who is already known (again); one waiting referral at a time."""
    if participant.referrals.filter(placement__isnull=True, withdrawn_on__isnull=True).exists():
        raise ValidationError(
            {"referred_on": [_("The participant is already waiting in the queue.")]}
        )
    referral.participant = participant
    referral.created_by = by
    referral.full_clean()
    referral.save()
    return referral


@transaction.atomic
def referral_withdraw(*, referral: Referral, on: dt.date, reason: str, by: User) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.waiting:
        raise ValidationError({"withdrawn_on": [_("The referral is no longer waiting.")]})
    if on > today():
        raise ValidationError({"withdrawn_on": [_("The date cannot be in the future.")]})
    referral.withdrawn_on, referral.withdrawn_reason = on, reason.strip()
    referral.full_clean()
    referral.save()
    return referral


@dataclass(frozen=True)
class Capacity:
    """Places in force and occupied on one day under one agreement (the occupancy engine's count)."""

    places: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.places - self.occupied, 0)


def capacity_on(place: Place, day: dt.date) -> Capacity:
    """How many of the agreement's places are taken on ``day``, as the occupancy page counts them."""

    agreement = place.agreement
    result, _agreements = occupancy_for(
        Scope(agreement.organisation.municipality_id, agreement_id=agreement.pk),
        start=day,
        end=day,
        as_of=today(),
    )
    return Capacity(int(result.capacity[0, 0]), int(round(float(result.occupied[0, 0]))))


@dataclass(frozen=True)
class Order:
    """The order a placement carries: goal, planned months and the scope at the start."""

    goals: str = ""
    planned_months: int | None = None
    scope_percent: int | None = None
    hours_per_day: Decimal | None = None
    days_per_week: int | None = None

    @classmethod
    def of(cls, referral: Referral | None) -> Order:
        if referral is None:
            return cls()
        return cls(
            referral.goals,
            referral.planned_months,
            referral.scope_percent,
            referral.hours_per_day,
            referral.days_per_week,
        )


def _check_start(
    participant: Participant, place: Place, start: dt.date, over_capacity_reason: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    now = today()
    if (
        not now - dt.timedelta(days=START_DAYS_BACK)
        <= start
        <= now + dt.timedelta(days=START_DAYS_AHEAD)
    ):
        errors["start"] = [
            _("Choose a start between %(first)s and %(last)s.")
            % {
                "first": (now - dt.timedelta(days=START_DAYS_BACK)).isoformat(),
                "last": (now + dt.timedelta(days=START_DAYS_AHEAD)).isoformat(),
            }
        ]
        return errors
    agreement = place.agreement
    if agreement.organisation.municipality_id != participant.municipality_id:
        errors["place"] = [_("The place belongs to another municipality.")]
        return errors
    if agreement.status_on(start) != "in_force":
        errors["start"] = [
            _("No agreement with %(org)s is in force on %(date)s.")
            % {"org": agreement.organisation.name, "date": start.isoformat()}
        ]
        return errors
    running = participant.placements.filter(start_date__lte=start).exclude(actual_end__lt=start)
    later = participant.placements.filter(start_date__gt=start)
    other = running.first() or later.first()
    if other is not None:
        errors["start"] = [
            _(
                "%(code)s already has a placement at %(org)s from %(date)s; move or close it "
                "instead."
            )
            % {
                "code": participant.code,
                "org": other.organisation.name,
                "date": other.start_date.isoformat(),
            }
        ]
        return errors
    capacity = capacity_on(place, start)
    if capacity.free > 0 and over_capacity_reason.strip():
        errors["over_capacity_reason"] = [
            _("%(free)s of %(places)s places are free on %(date)s: leave the reason empty.")
            % {"free": capacity.free, "places": capacity.places, "date": start.isoformat()}
        ]
    if capacity.free == 0 and not over_capacity_reason.strip():
        errors["over_capacity_reason"] = [
            _(
                "All %(places)s places at %(org)s are taken on %(date)s. The supplier may refuse "
                "above its capacity: give the reason for placing anyway, agreed with them."
            )
            % {
                "places": capacity.places,
                "org": agreement.organisation.name,
                "date": start.isoformat(),
            }
        ]
    return errors


def _create(
    *,
    participant: Participant,
    place: Place,
    start: dt.date,
    order: Order,
    over_capacity_reason: str,
) -> Placement:
    agreement = place.agreement
    placement = Placement(
        participant=participant,
        organisation=agreement.organisation,
        agreement=agreement,
        place=place,
        start_date=start,
        goals=order.goals,
        planned_months=order.planned_months,
        planned_end=(
            add_months(start, order.planned_months) - dt.timedelta(days=1)
            if order.planned_months
            else None
        ),
        scope_percent=order.scope_percent,
        over_capacity_reason=over_capacity_reason.strip(),
    )
    placement.full_clean()
    placement.save()
    if order.scope_percent or order.hours_per_day is not None or order.days_per_week:
        step = ScopeStep(
            placement=placement,
            valid_from=start,
            percent=order.scope_percent,
            hours_per_day=order.hours_per_day,
            days_per_week=order.days_per_week,
        )
        step.full_clean()
        step.save()
    return placement


@transaction.atomic
def placement_start(
    *,
    participant: Participant,
    place: Place,
    start: dt.date,
    order: Order,
    over_capacity_reason: str = "",
    referral: Referral | None = None,
    by: User,
) -> Placement:
    """Place a participant on a place from ``start``.

    Refused unless the place's agreement is in force that day and the participant has no other
    placement then; when every place is taken the supplier may refuse, so placing anyway needs a
    recorded reason. The referral it answers leaves the queue.
    """
    # Lock the agreement, so two coaches cannot both take its last place (on any of its places).
    Agreement.objects.select_for_update().filter(pk=place.agreement_id).first()
    place = Place.objects.select_related("agreement__organisation").get(pk=place.pk)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    errors = _check_start(participant, place, start, over_capacity_reason)
    if errors:
        raise ValidationError(errors)
    placement = _create(
        participant=participant,
        place=place,
        start=start,
        order=order,
        over_capacity_reason=over_capacity_reason,
    )
    if referral is not None:
        if referral.participant_id != participant.pk or not referral.waiting:
            raise ValidationError({"referral": [_("The referral is no longer waiting.")]})
        referral.placement = placement
        referral.save(update_fields=["placement"])
    return placement


@transaction.atomic
def placement_move(
    *,
    placement: Placement,
    place: Place,
    on: dt.date,
    reason: str,
    over_capacity_reason: str = "",
    by: User,
) -> Placement:
    """Move a participant to another place: the placement ends the day before ``on`` (destination
    "moved", with the reason) and the next starts on ``on`` with the same order and latest scope."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the participant moves.")]
    if placement.actual_end is not None:
        errors["on"] = [_("The placement has already ended.")]
    elif on <= placement.start_date:
        errors["on"] = [
            _("The move must be after the placement's first day (%(date)s).")
            % {"date": placement.start_date.isoformat()}
        ]
    if place.agreement_id == placement.agreement_id and place.pk == placement.place_id:
        errors["place"] = [_("Choose another place than the current one.")]
    if errors:
        raise ValidationError(errors)
    from platsa.placements.services import placement_close

    latest = placement.scope_steps.filter(valid_from__lte=on).order_by("-valid_from").first()
    remaining = None
    if placement.planned_end is not None and placement.planned_end >= on:
        remaining = max(1, round((placement.planned_end - on).days / 30.4))
    order = Order(
        goals=placement.goals,
        planned_months=remaining,
        scope_percent=latest.percent if latest else placement.scope_percent,
        hours_per_day=latest.hours_per_day if latest else None,
        days_per_week=latest.days_per_week if latest else None,
    )
    placement_close(
        placement=placement,
        end=on - dt.timedelta(days=1),
        destination=Destination.MOVED,
        reason=reason,
        by=by,
        schedule_checks=False,
    )
    try:
        return placement_start(
            participant=placement.participant,
            place=place,
            start=on,
            order=order,
            over_capacity_reason=over_capacity_reason,
            by=by,
        )
    except ValidationError as exc:
        raise ValidationError(
            {("on" if k == "start" else k): v for k, v in exc.message_dict.items()}
        ) from exc


@transaction.atomic
def placement_pause(
    *, placement: Placement, start: dt.date, end: dt.date, reason: str, by: User
) -> PlacementPause:
    """Pause a placement for a while: the place is held and no attendance is asked for."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    pause = PlacementPause(
        placement=placement, start=start, end=end, reason=reason.strip(), recorded_by=by
    )
    pause.full_clean()
    errors: dict[str, list[str]] = {}
    overlapping = placement.pauses.filter(start__lte=end, end__gte=start).first()
    if overlapping is not None:
        errors["start"] = [
            _("It overlaps the pause %(s)s – %(e)s.")
            % {"s": overlapping.start.isoformat(), "e": overlapping.end.isoformat()}
        ]
    present = (
        Attendance.objects.filter(placement=placement, date__range=(start, end), status="present")
        .order_by("date")
        .first()
    )
    if present is not None:
        errors["start"] = [
            _("%(date)s is reported as present; correct the attendance first.")
            % {"date": present.date.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    pause.save()
    return pause
