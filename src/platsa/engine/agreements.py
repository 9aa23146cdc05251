"""Contract arithmetic on framework agreements: place-months and the fixed-price contract value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["PlaceCount", "month_starts", "place_months", "fixed_contract_value"]


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """``places`` are bought from ``valid_from`` on, until the next change."""

    valid_from: dt.date
    places: int


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every calendar month that ``start``..``end`` (inclusive) touches.

    >>> import datetime as dt
    >>> len(month_starts(dt.date(2022, 9, 1), dt.date(2023, 8, 31)))
    12
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def place_months(*, start: dt.date, end: dt.date, counts: Sequence[PlaceCount]) -> np.ndarray:
    """Places bought in each calendar month of the agreement, as a float64 array.

    Each month counts the places in force on its first day inside the agreement (the start date
    for the first month). A change in mid-month takes effect the month after.

    >>> import datetime as dt
    >>> c = [PlaceCount(dt.date(2022, 9, 1), 3)]
    >>> float(place_months(start=dt.date(2022, 9, 1), end=dt.date(2023, 8, 31), counts=c).sum())
    36.0
    """
    ordered = sorted(counts, key=lambda c: c.valid_from)
    result = np.zeros(len(month_starts(start, end)), dtype=np.float64)
    for i, first in enumerate(month_starts(start, end)):
        day = max(first, start)
        in_force = [c.places for c in ordered if c.valid_from <= day]
        result[i] = in_force[-1] if in_force else 0.0
    return result


def fixed_contract_value(
    *, start: dt.date, end: dt.date, counts: Sequence[PlaceCount], price_per_place_month: float
) -> float:
    """What a fixed per-place-and-month agreement costs over its period.

    ``value = price × Σ_months places(month)``; Östersund 2022–23: 6,000 × 12 × 12 = 864,000 SEK
    (report §5.4).

    >>> import datetime as dt
    >>> c = [PlaceCount(dt.date(2022, 9, 1), 12)]
    >>> fixed_contract_value(start=dt.date(2022, 9, 1), end=dt.date(2023, 8, 31), counts=c,
    ...     price_per_place_month=6000.0)
    864000.0
    """
    return float(price_per_place_month * place_months(start=start, end=end, counts=counts).sum())
