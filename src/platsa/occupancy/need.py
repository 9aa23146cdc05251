"""The need for places from a municipality's recorded history (the engine does the arithmetic:
``platsa.engine.need``). The window defaults to the last twelve months."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import gettext as _

from platsa.engine.need import (
    DAYS_PER_MONTH,
    DemandCost,
    Missing,
    NeedInputs,
    NeedResult,
    need_for_places,
    payment_on_demand,
)
from platsa.engine.payment import PaymentAssumptions
from platsa.placements.models import Placement, Referral, ScopeStep
from platsa.placements.occupancy import Scope, agreements_in_scope, occupancy_for, overlapping
from platsa.procurement.models import Place

T = TypeVar("T")

#: How long a computed need is kept for the same inputs, and the version of its method (a
#: change to the simulation changes the key).
CACHE_SECONDS = 6 * 3600
ENGINE_NEED = "need/2"

#: The longest history one computation looks at.
MAX_WINDOW_DAYS = 3660


def default_window(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today - dt.timedelta(days=1)
    try:
        start = end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28) + dt.timedelta(days=1)
    return start, end


def need_inputs(
    municipality_id: int, *, start: dt.date, end: dt.date, today: dt.date
) -> NeedInputs:
    end = min(end, today)  # history only: nothing after today is recorded yet
    if end < start or (end - start).days > MAX_WINDOW_DAYS:
        raise ValueError(_("The history is from 1 day to 10 years, up to today."))
    days = (end - start).days + 1
    placements = Placement.objects.filter(participant__municipality_id=municipality_id)
    referrals = Referral.objects.filter(participant__municipality_id=municipality_id)
    arrived = referrals.filter(referred_on__range=(start, end)).count()
    direct = placements.filter(start_date__range=(start, end), referral__isnull=True).count()
    placed = referrals.filter(placement__start_date__range=(start, end)).count()
    withdrawn = referrals.filter(withdrawn_on__range=(start, end), placement__isnull=True).count()
    in_window = placements.filter(overlapping(start, end))
    spans = list(in_window.values_list("start_date", "actual_end"))
    latest: dict[int, tuple[int | None, int | None]] = {}
    for placement_id, days_a_week, percent, scope in (
        ScopeStep.objects.filter(placement__in=in_window, valid_from__lte=end)
        .order_by("placement_id", "valid_from")
        .values_list("placement_id", "days_per_week", "percent", "placement__scope_percent")
    ):
        latest[placement_id] = (days_a_week, percent or scope)
    for placement_id, scope in in_window.exclude(pk__in=list(latest)).values_list(
        "pk", "scope_percent"
    ):
        if scope is not None:
            latest[placement_id] = (None, scope)
    days_known = [min(5, d) for d, _p in latest.values() if d is not None]
    percents = [p for _d, p in latest.values() if p is not None]
    lengths, ended, used_days = [], [], 0
    for first, last in spans:
        stop = min(last, end) if last is not None else min(end, today)
        lengths.append(float((stop - first).days + 1))
        ended.append(last is not None and last <= end)
        used_days += max(0, (min(stop, end) - max(first, start)).days + 1)
    result, agreements = occupancy_for(Scope(municipality_id), start=start, end=end, as_of=today)
    prices = [float(a.price_sek) for a in agreements if a.payment_model == "fixed_per_place_month"]
    if not prices:
        prices = [float(a.price_sek) for a in agreements_in_scope(Scope(municipality_id))] or [0.0]
    return NeedInputs(
        window_months=days / DAYS_PER_MONTH,
        arrivals=arrived + direct,
        referrals_placed=placed,
        referrals_withdrawn=withdrawn,
        direct_placements=direct,
        lengths_days=lengths,
        ended=ended,
        average_in_use=used_days / days,
        price_per_place_month=sum(prices) / len(prices),
        places_bought=result.capacity_place_days / days,
        scope_recorded=len(latest),
        mean_days_per_week=sum(days_known) / len(days_known) if days_known else None,
        mean_scope_percent=sum(percents) / len(percents) if percents else None,
    )


def missing_text(m: Missing) -> str:
    """What the history lacks, in words."""
    texts = {
        "months": _("a history of at least %(needed)s months (this one is %(have)s)"),
        "arrivals": _("at least %(needed)s referrals or placements in the period (%(have)s)"),
        "lengths": _("at least %(needed)s placements to learn their length from (%(have)s)"),
        "ended": _("at least one placement that has ended"),
    }
    needed = int(m.needed) if float(m.needed).is_integer() else m.needed
    have = int(m.have) if float(m.have).is_integer() else m.have
    return texts[m.what] % {"needed": needed, "have": have}


def need_for(
    municipality_id: int,
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    target_wait_days: int = 14,
    target_share: float = 0.9,
    target_utilisation: float = 0.8,
    simulations: int = 200,
    seed: int = 1,
) -> NeedResult:
    inputs = need_inputs(municipality_id, start=start, end=end, today=today)
    options = {
        "target_wait_days": target_wait_days,
        "target_share": target_share,
        "target_utilisation": target_utilisation,
        "simulations": simulations,
        "seed": seed,
    }
    return _remembered(
        "need",
        [dataclasses.asdict(inputs), options],
        lambda: need_for_places(inputs, **options),  # type: ignore[arg-type]
    )


def _remembered(kind: str, payload: object, compute: Callable[[], T]) -> T:
    """A simulation depends only on its inputs and options: the same history gives the same
    answer, so a page asked for again (or the renewal and award pages) reuses it for
    ``CACHE_SECONDS``. The engine's version is in the key."""
    key = (
        f"{kind}:"
        + hashlib.sha256(json.dumps([payload, ENGINE_NEED], default=str).encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    result = compute()
    cache.set(key, result, CACHE_SECONDS)
    return result


@dataclass(frozen=True)
class WorkTypeRow:
    """Demand and supply of one kind of work over the window (``name`` None: not recorded)."""

    name: str | None
    referred_interested: int  # people referred in the window who want this kind of work
    placements: int  # placements that ran in the window at a place of this kind
    average_in_use: float  # places of this kind in use on average
    places_described: int  # places of this kind in the agreements in force today


def need_by_work_type(
    municipality_id: int, *, start: dt.date, end: dt.date, today: dt.date
) -> list[WorkTypeRow]:
    """Per work type, what the recorded history says: the variety asked for (participants'
    interests) against the places used and bought. Placements at a place without a work type
    make the last row, so a thin record shows as such."""
    end = min(end, today)
    days = (end - start).days + 1
    if days <= 0:
        return []
    rows = (
        Placement.objects.filter(participant__municipality_id=municipality_id)
        .filter(overlapping(start, end))
        .values_list("place__work_type__name", "start_date", "actual_end")
    )
    used: dict[str | None, float] = {}
    count: dict[str | None, int] = {}
    for name, first, last in rows:
        stop = min(last or today, end)
        used[name] = used.get(name, 0.0) + max(0, (stop - max(first, start)).days + 1)
        count[name] = count.get(name, 0) + 1
    interested: dict[str | None, int] = {}
    for name in Referral.objects.filter(
        participant__municipality_id=municipality_id,
        referred_on__range=(start, end),
        participant__interests__isnull=False,
    ).values_list("participant__interests__name", flat=True):
        interested[name] = interested.get(name, 0) + 1
    in_force = [
        a.pk
        for a in agreements_in_scope(Scope(municipality_id))
        if a.status_on(today) == "in_force"
    ]
    described: dict[str | None, int] = dict(
        Place.objects.filter(agreement_id__in=in_force)
        .values_list("work_type__name")
        .annotate(n=Count("pk"))
        .values_list("work_type__name", "n")
    )
    names = sorted({n for n in (*used, *interested, *described) if n is not None})
    rows = [
        WorkTypeRow(
            n, interested.get(n, 0), count.get(n, 0), used.get(n, 0.0) / days, described.get(n, 0)
        )
        for n in names
    ]
    if None in used or None in described:
        rows.append(
            WorkTypeRow(
                None, 0, count.get(None, 0), used.get(None, 0.0) / days, described.get(None, 0)
            )
        )
    return rows


def payment_for_need(result: NeedResult, *, simulations: int = 200) -> list[DemandCost]:
    """The payment models on the simulated demand, for the recommended number of places (the
    same seed as the recommendation): the days a week the recorded scope gives where there is
    one, otherwise the platsa defaults (five days a week, every weekday attended)."""
    if result.missing or not result.recommended_places:
        return []
    days = result.inputs.mean_days_per_week
    places = result.recommended_places
    return _remembered(
        "need-payment",
        [dataclasses.asdict(result.inputs), places, days, simulations, result.seed],
        lambda: payment_on_demand(
            result.inputs,
            places,
            assumptions=PaymentAssumptions(scheduled_days_per_week=days) if days else None,
            simulations=simulations,
            seed=result.seed,
        ),
    )
