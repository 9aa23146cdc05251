"""The need for places: Kaplan–Meier against hand-computed values, Little's law, and the queue
simulation against the Erlang C formula for a queue whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from platsa.engine.need import (
    NeedInputs,
    _time_average,
    kaplan_meier,
    need_for_places,
    payment_on_demand,
)


def test_kaplan_meier_by_hand() -> None:
    # 6 placements: 30 (ended), 45 (running), 60 (ended), 60 (ended), 90 (running), 120 (ended).
    km = kaplan_meier([30, 45, 60, 60, 90, 120], [True, False, True, True, False, True])
    # At 30: 6 at risk, 1 ends: 5/6. At 60: 4 at risk, 2 end: 5/6 × 2/4. At 120: 1 at risk: 0.
    assert km.times == (30.0, 60.0, 120.0)
    assert km.survival == pytest.approx((5 / 6, 5 / 12, 0.0))
    # Area under S: 30 + 5/6 × 30 + 5/12 × 60.
    assert km.restricted_mean() == pytest.approx(30 + 25 + 25)


def _inputs(**kw: object) -> NeedInputs:
    base = dict(
        window_months=12.0,
        arrivals=12,
        referrals_placed=0,
        referrals_withdrawn=0,
        direct_placements=12,
        lengths_days=[60.0, 90.0, 120.0, 150.0, 200.0],
        ended=[True, True, True, True, False],
        average_in_use=3.0,
        price_per_place_month=6000.0,
        places_bought=5.0,
    )
    base.update(kw)
    return NeedInputs(**base)  # type: ignore[arg-type]


def test_too_little_history_names_what_is_missing_and_gives_no_number() -> None:
    result = need_for_places(
        _inputs(window_months=3.0, arrivals=2, lengths_days=[10.0], ended=[False])
    )
    assert [m.what for m in result.missing] == ["months", "arrivals", "lengths"]
    assert result.recommended_places is None and result.curve == []


def test_little_s_law_and_a_curve_that_never_gets_worse_with_more_places() -> None:
    result = need_for_places(_inputs(), simulations=60, seed=3)
    # 1 placed a month × the Kaplan–Meier mean (the open 200 counts to 200) in months.
    km = kaplan_meier([60.0, 90.0, 120.0, 150.0, 200.0], [True, True, True, True, False])
    assert result.littles_law_places == pytest.approx(1.0 * km.restricted_mean() / (365.25 / 12))
    shares = [p.share_within_target for p in result.curve]
    assert shares == sorted(shares)  # more places: never a longer wait (the same draws)
    used = [p.utilisation for p in result.curve]
    assert used == sorted(used, reverse=True)
    assert result.recommended_places is not None
    lo, hi = result.recommended_band or (0, 0)
    assert lo <= result.recommended_places <= hi
    again = need_for_places(_inputs(), simulations=60, seed=3)
    assert again.curve == result.curve  # seeded: the same answer every time


def _erlang_c(c: int, load: float) -> float:
    top = load**c / math.factorial(c) * c / (c - load)
    return top / (sum(load**k / math.factorial(k) for k in range(c)) + top)


def test_the_simulated_queue_agrees_with_erlang_c() -> None:
    # 2 placed a month, exponential lengths of 3 months on average: an M/M/c queue with an
    # offered load of 6 places, whose waits the Erlang C formula gives exactly.
    rng = np.random.default_rng(7)
    mean_days = 3 * 365.25 / 12
    lengths = list(rng.exponential(mean_days, 4000))
    result = need_for_places(
        _inputs(
            window_months=2000.0,
            arrivals=4000,
            direct_placements=4000,
            lengths_days=lengths,
            ended=[True] * len(lengths),
        ),
        simulations=200,
        seed=11,
        max_places=10,
        target_wait_days=14,
    )
    rate, mu = 2 / (365.25 / 12), 1 / mean_days
    # From 8 places up (a load of 6 on 7 places is near saturation, where a few years of
    # history converge slowly), within 3 percentage points.
    for c in (8, 9, 10):
        expected = 1 - _erlang_c(c, rate / mu) * math.exp(-(c * mu - rate) * 14)
        assert result.curve[c - 1].share_within_target == pytest.approx(expected, abs=0.03)
    assert result.curve[7].utilisation == pytest.approx(6 / 8, abs=0.03)
    assert result.curve[9].utilisation == pytest.approx(6 / 10, abs=0.03)


def test_time_average_of_places_busy_by_hand() -> None:
    # 0–5: one busy, 5–10: two, 10–15: one, 15–20: none; base 1 → above it only 5–10.
    mean, above = _time_average([(0.0, 10.0), (5.0, 15.0)], 1, 20.0)
    assert mean == pytest.approx(1.0) and above == pytest.approx(0.25)
    assert _time_average([], 1, 20.0) == (0.0, 0.0)


def test_payment_models_on_the_simulated_demand() -> None:
    inputs = _inputs()
    costs = {c.model: c for c in payment_on_demand(inputs, 6, simulations=60, seed=3)}
    assert set(costs) == {"fixed_per_place_month", "per_weekday", "per_attended_day", "hybrid"}
    fixed = 6 * inputs.price_per_place_month * 12
    assert costs["fixed_per_place_month"].mean_sek == pytest.approx(fixed)
    assert costs["fixed_per_place_month"].band == (pytest.approx(fixed), pytest.approx(fixed))
    in_use = costs["fixed_per_place_month"].in_use
    assert 0 < in_use < 6
    # The fixed price spread over the weekdays, every weekday attended: paid for what is used.
    assert costs["per_attended_day"].mean_sek == pytest.approx(fixed * in_use / 6)
    # Per weekday: in use × 5 days × 1,000 SEK a month.
    assert costs["per_weekday"].mean_sek == pytest.approx(in_use * 5 * 1000 * 12)
    # Hybrid: 3 base places always paid, the part above them when used; never more than fixed,
    # and at least what the mean alone would say (busy places vary around the mean).
    hybrid = costs["hybrid"].mean_sek
    base = 3 * inputs.price_per_place_month * 12
    assert base <= hybrid <= fixed
    assert hybrid >= base + max(0.0, in_use - 3) * inputs.price_per_place_month * 12 - 1e-6
    low, high = costs["hybrid"].band
    assert low <= hybrid <= high
    again = payment_on_demand(inputs, 6, simulations=60, seed=3)
    assert [c.mean_sek for c in again] == [c.mean_sek for c in costs.values()]
    assert payment_on_demand(_inputs(arrivals=1), 6) == []
