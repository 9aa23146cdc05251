"""Occupancy of bought places: per day, per agreement and organisation, and what it cost.

Days are numpy ``datetime64[D]``; every computation is on (agreements × days) or
(placements × days) arrays. A placement occupies a place from its start to its end inclusive; one
with no end is ongoing up to the as-of date and, after it, until its planned end if it has one
(it holds the place). An agreement's capacity on a day is the number of places in force that day
while the agreement is in force (with automatic renewals, see :func:`agreement_periods`).

Costs are pro rata per day: a place-month priced P costs P / (days in that month) a day, so a full
agreement year of 12 places at 6,000 SEK costs 864,000 SEK (the report, §5.4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from platsa.engine.agreements import PlaceCount

__all__ = [
    "AgreementSpec",
    "MonthRow",
    "OccupancyResult",
    "PlacementSpec",
    "add_months",
    "agreement_periods",
    "day_range",
    "notice_deadline",
    "occupancy",
    "weekdays",
]

FloatArray = NDArray[np.float64]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the month's last day.

    >>> add_months(dt.date(2023, 8, 31), -6)
    datetime.date(2023, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True, slots=True)
class AgreementSpec:
    key: int
    organisation: str
    start: dt.date
    end: dt.date  # end of the initial period (or as extended by hand)
    price_per_place_month: float
    place_counts: tuple[PlaceCount, ...]
    extension_years: tuple[int, ...] = ()
    auto_renew: bool = False
    notice_months: int = 6
    notice_given_on: dt.date | None = None


def notice_deadline(period_end: dt.date, notice_months: int) -> dt.date:
    """The last day notice can be given for a period ending on ``period_end``.

    >>> notice_deadline(dt.date(2023, 8, 31), 6)
    datetime.date(2023, 2, 28)
    """
    return add_months(period_end, -notice_months)


def agreement_periods(spec: AgreementSpec) -> list[tuple[dt.date, dt.date]]:
    """The periods the agreement runs: the first, then each renewal it has not been stopped from.

    With automatic renewal, each extension option starts unless notice was given on or before the
    running period's notice deadline; notice given later ends the agreement one period later.
    Without automatic renewal the agreement runs to ``end`` (extend it by changing ``end``).

    >>> a = AgreementSpec(1, "X", dt.date(2022, 9, 1), dt.date(2023, 8, 31), 6000.0,
    ...     (PlaceCount(dt.date(2022, 9, 1), 3),), (1, 1, 1), auto_renew=True)
    >>> [(s.isoformat(), e.isoformat()) for s, e in agreement_periods(a)][-1]
    ('2025-09-01', '2026-08-31')
    """
    periods = [(spec.start, spec.end)]
    if not spec.auto_renew:
        return periods
    notice_pending = spec.notice_given_on
    for years in spec.extension_years:
        current_end = periods[-1][1]
        if notice_pending is not None and notice_pending <= notice_deadline(
            current_end, spec.notice_months
        ):
            break
        if notice_pending is not None:
            notice_pending = dt.date.min  # given too late for this period: stops the next one
        start = current_end + dt.timedelta(days=1)
        periods.append((start, add_months(start, 12 * years) - dt.timedelta(days=1)))
    return periods


@dataclass(frozen=True, slots=True)
class PlacementSpec:
    key: int
    agreement_key: int | None
    start: dt.date
    actual_end: dt.date | None = None
    planned_end: dt.date | None = None
    place_key: int | None = None
    # Recorded scope (days a week from a date on) and attendance (day, present?), where known.
    scope_days_per_week: tuple[tuple[dt.date, float], ...] = ()
    attendance: tuple[tuple[dt.date, bool], ...] = ()


def day_range(start: dt.date, end: dt.date) -> NDArray[np.datetime64]:
    """Every day from ``start`` to ``end`` inclusive."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    return np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)


def weekdays(days: NDArray[np.datetime64]) -> NDArray[np.bool_]:
    """True for Monday to Friday (1970-01-05, day 4 of the epoch, was a Monday)."""
    mask: NDArray[np.bool_] = (days.astype("datetime64[D]").view("int64") - 4) % 7 < 5
    return mask


def _days_in_month(days: NDArray[np.datetime64]) -> FloatArray:
    months = days.astype("datetime64[M]")
    first_days = months.astype("datetime64[D]")
    lengths: FloatArray = ((months + 1).astype("datetime64[D]") - first_days).astype(np.float64)
    return lengths


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    capacity: float  # average places in force over the month's days in the period
    average_occupied: float
    end_of_month_occupied: int
    cost_sek: float


@dataclass(frozen=True)
class OccupancyResult:
    days: NDArray[np.datetime64]
    agreement_keys: tuple[int, ...]
    organisations: tuple[str, ...]  # per agreement
    capacity: FloatArray  # (agreements, days)
    occupied: FloatArray  # (agreements, days)
    daily_cost: FloatArray  # (agreements, days), fixed pricing pro rata
    unassigned: int  # placements with no agreement, left out of the counts
    # Where scope and attendance are recorded, per agreement and day (zeros when nothing is):
    scheduled_days_sum: FloatArray | None = (
        None  # Σ days a week of placed participants with a recorded scope
    )
    scope_known: FloatArray | None = None  # placed participants with a recorded scope
    present: FloatArray | None = None  # placed participants reported present (weekdays)
    attendance_known: FloatArray | None = (
        None  # placed participants with attendance reported (weekdays)
    )

    def __post_init__(self) -> None:
        for name in ("scheduled_days_sum", "scope_known", "present", "attendance_known"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros_like(self.occupied))

    @property
    def weekday(self) -> NDArray[np.bool_]:
        return (
            (self.days.astype("datetime64[D]").view("int64") - 4) % 7
        ) < 5  # 1970-01-05 was a Monday

    @property
    def days_in_month(self) -> FloatArray:
        return _days_in_month(self.days)

    def select(self, rows: NDArray[np.bool_]) -> OccupancyResult:
        return OccupancyResult(
            self.days,
            tuple(k for k, keep in zip(self.agreement_keys, rows, strict=True) if keep),
            tuple(o for o, keep in zip(self.organisations, rows, strict=True) if keep),
            self.capacity[rows],
            self.occupied[rows],
            self.daily_cost[rows],
            self.unassigned,
        )

    def for_organisation(self, name: str) -> OccupancyResult:
        return self.select(np.array([o == name for o in self.organisations], dtype=bool))

    @property
    def capacity_place_days(self) -> float:
        return float(self.capacity.sum())

    @property
    def occupied_place_days(self) -> float:
        return float(self.occupied.sum())

    @property
    def empty_place_days(self) -> float:
        return float(np.maximum(self.capacity - self.occupied, 0).sum())

    @property
    def utilisation(self) -> float | None:
        cap = self.capacity_place_days
        return None if cap == 0 else self.occupied_place_days / cap

    @property
    def cost_sek(self) -> float:
        return float(self.daily_cost.sum())

    @property
    def empty_cost_sek(self) -> float:
        """What the places that stood empty cost: price per place-day × empty place-days."""
        with np.errstate(invalid="ignore", divide="ignore"):
            per_place_day = np.where(
                self.capacity > 0,
                self.daily_cost / np.where(self.capacity > 0, self.capacity, 1),
                0.0,
            )
        return float((per_place_day * np.maximum(self.capacity - self.occupied, 0)).sum())

    @property
    def occupied_place_months(self) -> float:
        return float((self.occupied / self.days_in_month[None, :]).sum())

    @property
    def capacity_place_months(self) -> float:
        """Place-months bought: each day a place is in force counts 1 / days in its month."""
        return float((self.capacity / self.days_in_month[None, :]).sum())

    @property
    def cost_per_occupied_place_month_sek(self) -> float | None:
        months = self.occupied_place_months
        return None if months == 0 else self.cost_sek / months

    @property
    def over_capacity_days(self) -> list[tuple[int, str]]:
        """(agreement key, day) where more were placed than there were places."""
        rows, cols = np.nonzero(self.occupied > self.capacity)
        return [
            (self.agreement_keys[r], str(self.days[c])) for r, c in zip(rows, cols, strict=True)
        ]

    def on(self, day: dt.date) -> tuple[int, int]:
        """(places, occupied) on ``day``, summed over the agreements."""
        i = int(np.searchsorted(self.days, np.datetime64(day, "D")))
        if i >= len(self.days) or self.days[i] != np.datetime64(day, "D"):
            raise ValueError(f"{day} is outside the period")
        return int(self.capacity[:, i].sum()), int(self.occupied[:, i].sum())

    def months(self) -> list[MonthRow]:
        month_of_day = self.days.astype("datetime64[M]")
        rows = []
        for month in np.unique(month_of_day):
            mask = month_of_day == month
            last = np.nonzero(mask)[0][-1]
            rows.append(
                MonthRow(
                    month=str(month),
                    capacity=float(self.capacity[:, mask].sum(axis=0).mean()),
                    average_occupied=float(self.occupied[:, mask].sum(axis=0).mean()),
                    end_of_month_occupied=int(self.occupied[:, last].sum()),
                    cost_sek=float(self.daily_cost[:, mask].sum()),
                )
            )
        return rows


def occupancy(
    *,
    agreements: Sequence[AgreementSpec],
    placements: Sequence[PlacementSpec],
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
) -> OccupancyResult:
    """Capacity, occupancy and fixed-price cost per agreement and day from ``start`` to ``end``.

    >>> a = AgreementSpec(1, "X", dt.date(2022, 9, 1), dt.date(2023, 8, 31), 6000.0,
    ...     (PlaceCount(dt.date(2022, 9, 1), 2),))
    >>> p = PlacementSpec(1, 1, dt.date(2022, 9, 1), actual_end=dt.date(2022, 9, 30))
    >>> r = occupancy(agreements=[a], placements=[p], start=dt.date(2022, 9, 1),
    ...     end=dt.date(2022, 10, 31), as_of=dt.date(2023, 1, 1))
    >>> r.capacity_place_days, r.occupied_place_days, round(r.cost_sek, 6), round(r.utilisation, 4)
    (122.0, 30.0, 24000.0, 0.2459)
    """
    days = day_range(start, end)
    d = days[None, :]
    index = {a.key: i for i, a in enumerate(agreements)}
    capacity = np.zeros((len(agreements), len(days)))
    for i, a in enumerate(agreements):
        in_force = np.zeros(len(days), dtype=bool)
        for p_start, p_end in agreement_periods(a):
            in_force |= (days >= np.datetime64(p_start, "D")) & (days <= np.datetime64(p_end, "D"))
        places = np.zeros(len(days))
        for count in sorted(a.place_counts, key=lambda c: c.valid_from):
            places = np.where(
                days >= np.datetime64(count.valid_from, "D"), float(count.places), places
            )
        capacity[i] = np.where(in_force, places, 0.0)
    price = np.array([a.price_per_place_month for a in agreements], dtype=np.float64)[:, None]
    daily_cost = capacity * price / _days_in_month(days)[None, :]

    occupied = np.zeros_like(capacity)
    recorded = {
        k: np.zeros_like(capacity)
        for k in ("scheduled", "scope_known", "present", "attendance_known")
    }
    known = [p for p in placements if p.agreement_key in index]
    if known:
        starts = np.array([np.datetime64(p.start, "D") for p in known])[:, None]
        as_of64 = np.datetime64(as_of, "D")
        never = np.datetime64("9999-12-31", "D")
        actual = np.array(
            [np.datetime64(p.actual_end, "D") if p.actual_end else never for p in known]
        )[:, None]
        planned = np.array(
            [np.datetime64(p.planned_end, "D") if p.planned_end else never for p in known]
        )[:, None]
        has_actual = np.array([p.actual_end is not None for p in known])[:, None]
        ongoing_until = np.where(d <= as_of64, True, d <= planned)
        placed = (d >= starts) & np.where(has_actual, d <= actual, ongoing_until)
        rows = np.array([index[p.agreement_key] for p in known])  # type: ignore[index]
        np.add.at(occupied, rows, placed.astype(np.float64))
        dpw = np.full(placed.shape, np.nan)
        att = np.full(placed.shape, np.nan)
        day_index = {day: i for i, day in enumerate(days.astype("datetime64[D]").tolist())}
        for j, p in enumerate(known):
            for since, per_week in sorted(p.scope_days_per_week):
                dpw[j] = np.where(days >= np.datetime64(since, "D"), per_week, dpw[j])
            for day, was_present in p.attendance:
                if day in day_index:
                    att[j, day_index[day]] = 1.0 if was_present else 0.0
        weekday = weekdays(days)[None, :]
        scope_ok = placed & ~np.isnan(dpw)
        att_ok = placed & weekday & ~np.isnan(att)
        np.add.at(recorded["scheduled"], rows, np.where(scope_ok, dpw, 0.0))
        np.add.at(recorded["scope_known"], rows, scope_ok.astype(np.float64))
        np.add.at(recorded["present"], rows, np.where(att_ok, att, 0.0))
        np.add.at(recorded["attendance_known"], rows, att_ok.astype(np.float64))
    return OccupancyResult(
        days=days,
        agreement_keys=tuple(a.key for a in agreements),
        organisations=tuple(a.organisation for a in agreements),
        capacity=capacity,
        occupied=occupied,
        daily_cost=daily_cost,
        unassigned=len(placements) - len(known),
        scheduled_days_sum=recorded["scheduled"],
        scope_known=recorded["scope_known"],
        present=recorded["present"],
        attendance_known=recorded["attendance_known"],
    )
