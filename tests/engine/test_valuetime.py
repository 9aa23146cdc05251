"""Value creation over time: outcome against baseline, cumulative value against cost."""

from __future__ import annotations

import numpy as np
import pytest

from platsa.engine.distributions import Uniform
from platsa.engine.valuetime import (
    ValueOverTimeInput,
    monthly_to_rate,
    pooled_payback,
    value_over_time,
)


def test_without_a_baseline_or_drop_off_value_accrues_from_each_exit() -> None:
    r = value_over_time(
        ValueOverTimeInput(
            cohort_size=17,
            exits_by_month={"employment": [0, 0, 1, 0, 1]},
            monthly_value_per_person={"employment": {"municipality": 14_500.0}},
            monthly_cost=[72_000] * 12,
            months=24,
        )
    )
    off = r.off_outcome[0]
    assert off[:6].tolist() == [0, 0, 1, 1, 2, 2]
    assert r.cumulative_value_by_actor["municipality"][0][5] == pytest.approx(
        14_500 * (1 + 1 + 2 + 2)
    )
    assert r.cumulative_cost[-1] == 864_000
    assert (
        r.payback_month_municipality[0] is None
    )  # 2 × 14,500 a month never reach 864,000 in 24 months


def test_the_baseline_removes_what_would_have_happened_anyway() -> None:
    base = dict(
        cohort_size=10,
        exits_by_month={"employment": [2]},
        monthly_value_per_person={"employment": {"municipality": 1000.0}},
        monthly_cost=[100.0],
        months=3,
    )
    with_baseline = value_over_time(ValueOverTimeInput(**base, baseline_exit_probability=0.1))
    # month 0: baseline 10 × 0.1 = 1 off assistance; month 1: 1 + 9 × 0.1 = 1.9; month 2: 2.71.
    assert with_baseline.off_baseline[0].tolist() == pytest.approx([1.0, 1.9, 2.71])
    assert with_baseline.value_by_actor["municipality"][0].tolist() == pytest.approx(
        [1000.0, 100.0, -710.0]
    )


def test_drop_off_returns_people_to_assistance_in_both_lines() -> None:
    r = value_over_time(
        ValueOverTimeInput(
            cohort_size=4,
            exits_by_month={"employment": [4]},
            monthly_value_per_person={"employment": {"municipality": 1.0}},
            monthly_cost=[],
            months=3,
            monthly_return_probability=0.5,
        )
    )
    assert r.off_outcome[0].tolist() == [4.0, 2.0, 1.0]


def test_uncertain_rates_give_curves_per_draw() -> None:
    r = value_over_time(
        ValueOverTimeInput(
            cohort_size=17,
            exits_by_month={"employment": [0, 1, 1, 1]},
            monthly_value_per_person={"employment": {"municipality": 14_280.0}},
            monthly_cost=[72_000] * 12,
            months=60,
            baseline_exit_probability=Uniform(0.0, 0.02),
            monthly_return_probability=Uniform(0.0, 0.05),
        ),
        draws=500,
        rng=np.random.default_rng(5),
    )
    assert r.off_outcome.shape == (500, 60)
    assert len(r.payback_month_municipality) == 500


def test_more_exits_than_people_are_refused() -> None:
    with pytest.raises(ValueError, match="more exits than people"):
        ValueOverTimeInput(
            cohort_size=1,
            exits_by_month={"employment": [2]},
            monthly_value_per_person={},
            monthly_cost=[],
            months=2,
        )


def test_an_annual_drop_off_converts_to_a_monthly_rate() -> None:
    q = monthly_to_rate(0.3)
    assert (1 - q) ** 12 == pytest.approx(0.7)


def test_the_baseline_is_applied_to_both_lines_after_the_observed_months() -> None:
    """Report §3, Figure 12: after the recorded outcomes, those still on assistance leave at the
    baseline rate in the outcome line too, so the baseline cannot overtake a frozen outcome and
    turn the 60-month value negative by itself."""
    common = dict(
        cohort_size=17,
        exits_by_month={"employment": [0] * 11 + [1] * 2, "studies": [0] * 8 + [1]},
        monthly_value_per_person={
            "employment": {"municipality": 14_280.0},
            "studies": {"municipality": 9_000.0},
        },
        monthly_cost=[72_000] * 12,
        months=60,
        baseline_exit_probability=monthly_to_rate(0.05),
    )
    symmetric = value_over_time(ValueOverTimeInput(**common, observed_months=14))
    one_sided = value_over_time(ValueOverTimeInput(**common, observed_months=60))
    # One-sided, the baseline overtakes the frozen outcome: by month 60 the placement "costs".
    assert one_sided.value_by_actor["municipality"][0][-1] < 0
    assert symmetric.value_by_actor["municipality"][0][-1] > 0
    assert (
        symmetric.cumulative_value_by_actor["municipality"][0][-1]
        > 3 * one_sided.cumulative_value_by_actor["municipality"][0][-1]
    )
    gap = symmetric.off_outcome[0] - symmetric.off_baseline[0]
    assert 0 < gap[-1] < gap[14]  # the lines draw together in the long run
    # Baseline leavers split over work and studies as the recorded exits did (2 : 1).
    assert ValueOverTimeInput(**common).split() == pytest.approx(
        {"employment": 2 / 3, "studies": 1 / 3}
    )


def _cohort(
    rng: np.random.Generator, months: int, rates: tuple[object, object]
) -> ValueOverTimeInput:
    size = int(rng.integers(1, 60))
    work = rng.multinomial(int(rng.integers(0, size + 1)), [1 / months] * months)
    studies_total = int(rng.integers(0, size - int(work.sum()) + 1))
    studies = rng.multinomial(studies_total, [1 / months] * months)
    return ValueOverTimeInput(
        cohort_size=float(size),
        exits_by_month={"employment": work.tolist(), "studies": studies.tolist()},
        monthly_value_per_person={
            "employment": {"municipality": float(rng.uniform(5_000, 16_000)), "state": 9_000.0},
            "studies": {"municipality": float(rng.uniform(2_000, 9_000))},
        },
        monthly_cost=rng.uniform(0, 90_000, int(rng.integers(1, months))).tolist(),
        months=months,
        observed_months=int(rng.integers(0, months + 1)),
        baseline_exit_probability=rates[0],  # type: ignore[arg-type]
        monthly_return_probability=rates[1],  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("seed", range(6))
def test_pooled_payback_of_each_cohort_equals_its_own_run(seed: int) -> None:
    """The regional view pools municipalities in one run; each one's months must be what the
    value page computes for it alone, draw by draw, with the same seed."""
    rng = np.random.default_rng(seed)
    months = 36
    rates = (Uniform(0.0, monthly_to_rate(0.15)), Uniform(0.0, monthly_to_rate(0.4)))
    cohorts = [_cohort(rng, months, rates) for _ in range(7)]
    pooled = pooled_payback(cohorts, draws=300, rng=np.random.default_rng(11))
    for cohort, months_of_draws in zip(cohorts, pooled.each, strict=True):
        alone = value_over_time(cohort, draws=300, rng=np.random.default_rng(11))
        assert months_of_draws == alone.payback_month_municipality
    # The total: the summed cumulative values against the summed costs, draw by draw.
    runs = [value_over_time(c, draws=300, rng=np.random.default_rng(11)) for c in cohorts]
    value = sum(r.cumulative_value_by_actor["municipality"] for r in runs)
    cost = sum(r.cumulative_cost for r in runs)
    expected = [
        next((t for t in range(months) if cost[t] > 0 and row[t] >= cost[t]), None)  # type: ignore[index]
        for row in value  # type: ignore[union-attr]
    ]
    assert pooled.total == expected
    assert pooled.total_cost == pytest.approx(float(cost[-1]))  # type: ignore[index]


def test_pooled_payback_refuses_different_horizons_or_rates() -> None:
    a = ValueOverTimeInput(
        cohort_size=1, exits_by_month={}, monthly_value_per_person={}, monthly_cost=[1], months=3
    )
    with pytest.raises(ValueError, match="same months"):
        pooled_payback(
            [
                a,
                ValueOverTimeInput(
                    cohort_size=1,
                    exits_by_month={},
                    monthly_value_per_person={},
                    monthly_cost=[1],
                    months=4,
                ),
            ]
        )
    with pytest.raises(ValueError, match="same uncertain rates"):
        pooled_payback(
            [
                a,
                ValueOverTimeInput(
                    cohort_size=1,
                    exits_by_month={},
                    monthly_value_per_person={},
                    monthly_cost=[1],
                    months=3,
                    baseline_exit_probability=0.1,
                ),
            ]
        )
