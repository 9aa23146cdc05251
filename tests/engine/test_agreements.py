from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from platsa.engine.agreements import PlaceCount, fixed_contract_value, month_starts, place_months

START, END = dt.date(2022, 9, 1), dt.date(2023, 8, 31)


def test_the_report_s_investment_is_864_000_sek() -> None:
    # 12 places × 12 months × 6,000 SEK (report §5.4); as five agreements of 3, 3, 2, 2, 2 places.
    total = sum(
        fixed_contract_value(
            start=START, end=END, counts=[PlaceCount(START, n)], price_per_place_month=6000.0
        )
        for n in (3, 3, 2, 2, 2)
    )
    assert total == 864_000.0


def test_a_change_in_places_takes_effect_from_the_next_month_start() -> None:
    counts = [
        PlaceCount(START, 3),
        PlaceCount(dt.date(2023, 3, 1), 1),
        PlaceCount(dt.date(2023, 6, 15), 2),
    ]
    months = place_months(start=START, end=END, counts=counts)
    assert months.dtype == np.float64
    assert months.tolist() == [3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2]


def test_months_before_the_first_count_have_no_places() -> None:
    months = place_months(start=START, end=END, counts=[PlaceCount(dt.date(2022, 11, 1), 2)])
    assert months[:2].tolist() == [0, 0] and months[2] == 2


def test_month_starts_refuses_an_end_before_the_start() -> None:
    with pytest.raises(ValueError, match="before start"):
        month_starts(END, START)
