"""Scenarios: the assumptions the records cannot give, as an impact map with a band and a tornado."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from platsa.engine.distributions import Triangular
from platsa.engine.scenario import Assumptions, Range, evaluate, impact_map
from platsa.engine.sroi import ImpactMap, ImpactRow, simulate

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


def test_the_report_s_way_of_counting_gives_the_report_s_point_and_keeps_costs_to_an_actor() -> (
    None
):
    result = evaluate(
        Assumptions.as_the_report(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000
    )
    annuity = sum(1.035**-n for n in (1, 2, 3))
    year1 = 2 * 12 * sum(VALUES["employment"].values()) + 12 * sum(VALUES["studies"].values())
    assert result.point.sroi_ratio == pytest.approx(year1 * annuity / 864_000, rel=1e-9)
    # The student grant is a cost to the state: a negative row, not clipped away.
    studies_state = 12 * -3956.33 * annuity
    assert result.point.by_stakeholder["state"] == pytest.approx(
        2 * 12 * 7540.8 * annuity + studies_state
    )


def test_every_headline_lies_inside_its_own_band_for_both_views() -> None:
    result = evaluate(Assumptions(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000)
    for view in result.views.values():
        for band in (view.sroi, view.npv_sek, view.payback_months):
            assert band.p5 <= band.p50 <= band.p95
        # The value at the chosen inputs is not the headline, but it is a plausible value.
        assert view.sroi.p5 <= view.at_chosen["sroi"] <= view.sroi.p95


def test_the_municipality_s_budget_gains_less_than_society_and_says_so() -> None:
    result = evaluate(Assumptions(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000)
    municipality, society = result.views["municipality"], result.views["society"]
    assert municipality.actors == ("municipality",)
    assert society.actors == ("municipality", "region", "state", "individual")
    assert municipality.sroi.p50 < society.sroi.p50
    assert municipality.probability_sroi_above_1 < society.probability_sroi_above_1
    assert municipality.cost_sek == society.cost_sek == 864_000  # the municipality pays it all


def test_the_band_is_pinned_on_a_fixed_seed() -> None:
    """A seeded regression: shared draws per outcome, the benefit period and the salary drawn."""
    result = evaluate(Assumptions(), exits=EXITS, monthly_value=VALUES, investment_sek=864_000)
    m = result.views["municipality"].sroi
    s = result.views["society"].sroi
    assert (round(m.p5, 4), round(m.p50, 4), round(m.p95, 4)) == PINNED_MUNICIPALITY
    assert (round(s.p5, 4), round(s.p50, 4), round(s.p95, 4)) == PINNED_SOCIETY


def test_rows_of_one_outcome_share_their_draws() -> None:
    """Two actors' rows of one outcome move together: the band is that of one row with the
    summed value, not the narrower band of two independent draws."""
    dw = Triangular(0.0, 0.2, 0.6)

    def row(actor: str, value: float) -> ImpactRow:
        return ImpactRow(actor, "employment", 2, value, 3, deadweight=dw)

    two = ImpactMap((row("municipality", 100_000), row("state", 50_000)), 600_000)
    one = ImpactMap((row("municipality", 150_000),), 600_000)
    a = simulate(two, draws=20_000, rng=np.random.default_rng(3)).intervals["sroi_ratio"]
    b = simulate(one, draws=20_000, rng=np.random.default_rng(3)).intervals["sroi_ratio"]
    assert a == pytest.approx(b, rel=1e-12)


def test_the_same_seed_gives_the_same_figures_and_another_seed_does_not() -> None:
    def run(seed: int) -> dict[str, object]:
        a = Assumptions(seed=seed, simulations=2000)
        return evaluate(a, exits=EXITS, monthly_value=VALUES, investment_sek=864_000).as_dict()

    assert run(7) == run(7)
    assert run(7)["views"] != run(8)["views"]


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
    with pytest.raises(ValueError, match="benefit period"):
        Assumptions(duration_years=0)
    with pytest.raises(ValueError, match="discount_rate"):
        Assumptions(discount_rate=3.5)
    with pytest.raises(ValueError, match="discount_rate"):
        Assumptions(discount_rate=float("nan"))
    with pytest.raises(ValueError, match="no recorded exit"):
        impact_map(Assumptions(), exits={"employment": 0}, monthly_value=VALUES, investment_sek=1)


def test_assumptions_round_trip_through_a_dict() -> None:
    a = Assumptions(deadweight=Range(0.1, 0.2, 0.4), monthly_salary_sek=26_000, seed=42)
    assert Assumptions.from_dict(a.as_dict()) == a
    # A scenario saved before the benefit period had a range keeps its period inside it.
    old = Assumptions.from_dict({"duration_years": 10})
    assert (old.duration_low, old.duration_years, old.duration_high) == (1, 10, 10)
    assert replace(old, seed=2).seed == 2


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


PINNED_MUNICIPALITY = (0.3343, 0.7136, 1.1129)
PINNED_SOCIETY = (0.5638, 1.1778, 1.9486)
