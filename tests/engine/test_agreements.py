from __future__ import annotations

import datetime as dt

import pytest

from platsa.engine.agreements import PlaceCount
from platsa.engine.occupancy import AgreementSpec, occupancy

START, END = dt.date(2022, 9, 1), dt.date(2023, 8, 31)


def _value(counts: list[PlaceCount], price: float = 6000.0) -> float:
    spec = AgreementSpec(1, "X", START, END, price, tuple(counts))
    return occupancy(agreements=[spec], placements=[], start=START, end=END, as_of=END).cost_sek


def test_the_report_s_investment_is_864_000_sek() -> None:
    # 12 places × 12 months × 6,000 SEK (report §5.4); as five agreements of 3, 3, 2, 2, 2 places.
    total = sum(_value([PlaceCount(START, n)]) for n in (3, 3, 2, 2, 2))
    assert total == pytest.approx(864_000.0)


def test_a_change_in_places_is_paid_from_the_day_it_takes_effect() -> None:
    # 3 places to 2023-03-14, then 1: March is paid 14 days at 3 and 17 days at 1.
    counts = [PlaceCount(START, 3), PlaceCount(dt.date(2023, 3, 15), 1)]
    expected = 6000 * (3 * 6 + (3 * 14 + 1 * 17) / 31 + 1 * 5)
    assert _value(counts) == pytest.approx(expected)


def test_days_before_the_first_count_have_no_places() -> None:
    assert _value([PlaceCount(dt.date(2022, 11, 1), 2)]) == pytest.approx(6000 * 2 * 10)
