"""Occupancy, payment models and invoicing for what the user may see.

The database rows become the engine's plain specs here; the engine does the arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import PermissionDenied

from platsa.accounts.models import Role, User
from platsa.common.permissions import require
from platsa.engine.occupancy import (
    OccupancyResult,
    agreement_periods,
)
from platsa.engine.payment import ModelResult, PaymentAssumptions, compare_payment_models
from platsa.placements.access import access_note
from platsa.placements.models import Placement
from platsa.placements.occupancy import Scope, agreements_in_scope, occupancy_for
from platsa.procurement.models import Agreement


def scope_for_user(
    user: User, *, organisation_id: int | None = None, agreement_id: int | None = None
) -> Scope:
    require(user, "view_occupancy")
    assert user.municipality_id is not None
    if user.role == Role.SUPERVISOR:
        if organisation_id not in (None, user.organisation_id):
            raise PermissionDenied
        organisation_id = user.organisation_id
    return Scope(user.municipality_id, organisation_id, agreement_id)


def payment_models_for(
    result: OccupancyResult,
    agreements: list[Agreement],
    assumptions: PaymentAssumptions | None = None,
) -> dict[str, ModelResult]:
    prices = np.array([float(a.price_sek) for a in agreements], dtype=np.float64)
    return compare_payment_models(
        result, fixed_price_per_place_month=prices, assumptions=assumptions or PaymentAssumptions()
    )


def default_period(scope: Scope, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The latest agreement period that has started (so a new user sees a whole agreement year)."""
    started = [
        (s, e)
        for a in agreements_in_scope(scope)
        for s, e in agreement_periods(a.spec())
        if s <= today
    ]
    if not started:
        return today.replace(day=1), today
    return max(started)


def agreement_periods_all(scope: Scope, *, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    periods = {
        p for a in agreements_in_scope(scope) for p in agreement_periods(a.spec()) if p[0] <= today
    }
    return sorted(periods, reverse=True)


@dataclass(frozen=True)
class InvoiceLine:
    agreement: Agreement
    payment_model: str
    capacity_place_days: float
    occupied_place_days: float
    amount_sek: float
    assumptions: tuple[object, ...]


@dataclass(frozen=True)
class InvoicePlacementRow:
    participant_code: str
    start: dt.date  # within the month
    end: dt.date  # within the month
    days: int


@dataclass(frozen=True)
class InvoiceBasis:
    organisation: str
    month_start: dt.date
    month_end: dt.date
    lines: list[InvoiceLine]
    placements: list[InvoicePlacementRow]

    @property
    def total_sek(self) -> float:
        return sum(line.amount_sek for line in self.lines)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def invoicing_basis(
    user: User, *, organisation_id: int, month: dt.date, today: dt.date
) -> InvoiceBasis:
    """What the municipality owes one supplier for one month under each of its agreements."""
    require(user, "view_invoicing")
    scope = scope_for_user(user, organisation_id=organisation_id)
    start, end = month_bounds(month)
    result, agreements = occupancy_for(scope, start=start, end=end, as_of=today)
    if not agreements:
        raise PermissionDenied  # no agreement here, or another municipality's organisation
    lines = []
    for i, agreement in enumerate(agreements):
        mask = np.zeros(len(agreements), dtype=bool)
        mask[i] = True
        sub = result.select(mask)
        model = payment_models_for(sub, [agreement])[agreement.payment_model]
        if sub.capacity_place_days == 0 and sub.occupied_place_days == 0:
            continue
        lines.append(
            InvoiceLine(
                agreement,
                agreement.payment_model,
                sub.capacity_place_days,
                sub.occupied_place_days,
                model.municipality_cost_sek,
                model.assumptions,
            )
        )
    placements = (
        Placement.objects.filter(agreement__in=agreements, start_date__lte=end)
        .exclude(actual_end__lt=start)
        .select_related("participant")
        .order_by("start_date", "pk")
    )
    rows = []
    for p in placements:
        last = min(p.actual_end or end, end)
        if p.actual_end is None and p.planned_end is not None and start > today:
            last = min(p.planned_end, end)
        first = max(p.start_date, start)
        if last >= first:
            rows.append(
                InvoicePlacementRow(p.participant.code, first, last, (last - first).days + 1)
            )
    # The basis names participants by code: whoever opens or exports it has read their data.
    access_note(p.participant for p in placements)
    return InvoiceBasis(agreements[0].organisation.name, start, end, lines, rows)
