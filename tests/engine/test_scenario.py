"""Scenarios: the assumptions the records cannot give, as an impact map with a band and a tornado."""

from __future__ import annotations

import pytest

from platsa.engine.scenario import Assumptions, Range, evaluate, impact_map

EXITS = {"employment": 2, "studies": 1}
VALUES = {
    "employment": {
        "municipality": 14284.8,
        "region": 2808.0,
        "state": 7540.8,
        "individual": 6907.2,
    },
    "studies": {"municipality": 9000.0, "region": 0.0, "state": -3956.33, "individual": -5043.67},
}


def test_the_point_estimate_counts_as_the_report_did_and_keeps_costs_to_an_actor() -> None:
    result = evaluate(Assumptions(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000)
    annuity = sum(1.035**-n for n in (1, 2, 3))
    year1 = 2 * 12 * sum(VALUES["employment"].values()) + 12 * sum(VALUES["studies"].values())
    assert result.point.sroi_ratio == pytest.approx(year1 * annuity / 864_000, rel=1e-9)
    # The student grant is a cost to the state: a negative row, not clipped away.
    studies_state = 12 * -3956.33 * annuity
    assert result.point.by_stakeholder["state"] == pytest.approx(
        2 * 12 * 7540.8 * annuity + studies_state
    )


def test_the_band_lies_below_the_point_when_every_range_only_reaches_down() -> None:
    result = evaluate(Assumptions(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000)
    band = result.simulation.intervals["sroi_ratio"]
    assert band["p5"] < band["p50"] < band["p95"] < result.point.sroi_ratio


def test_the_same_seed_gives_the_same_figures_and_another_seed_does_not() -> None:
    def run(seed: int) -> dict[str, object]:
        a = Assumptions(seed=seed, simulations=2000)
        return evaluate(a, exits=EXITS, monthly_value=VALUES, investment_sek=864_000).as_dict()

    assert run(7) == run(7)
    assert run(7)["simulation"] != run(8)["simulation"]


def test_the_tornado_is_widest_first_and_knows_which_way_each_input_pulls() -> None:
    bars = evaluate(
        Assumptions(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000
    ).tornado
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)
    by_name = {b.input: b for b in bars}
    assert by_name["deadweight"].sroi_at_high == pytest.approx(
        by_name["deadweight"].sroi_at_low / 2
    )
    assert by_name["investment_sek"].sroi_at_high < by_name["investment_sek"].sroi_at_low


def test_bad_assumptions_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="low <= most likely <= high"):
        Range(0.3, 0.1, 0.5)
    with pytest.raises(ValueError, match="duration_years"):
        Assumptions(duration_years=0)
    with pytest.raises(ValueError, match="no recorded exit"):
        impact_map(Assumptions(), exits={"employment": 0}, monthly_value=VALUES, investment_sek=1)


def test_assumptions_round_trip_through_a_dict() -> None:
    a = Assumptions(deadweight=Range(0.1, 0.2, 0.4), monthly_salary_sek=26_000, seed=42)
    assert Assumptions.from_dict(a.as_dict()) == a


def test_the_order_of_the_inputs_does_not_change_the_draws() -> None:
    """A database may hand a saved scenario's JSON back with its keys in another order."""
    shuffled = {d: dict(reversed(list(v.items()))) for d, v in reversed(list(VALUES.items()))}
    a = evaluate(Assumptions(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000)
    b = evaluate(
        Assumptions(),
        exits=dict(reversed(list(EXITS.items()))),
        monthly_value=shuffled,
        investment_sek=864_000,
    )
    assert a.as_dict() == b.as_dict()
