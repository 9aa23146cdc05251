"""SROI: hand-computed cases, the SROI Guide's conventions, and properties."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.engine.distributions import Beta, Fixed, Normal, Triangular, Uniform
from platsa.engine.sroi import ImpactMap, ImpactRow, simulate, sroi, switching_values, tornado

WORK = ImpactRow(
    stakeholder="municipality",
    outcome="work",
    quantity=2,
    value_per_unit_year_sek=174_000,
    duration_years=3,
    deadweight=0.2,
    displacement=0.0,
    attribution=0.25,
    drop_off=0.3,
)


def test_a_hand_computed_case() -> None:
    # year 1 = 2 × 174,000 × 0.8 × 1 × 0.75 = 208,800; then × 0.7 a year; discounted at 3.5 %.
    r = sroi(ImpactMap(rows=(WORK,), investment_sek=864_000))
    years = [208_800, 208_800 * 0.7, 208_800 * 0.49]
    pv = sum(v / 1.035**n for n, v in enumerate(years, start=1))
    assert r.by_year_undiscounted == pytest.approx(years)
    assert r.present_value_sek == pytest.approx(pv)
    assert r.net_present_value_sek == pytest.approx(pv - 864_000)
    assert r.sroi_ratio == pytest.approx(pv / 864_000)
    assert r.payback_months == pytest.approx(864_000 / (208_800 / 12))
    assert r.by_stakeholder == {"municipality": pytest.approx(pv)}


def test_rows_add_up_per_stakeholder_and_year() -> None:
    studies = ImpactRow(
        stakeholder="state",
        outcome="studies",
        quantity=1,
        value_per_unit_year_sek=108_000,
        duration_years=1,
    )
    r = sroi(ImpactMap(rows=(WORK, studies), investment_sek=864_000, discount_rate=0.0))
    assert r.by_stakeholder["state"] == pytest.approx(108_000)
    assert r.by_year_undiscounted[0] == pytest.approx(208_800 + 108_000)
    assert len(r.by_year_undiscounted) == 3


def test_no_drop_off_and_no_discounting_multiply_by_the_duration() -> None:
    row = replace(WORK, drop_off=0.0, deadweight=0.0, attribution=0.0)
    r = sroi(ImpactMap(rows=(row,), investment_sek=1.0, discount_rate=0.0))
    assert r.present_value_sek == pytest.approx(3 * 2 * 174_000)


def test_the_trace_names_every_input() -> None:
    trace = sroi(ImpactMap(rows=(WORK,), investment_sek=864_000)).trace
    assert trace.parts[0].inputs["deadweight"] == 0.2 and "discounted from year 1" in trace.notes
    assert "sroi_ratio" in trace.as_text()


def test_a_share_outside_0_to_1_is_refused() -> None:
    with pytest.raises(ValueError, match="deadweight must be a share"):
        replace(WORK, deadweight=1.5)
    with pytest.raises(ValueError, match="duration_years"):
        replace(WORK, duration_years=0)
    with pytest.raises(ValueError, match="investment_sek must be above 0"):
        ImpactMap(rows=(WORK,), investment_sek=0)


rates = st.floats(0.0, 0.2)


@given(r1=rates, r2=rates)
def test_present_value_falls_as_the_discount_rate_rises(r1: float, r2: float) -> None:
    lo, hi = sorted((r1, r2))
    pv_lo = sroi(ImpactMap(rows=(WORK,), investment_sek=1.0, discount_rate=lo)).present_value_sek
    pv_hi = sroi(ImpactMap(rows=(WORK,), investment_sek=1.0, discount_rate=hi)).present_value_sek
    assert pv_hi <= pv_lo * (1 + 1e-12)


@given(quantity=st.floats(0, 100), proxy=st.floats(0, 1e6))
def test_full_deadweight_gives_zero_impact(quantity: float, proxy: float) -> None:
    row = replace(WORK, quantity=quantity, value_per_unit_year_sek=proxy, deadweight=1.0)
    assert sroi(ImpactMap(rows=(row,), investment_sek=1.0)).present_value_sek == 0


@given(k=st.floats(0.01, 1000))
def test_scaling_investment_and_proxies_together_leaves_sroi_unchanged(k: float) -> None:
    base = sroi(ImpactMap(rows=(WORK,), investment_sek=864_000)).sroi_ratio
    scaled_row = replace(WORK, value_per_unit_year_sek=174_000 * k)
    scaled = sroi(ImpactMap(rows=(scaled_row,), investment_sek=864_000 * k)).sroi_ratio
    assert scaled == pytest.approx(base, rel=1e-9)


@settings(max_examples=25)
@given(value=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_degenerate_distributions_give_the_point_estimate(value: float, seed: int) -> None:
    degenerate = replace(
        WORK,
        deadweight=Triangular(value, value, value),
        attribution=Uniform(0.25, 0.25),
        drop_off=Normal(0.3, 0.0),
        quantity=Fixed(2),
    )
    point = sroi(
        ImpactMap(rows=(replace(WORK, deadweight=value),), investment_sek=864_000)
    ).sroi_ratio
    sim = simulate(
        ImpactMap(rows=(degenerate,), investment_sek=864_000),
        draws=50,
        rng=np.random.default_rng(seed),
    )
    for q in ("p5", "p50", "p95"):
        assert sim.intervals["sroi_ratio"][q] == pytest.approx(point, rel=1e-12)


def test_monte_carlo_is_reproducible_from_its_seed_and_brackets_the_point() -> None:
    uncertain = replace(WORK, deadweight=Triangular(0.1, 0.2, 0.4), attribution=Beta(2, 6))
    impact = ImpactMap(rows=(uncertain,), investment_sek=Uniform(800_000, 900_000))
    a = simulate(impact, draws=20_000, rng=np.random.default_rng(7), seed=7)
    b = simulate(impact, draws=20_000, rng=np.random.default_rng(7), seed=7, chunk=20_000)
    assert a.intervals == b.intervals  # chunking does not change the draws' statistics here
    i = a.intervals["sroi_ratio"]
    assert i["p5"] < sroi(impact).sroi_ratio < i["p95"]
    assert 0 <= a.probability_sroi_above_1 <= 1


def test_the_probability_that_sroi_exceeds_1_matches_a_hand_computed_case() -> None:
    # PV = 2 × quantity-free proxy … with a uniform proxy on [0, 2]: PV = proxy; investment 1.
    row = ImpactRow(
        stakeholder="s",
        outcome="o",
        quantity=1,
        value_per_unit_year_sek=Uniform(0, 2),
        duration_years=1,
    )
    sim = simulate(
        ImpactMap(rows=(row,), investment_sek=1.0, discount_rate=0.0),
        draws=200_000,
        rng=np.random.default_rng(3),
    )
    assert sim.probability_sroi_above_1 == pytest.approx(0.5, abs=0.005)
    assert sim.intervals["sroi_ratio"]["p5"] == pytest.approx(0.1, abs=0.01)
    assert sim.intervals["sroi_ratio"]["p95"] == pytest.approx(1.9, abs=0.01)


def test_switching_values_bring_sroi_to_exactly_one() -> None:
    impact = ImpactMap(rows=(WORK,), investment_sek=300_000)
    values = switching_values(impact)
    assert values["investment_sek"] == pytest.approx(sroi(impact).present_value_sek, rel=1e-9)
    dw = values["municipality: work: deadweight"]
    assert dw is not None
    assert sroi(
        ImpactMap(rows=(replace(WORK, deadweight=dw),), investment_sek=300_000)
    ).sroi_ratio == pytest.approx(1.0, abs=1e-8)
    displacement = values["municipality: work: displacement"]
    # Both enter as (1 − share): at the switch, (1 − deadweight) = (1 − 0.2)(1 − displacement).
    assert displacement is not None
    assert 1 - dw == pytest.approx(0.8 * (1 - displacement), abs=1e-8)


def test_a_switching_value_is_none_when_sroi_never_crosses_one() -> None:
    values = switching_values(ImpactMap(rows=(WORK,), investment_sek=10.0))
    assert values["municipality: work: drop_off"] is None  # even 100 % drop-off keeps SROI above 1


def test_the_tornado_is_sorted_widest_first_and_uses_the_distribution_bounds() -> None:
    row = replace(WORK, deadweight=Triangular(0.0, 0.2, 0.8))
    bars = tornado(ImpactMap(rows=(row,), investment_sek=864_000), rng=np.random.default_rng(1))
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)
    deadweight = next(b for b in bars if b.input.endswith("deadweight"))
    assert deadweight.basis == "P5–P95" and 0.0 < deadweight.low_value < deadweight.high_value < 0.8
    assert deadweight.sroi_at_low > deadweight.sroi_at_high
    assert not any(b.input.endswith("displacement") for b in bars)  # a fixed 0 does not swing
    assert math.isfinite(bars[0].swing)
