"""Dated numbers of places on a framework agreement.

The arithmetic on agreements (periods with renewals, capacity per day, pro-rata cost) lives in
:mod:`platsa.engine.occupancy`, so that an agreement's value and the cost of its occupancy are
computed one way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["PlaceCount"]


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """``places`` are bought from ``valid_from`` on, until the next change.

    >>> PlaceCount(dt.date(2022, 9, 1), 3).places
    3
    """

    valid_from: dt.date
    places: int
