"""What each payment model would have cost the municipality, and paid each supplier, on the same
occupancy history.

- ``fixed_per_place_month`` (Östersund): price × places in force, whether used or not.
- ``per_weekday`` (Nordanstig): a rate a month per scheduled weekday a week (1,000 SEK; at most 5)
  for each placed participant, pro rata for the days placed.
- ``per_attended_day``: a price per attended day.
- ``hybrid`` (proposed at the report's May 2023 meeting): guaranteed base places paid as fixed,
  plus on-demand places paid only for the days they are occupied.

Scope (days a week) and attendance are not recorded yet, so the models that need them take an
explicit assumption, returned with the result and shown wherever the figures are: never a
silent one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from platsa.engine.occupancy import OccupancyResult

__all__ = ["Assumption", "ModelResult", "PaymentAssumptions", "compare_payment_models", "MODELS"]

FloatArray = NDArray[np.float64]
MODELS = ("fixed_per_place_month", "per_weekday", "per_attended_day", "hybrid")
WEEKDAYS_PER_YEAR = 261.0  # 52 weeks × 5 + 1


@dataclass(frozen=True)
class PaymentAssumptions:
    weekday_rate_per_month_sek: float = 1000.0  # Nordanstig, report §4.3.4
    scheduled_days_per_week: float = 5.0  # assumed while scope is not recorded
    attendance_rate: float = 1.0  # assumed share of scheduled weekdays attended
    price_per_attended_day_sek: float | None = None  # default: the fixed price spread over weekdays
    hybrid_base_share: float = 0.5  # guaranteed base places, as a share of the places (rounded up)
    hybrid_on_demand_price_per_month_sek: float | None = None  # default: the fixed price

    # The defaults that follow from the fixed price, in one place for every use (recorded
    # occupancy here, the simulated demand in ``need.py``); a number or an array of prices.
    def attended_day_price(self, fixed_per_month: Any) -> Any:
        """The price of an attended day: given, or the fixed monthly price × 12 / 261."""
        if self.price_per_attended_day_sek is None:
            return fixed_per_month * 12.0 / WEEKDAYS_PER_YEAR
        return fixed_per_month * 0.0 + self.price_per_attended_day_sek

    def on_demand_price(self, fixed_per_month: Any) -> Any:
        """The hybrid's price a month for a place above the base: given, or the fixed price."""
        if self.hybrid_on_demand_price_per_month_sek is None:
            return fixed_per_month
        return fixed_per_month * 0.0 + self.hybrid_on_demand_price_per_month_sek

    def base_places(self, places: Any) -> Any:
        """The hybrid's guaranteed base: the share of the places, rounded up."""
        return np.ceil(self.hybrid_base_share * places)

    def __post_init__(self) -> None:
        if not 0 < self.scheduled_days_per_week <= 5:
            raise ValueError("scheduled_days_per_week must be above 0 and at most 5")
        for name in ("attendance_rate", "hybrid_base_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1")


@dataclass(frozen=True)
class Assumption:
    code: str
    value: float
    reason: str


@dataclass(frozen=True)
class ModelResult:
    model: str
    municipality_cost_sek: float
    monthly_cost_sek: dict[str, float]
    supplier_income_sek: dict[str, dict[str, float]]  # organisation → month → SEK
    assumptions: tuple[Assumption, ...] = field(default=())

    def income_steadiness(self) -> dict[str, float | None]:
        """Per supplier, the coefficient of variation of monthly income (0 = the same every month)."""
        out: dict[str, float | None] = {}
        for org, months in self.supplier_income_sek.items():
            values = np.array(list(months.values()))
            mean = values.mean() if len(values) else 0.0
            out[org] = None if mean == 0 else float(values.std() / mean)
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "municipality_cost_sek": self.municipality_cost_sek,
            "monthly_cost_sek": self.monthly_cost_sek,
            "supplier_income_sek": {
                o: sum(m.values()) for o, m in self.supplier_income_sek.items()
            },
            "supplier_income_cv": self.income_steadiness(),
            "assumptions": [
                {"code": a.code, "value": a.value, "reason": a.reason} for a in self.assumptions
            ],
        }


def _monthly(
    r: OccupancyResult, daily: FloatArray
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    month_of_day = r.days.astype("datetime64[M]")
    months = [str(m) for m in np.unique(month_of_day)]
    total = {m: float(daily[:, month_of_day == np.datetime64(m)].sum()) for m in months}
    by_org: dict[str, dict[str, float]] = {}
    for org in sorted(set(r.organisations)):
        rows = np.array([o == org for o in r.organisations])
        by_org[org] = {
            m: float(daily[rows][:, month_of_day == np.datetime64(m)].sum()) for m in months
        }
    return total, by_org


def compare_payment_models(
    r: OccupancyResult,
    *,
    fixed_price_per_place_month: NDArray[np.float64],
    assumptions: PaymentAssumptions,
) -> dict[str, ModelResult]:
    """Every model on the occupancy ``r``; ``fixed_price_per_place_month`` has one price per agreement.

    Per day: fixed = price × capacity / days in month; per weekday = rate × days a week ×
    occupied / days in month; per attended day = price per day × occupied × attendance on
    weekdays; hybrid = price × (base + max(occupied − base, 0)) / days in month, with
    base = ⌈share × capacity⌉ and the on-demand price for the part above the base.

    >>> import datetime as dt
    >>> from platsa.engine.agreements import PlaceCount
    >>> from platsa.engine.occupancy import AgreementSpec, PlacementSpec, occupancy
    >>> a = AgreementSpec(1, "X", dt.date(2023, 1, 1), dt.date(2023, 12, 31), 6000.0,
    ...     (PlaceCount(dt.date(2023, 1, 1), 2),))
    >>> p = PlacementSpec(1, 1, dt.date(2023, 1, 1), actual_end=dt.date(2023, 1, 31))
    >>> r = occupancy(agreements=[a], placements=[p], start=dt.date(2023, 1, 1),
    ...     end=dt.date(2023, 1, 31), as_of=dt.date(2023, 6, 1))
    >>> m = compare_payment_models(r, fixed_price_per_place_month=np.array([6000.0]),
    ...     assumptions=PaymentAssumptions())
    >>> {k: round(v.municipality_cost_sek) for k, v in m.items()}
    {'fixed_per_place_month': 12000, 'per_weekday': 5000, 'per_attended_day': 6069, 'hybrid': 6000}
    """
    a = assumptions
    dim = r.days_in_month[None, :]
    price = np.asarray(fixed_price_per_place_month, dtype=np.float64)[:, None]
    weekday = r.weekday
    assert r.scheduled_days_sum is not None and r.scope_known is not None
    assert r.present is not None and r.attendance_known is not None
    placed_days = float(r.occupied.sum())
    placed_weekdays = float((r.occupied * weekday[None, :]).sum())
    scope_share = 0.0 if placed_days == 0 else float(r.scope_known.sum()) / placed_days
    attendance_share = (
        0.0 if placed_weekdays == 0 else float(r.attendance_known.sum()) / placed_weekdays
    )
    notes_scope = Assumption(
        "scheduled_days_per_week",
        a.scheduled_days_per_week,
        "where scope is not recorded, a placed participant is assumed scheduled this many days a week",
    )
    notes_attendance = Assumption(
        "attendance_rate",
        a.attendance_rate,
        "where attendance is not reported, this share of scheduled weekdays is assumed attended",
    )
    recorded_notes = (
        Assumption(
            "scope_recorded_share", scope_share, "share of placement-days with a recorded scope"
        ),
        Assumption(
            "attendance_recorded_share",
            attendance_share,
            "share of placed weekdays with reported attendance",
        ),
    )
    results: dict[str, ModelResult] = {}

    fixed_daily = r.daily_cost
    total, by_org = _monthly(r, fixed_daily)
    results["fixed_per_place_month"] = ModelResult(
        "fixed_per_place_month", float(fixed_daily.sum()), total, by_org
    )

    # Recorded scope where there is one (at most 5 days are paid), the assumption for the rest.
    scheduled = np.minimum(r.scheduled_days_sum, 5.0 * r.scope_known) + min(
        a.scheduled_days_per_week, 5.0
    ) * (r.occupied - r.scope_known)
    weekday_daily = a.weekday_rate_per_month_sek * scheduled / dim
    total, by_org = _monthly(r, weekday_daily)
    results["per_weekday"] = ModelResult(
        "per_weekday",
        float(weekday_daily.sum()),
        total,
        by_org,
        (
            Assumption(
                "weekday_rate_per_month_sek",
                a.weekday_rate_per_month_sek,
                "Nordanstig's rate: 1,000 SEK a month per weekday a week (report §4.3.4)",
            ),
            notes_scope,
            recorded_notes[0],
        ),
    )

    per_day_price = a.attended_day_price(price)
    # Reported attendance where there is one; for the other placed weekdays, the assumption.
    unreported = r.occupied * weekday[None, :] - r.attendance_known
    attended = r.present + unreported * a.attendance_rate * (a.scheduled_days_per_week / 5.0)
    attended_daily = per_day_price * attended
    total, by_org = _monthly(r, attended_daily)
    derived = a.price_per_attended_day_sek is None
    results["per_attended_day"] = ModelResult(
        "per_attended_day",
        float(attended_daily.sum()),
        total,
        by_org,
        (
            Assumption(
                "price_per_attended_day_sek",
                float(per_day_price.mean()) if len(per_day_price) else math.nan,
                "the fixed monthly price × 12 / 261 weekdays, so a full-time place used every weekday costs the same"
                if derived
                else "given",
            ),
            notes_scope,
            notes_attendance,
            *recorded_notes,
        ),
    )

    base = a.base_places(r.capacity)
    on_demand_price = a.on_demand_price(price)
    hybrid_daily = (price * base + on_demand_price * np.maximum(r.occupied - base, 0.0)) / dim
    total, by_org = _monthly(r, hybrid_daily)
    results["hybrid"] = ModelResult(
        "hybrid",
        float(hybrid_daily.sum()),
        total,
        by_org,
        (
            Assumption(
                "hybrid_base_share",
                a.hybrid_base_share,
                "the share of places guaranteed as base places (rounded up); the rest paid only when occupied",
            ),
        ),
    )
    return results
