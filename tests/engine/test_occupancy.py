"""Occupancy engine: days, capacity with renewals, cost pro rata, flags for over-capacity."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from platsa.engine.agreements import PlaceCount
from platsa.engine.occupancy import (
    AgreementSpec,
    PlacementSpec,
    add_months,
    agreement_periods,
    notice_deadline,
    occupancy,
)
from platsa.engine.payment import PaymentAssumptions, compare_payment_models

D = dt.date
AGREEMENT = AgreementSpec(
    1,
    "X",
    D(2022, 9, 1),
    D(2023, 8, 31),
    6000.0,
    (PlaceCount(D(2022, 9, 1), 3),),
    (1, 1, 1),
    auto_renew=True,
    notice_months=6,
)


def test_renewals_run_until_notice_is_given_in_time() -> None:
    assert agreement_periods(AGREEMENT)[-1] == (D(2025, 9, 1), D(2026, 8, 31))
    on_time = _with(notice_given_on=D(2023, 2, 28))
    assert agreement_periods(on_time) == [(D(2022, 9, 1), D(2023, 8, 31))]
    late = _with(notice_given_on=D(2023, 3, 1))  # a day late: it runs one more period
    assert agreement_periods(late)[-1] == (D(2023, 9, 1), D(2024, 8, 31))
    assert agreement_periods(_with(auto_renew=False)) == [(D(2022, 9, 1), D(2023, 8, 31))]


def _with(**changes: object) -> AgreementSpec:
    from dataclasses import replace

    return replace(AGREEMENT, **changes)


def test_the_notice_deadline_is_six_months_before_the_end() -> None:
    assert notice_deadline(D(2023, 8, 31), 6) == D(2023, 2, 28)
    assert add_months(D(2024, 8, 31), -6) == D(2024, 2, 29)


def test_a_full_agreement_year_costs_places_times_price_times_12() -> None:
    r = occupancy(
        agreements=[AGREEMENT],
        placements=[],
        start=D(2022, 9, 1),
        end=D(2023, 8, 31),
        as_of=D(2023, 9, 1),
    )
    assert r.cost_sek == pytest.approx(3 * 6000 * 12)
    assert r.utilisation == 0 and r.empty_cost_sek == pytest.approx(r.cost_sek)
    assert r.cost_per_occupied_place_month_sek is None


def test_an_open_placement_holds_its_place_after_the_as_of_date_until_its_planned_end() -> None:
    placements = [
        PlacementSpec(1, 1, D(2023, 1, 1)),  # no end at all
        PlacementSpec(2, 1, D(2023, 1, 1), planned_end=D(2023, 1, 20)),  # planned end after as-of
        PlacementSpec(3, 1, D(2023, 1, 1), actual_end=D(2023, 1, 5)),
    ]
    r = occupancy(
        agreements=[AGREEMENT],
        placements=placements,
        start=D(2023, 1, 1),
        end=D(2023, 1, 31),
        as_of=D(2023, 1, 10),
    )
    assert r.on(D(2023, 1, 5)) == (3, 3)
    assert r.on(D(2023, 1, 6)) == (3, 2)
    assert r.on(D(2023, 1, 20)) == (3, 2)
    assert r.on(D(2023, 1, 21)) == (3, 1)


def test_a_placement_before_its_agreement_shows_as_over_capacity() -> None:
    early = PlacementSpec(1, 1, D(2022, 8, 29), actual_end=D(2023, 1, 31))
    r = occupancy(
        agreements=[AGREEMENT],
        placements=[early],
        start=D(2022, 8, 28),
        end=D(2022, 9, 2),
        as_of=D(2023, 2, 1),
    )
    assert r.over_capacity_days == [(1, "2022-08-29"), (1, "2022-08-30"), (1, "2022-08-31")]


def test_places_changing_over_time_change_capacity_and_cost() -> None:
    spec = _with(place_counts=(PlaceCount(D(2022, 9, 1), 3), PlaceCount(D(2022, 10, 1), 1)))
    r = occupancy(
        agreements=[spec],
        placements=[],
        start=D(2022, 9, 1),
        end=D(2022, 10, 31),
        as_of=D(2023, 1, 1),
    )
    assert r.on(D(2022, 9, 30)) == (3, 0) and r.on(D(2022, 10, 1)) == (1, 0)
    assert r.cost_sek == pytest.approx(3 * 6000 + 1 * 6000)
    months = r.months()
    assert [(m.month, m.capacity) for m in months] == [("2022-09", 3.0), ("2022-10", 1.0)]


def test_placements_without_an_agreement_are_counted_apart() -> None:
    r = occupancy(
        agreements=[AGREEMENT],
        placements=[PlacementSpec(1, None, D(2023, 1, 1))],
        start=D(2023, 1, 1),
        end=D(2023, 1, 2),
        as_of=D(2023, 1, 2),
    )
    assert r.unassigned == 1 and r.occupied_place_days == 0


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="ends"):
        occupancy(
            agreements=[AGREEMENT],
            placements=[],
            start=D(2023, 1, 2),
            end=D(2023, 1, 1),
            as_of=D(2023, 1, 1),
        )


@given(
    starts=st.lists(st.integers(0, 300), min_size=0, max_size=8),
    lengths=st.lists(st.integers(0, 200), min_size=8, max_size=8),
)
def test_empty_plus_occupied_within_capacity_make_the_capacity(
    starts: list[int], lengths: list[int]
) -> None:
    base = D(2022, 9, 1)
    placements = [
        PlacementSpec(i, 1, base + dt.timedelta(days=s), actual_end=base + dt.timedelta(days=s + n))
        for i, (s, n) in enumerate(zip(starts, lengths, strict=False))
    ]
    r = occupancy(
        agreements=[AGREEMENT],
        placements=placements,
        start=base,
        end=D(2023, 8, 31),
        as_of=D(2024, 1, 1),
    )
    within = np.minimum(r.occupied, r.capacity).sum()
    assert r.empty_place_days + within == pytest.approx(r.capacity_place_days)
    assert 0 <= r.empty_cost_sek <= r.cost_sek + 1e-6


def test_payment_models_on_a_known_month() -> None:
    one = AgreementSpec(
        1, "X", D(2023, 1, 1), D(2023, 12, 31), 6000.0, (PlaceCount(D(2023, 1, 1), 2),)
    )
    r = occupancy(
        agreements=[one],
        placements=[PlacementSpec(1, 1, D(2023, 1, 1), actual_end=D(2023, 1, 31))],
        start=D(2023, 1, 1),
        end=D(2023, 1, 31),
        as_of=D(2023, 6, 1),
    )
    models = compare_payment_models(
        r, fixed_price_per_place_month=np.array([6000.0]), assumptions=PaymentAssumptions()
    )
    assert models["fixed_per_place_month"].municipality_cost_sek == pytest.approx(12_000)
    assert models["per_weekday"].municipality_cost_sek == pytest.approx(5 * 1000)
    assert models["per_attended_day"].municipality_cost_sek == pytest.approx(22 * 6000 * 12 / 261)
    assert models["hybrid"].municipality_cost_sek == pytest.approx(6000)  # 1 base place, 1 used
    codes = {a.code for a in models["per_attended_day"].assumptions}
    assert {"scheduled_days_per_week", "attendance_rate", "price_per_attended_day_sek"} <= codes
    full_base = compare_payment_models(
        r,
        fixed_price_per_place_month=np.array([6000.0]),
        assumptions=PaymentAssumptions(hybrid_base_share=1.0),
    )
    assert full_base["hybrid"].municipality_cost_sek == pytest.approx(12_000)
    assert models["fixed_per_place_month"].income_steadiness() == {"X": 0.0}


def test_payment_assumptions_are_checked() -> None:
    with pytest.raises(ValueError, match="scheduled_days_per_week"):
        PaymentAssumptions(scheduled_days_per_week=6)


def test_recorded_scope_and_attendance_replace_the_assumptions_where_they_exist() -> None:
    one = AgreementSpec(
        1, "X", D(2023, 1, 1), D(2023, 12, 31), 6000.0, (PlaceCount(D(2023, 1, 1), 2),)
    )
    january_weekdays = [D(2023, 1, d) for d in range(1, 32) if D(2023, 1, d).weekday() < 5]
    reported = tuple(
        (day, i < 10) for i, day in enumerate(january_weekdays[:12])
    )  # 10 present, 2 absent
    placement = PlacementSpec(
        1,
        1,
        D(2023, 1, 1),
        actual_end=D(2023, 1, 31),
        scope_days_per_week=((D(2023, 1, 1), 2.0),),
        attendance=reported,
    )
    r = occupancy(
        agreements=[one],
        placements=[placement],
        start=D(2023, 1, 1),
        end=D(2023, 1, 31),
        as_of=D(2023, 6, 1),
    )
    models = compare_payment_models(
        r, fixed_price_per_place_month=np.array([6000.0]), assumptions=PaymentAssumptions()
    )
    assert models["per_weekday"].municipality_cost_sek == pytest.approx(
        2 * 1000
    )  # the recorded 2 days a week
    # 10 reported present + 10 unreported weekdays assumed attended (100 % × 5/5 days).
    assert models["per_attended_day"].municipality_cost_sek == pytest.approx(20 * 6000 * 12 / 261)
    shares = {a.code: a.value for a in models["per_attended_day"].assumptions}
    assert shares["scope_recorded_share"] == 1.0
    assert shares["attendance_recorded_share"] == pytest.approx(12 / 22)
