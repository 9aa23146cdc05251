"""Reads for organisations and agreements, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from platsa.accounts.models import Role, User
from platsa.common.permissions import require
from platsa.engine.occupancy import agreement_periods, notice_deadline
from platsa.procurement.models import Agreement, AgreementPlaces, Organisation, Place


def organisation_list_for_user(user: User) -> QuerySet[Organisation]:
    require(user, "view_organisations")
    qs = Organisation.objects.filter(municipality_id=user.municipality_id)
    if user.role == Role.SUPERVISOR:
        qs = qs.filter(pk=user.organisation_id)
    return qs.prefetch_related("work_types")


def organisation_get_for_user(user: User, pk: int) -> Organisation:
    """The organisation if the user may see it; 404 otherwise, so nothing leaks about others."""
    try:
        return organisation_list_for_user(user).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def agreement_list_for_user(user: User) -> QuerySet[Agreement]:
    require(user, "view_agreements")
    qs = Agreement.objects.filter(organisation__municipality_id=user.municipality_id)
    if user.role == Role.SUPERVISOR:
        qs = qs.filter(organisation_id=user.organisation_id)
    return qs.select_related("organisation", "procurement").prefetch_related(
        Prefetch("place_counts", queryset=AgreementPlaces.objects.order_by("valid_from"))
    )


def agreement_get_for_user(user: User, pk: int) -> Agreement:
    try:
        return (
            agreement_list_for_user(user)
            .prefetch_related("places__work_type", "supervisor_links__user")
            .get(pk=pk)
        )
    except Agreement.DoesNotExist:
        raise Http404 from None


def place_list_for_user(user: User) -> QuerySet[Place]:
    """Places under the agreements the user may see."""
    return Place.objects.filter(agreement__in=agreement_list_for_user(user)).select_related(
        "agreement__organisation", "work_type"
    )


def place_get_for_user(user: User, pk: int) -> Place:
    try:
        return place_list_for_user(user).get(pk=pk)
    except Place.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    status: str
    places: int
    value_sek: float | None


@dataclass(frozen=True)
class AgreementTable:
    rows: list[AgreementRow]
    total_places: int
    total_value_sek: float | None
    earlier: int = 0  # agreements left out: ended before the table's window


ENDED_SHOWN_DAYS = 365


def agreement_table(user: User, *, on: dt.date, every: bool = False) -> AgreementTable:
    """The user's agreements with status and places on ``on`` (or at their last day) and value.

    Those in force or coming, and those that ended in the last year (``ENDED_SHOWN_DAYS``); with
    ``every``, every agreement ever. The older ones are only counted (``earlier``), so that the
    table does not grow with the municipality's history.
    """
    agreements = list(agreement_list_for_user(user))
    cutoff = on - dt.timedelta(days=ENDED_SHOWN_DAYS)
    shown = agreements if every else [a for a in agreements if a.in_force_until >= cutoff]
    rows = [
        AgreementRow(
            a, a.status_on(on), a.places_on(min(on, a.in_force_until)), a.contract_value_sek()
        )
        for a in shown
    ]
    values = [r.value_sek for r in rows]
    total = None if not rows or any(v is None for v in values) else float(sum(values))  # type: ignore[arg-type]
    return AgreementTable(
        rows, sum(r.places for r in rows), total, earlier=len(agreements) - len(shown)
    )


@dataclass(frozen=True)
class NoticeStatus:
    """Where an agreement stands: its periods, the running one, and the notice deadline that
    matters (only while it would otherwise renew automatically)."""

    periods: list[tuple[dt.date, dt.date]]
    running: tuple[dt.date, dt.date] | None
    deadline: dt.date | None
    days_left: int | None


def notice_status(agreement: Agreement, *, today: dt.date) -> NoticeStatus:
    periods = agreement_periods(agreement.spec())
    index = next((i for i, (s, e) in enumerate(periods) if s <= today <= e), None)
    if index is None:
        return NoticeStatus(periods, None, None, None)
    running = periods[index]
    renews = (
        agreement.auto_renew
        and agreement.notice_given_on is None
        and index < len(agreement.extension_years)
    )
    if not renews:
        return NoticeStatus(periods, running, None, None)
    deadline = notice_deadline(running[1], agreement.notice_months)
    return NoticeStatus(periods, running, deadline, (deadline - today).days)


def agreement_for(candidates: list[Agreement], start: dt.date) -> Agreement | None:
    """The agreement a placement runs under: the one in force at its start, else the nearest.

    A placement that starts outside every agreement keeps the nearest one and is flagged (it
    starts before or after its agreement); it is never dropped or moved.
    """
    if not candidates:
        return None
    for agreement in candidates:
        if agreement.start_date <= start <= agreement.end_date:
            return agreement
    return min(
        candidates,
        key=lambda a: min(abs((a.start_date - start).days), abs((a.end_date - start).days)),
    )
