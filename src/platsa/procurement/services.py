"""Writes for organisations and agreements: each one transaction, validated before it saves."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, User
from platsa.procurement.models import (
    Agreement,
    AgreementPlaces,
    AgreementSupervisor,
    Organisation,
    Place,
    RenewalChoice,
    RenewalDecision,
)


@transaction.atomic
def organisation_save(*, organisation: Organisation, municipality: Municipality) -> Organisation:
    organisation.municipality = municipality
    organisation.full_clean()
    organisation.save()
    return organisation


def _ensure_places(agreement: Agreement, count: int) -> None:
    """As many places (Plats 1 … n) as the most the agreement buys, so each can be described."""
    existing = set(agreement.places.values_list("label", flat=True))
    n = 1
    while len(existing) < count:
        label = f"Plats {n}"
        if label not in existing:
            Place.objects.create(agreement=agreement, label=label)
            existing.add(label)
        n += 1


@transaction.atomic
def agreement_create(*, agreement: Agreement, places: int) -> Agreement:
    """An agreement with the places it buys from its first day, each place ready to describe."""
    agreement.full_clean()
    agreement.save()
    count = AgreementPlaces(agreement=agreement, valid_from=agreement.start_date, places=places)
    count.full_clean()
    count.save()
    _ensure_places(agreement, places)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: Agreement) -> Agreement:
    agreement.full_clean()
    first = agreement.place_counts.order_by("valid_from").first()
    if first is not None and first.valid_from < agreement.start_date:
        raise ValidationError(
            {
                "start_date": [
                    _("The places are counted from %(date)s: the start cannot be later.")
                    % {"date": first.valid_from.isoformat()}
                ]
            }
        )
    agreement.save()
    return agreement


@transaction.atomic
def agreement_places_set(*, agreement: Agreement, valid_from: dt.date, places: int) -> None:
    """The number of places from a date on (replacing a count recorded for the same date)."""
    if valid_from > agreement.in_force_until:
        raise ValidationError(
            {
                "valid_from": [
                    _("The agreement is in force until %(date)s.")
                    % {"date": agreement.in_force_until.isoformat()}
                ]
            }
        )
    count = AgreementPlaces.objects.filter(agreement=agreement, valid_from=valid_from).first()
    count = count or AgreementPlaces(agreement=agreement, valid_from=valid_from)
    count.places = places
    count.full_clean(validate_unique=False, validate_constraints=False)
    count.save()
    _ensure_places(agreement, max(agreement.place_counts.values_list("places", flat=True)))


@transaction.atomic
def supervisor_name(*, link: AgreementSupervisor) -> AgreementSupervisor:
    """Name a supervisor on the agreement (the municipality approves a change of supervisor)."""
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def agreement_give_notice(*, agreement: Agreement, on: dt.date, today: dt.date) -> Agreement:
    if on > today:
        raise ValidationError({"notice_given_on": [_("Notice cannot be given in the future.")]})
    if on < agreement.start_date:
        raise ValidationError(
            {"notice_given_on": [_("Notice cannot be given before the agreement starts.")]}
        )
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.notice_given_on = on
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def renewal_decide(
    *,
    agreement: Agreement,
    period_end: dt.date,
    choice: str,
    places: int | None,
    reason: str,
    decided_on: dt.date,
    by: User,
    today: dt.date,
) -> RenewalDecision:
    """Record the decision for the period ending ``period_end`` and carry it out: notice is
    given, or the places change from the next period. All or nothing."""
    errors: dict[str, list[str]] = {}
    if decided_on > today:
        errors["decided_on"] = [_("A decision cannot be dated in the future.")]
    if len(reason.strip()) < 10:
        errors["reason"] = [_("Say in a sentence why (at least 10 characters).")]
    if choice == RenewalChoice.CHANGE_PLACES and (places is None or not 0 <= places <= 500):
        errors["places"] = [_("Give the number of places from the next period (0–500).")]
    if choice != RenewalChoice.CHANGE_PLACES and places is not None:
        # Not kept for another decision: refused rather than silently dropped.
        errors["places"] = [_("A number of places goes only with a change of places.")]
    if errors:
        raise ValidationError(errors)
    decision, _created = RenewalDecision.objects.update_or_create(
        agreement=agreement,
        period_end=period_end,
        defaults={
            "choice": choice,
            "places": places,
            "reason": reason.strip(),
            "decided_on": decided_on,
            "recorded_by": by,
        },
    )
    if choice == RenewalChoice.GIVE_NOTICE:
        agreement_give_notice(agreement=agreement, on=decided_on, today=today)
    elif choice == RenewalChoice.CHANGE_PLACES:
        assert places is not None
        agreement_places_set(
            agreement=agreement, valid_from=period_end + dt.timedelta(days=1), places=places
        )
    return decision
