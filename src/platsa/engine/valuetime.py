"""Value creation over time (the report's Figure 12, after Carenco): a cohort's outcome against
its baseline, month by month, and cumulative value against cumulative cost.

The baseline is what would have happened anyway: each month a share ``baseline_exit_probability``
of those still on assistance leaves it without the placement (this is what deadweight means).
The outcome is the observed exits (then nothing new: a projection adds no exits that were not
seen). People who left return to assistance with ``monthly_return_probability`` a month, in both
lines (persistence and drop-off)::

    off_outcome(t)  = off_outcome(t−1) × (1 − q) + exits(t)
    off_baseline(t) = off_baseline(t−1) × (1 − q) + (N − off_baseline(t−1)) × p
    value(t, actor) = (off_outcome(t) − off_baseline(t)) × monthly value to the actor

Month 0 is the cohort's first month. Vectorised over draws: ``p`` and ``q`` may be distributions,
and the curves then have shape (draws, months).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from platsa.engine.distributions import Uncertain, as_distribution

__all__ = ["CohortCurves", "ValueOverTimeInput", "monthly_to_rate", "value_over_time"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ValueOverTimeInput:
    cohort_size: float
    exits_by_month: Sequence[float]  # observed exits to self-support, month 0 first
    monthly_value_per_person: Mapping[str, float]  # per actor, SEK a month off assistance
    monthly_cost: Sequence[float]  # what the municipality pays, month 0 first
    months: int
    baseline_exit_probability: Uncertain = 0.0
    monthly_return_probability: Uncertain = 0.0

    def __post_init__(self) -> None:
        if self.months < 1:
            raise ValueError("months must be 1 or more")
        if len(self.exits_by_month) > self.months or len(self.monthly_cost) > self.months:
            raise ValueError("exits and costs cannot be longer than the horizon in months")
        if sum(self.exits_by_month) > self.cohort_size:
            raise ValueError("more exits than people in the cohort")
        for name in ("baseline_exit_probability", "monthly_return_probability"):
            if not 0 <= as_distribution(getattr(self, name)).point <= 1:
                raise ValueError(f"{name} must be between 0 and 1")


@dataclass(frozen=True)
class CohortCurves:
    off_outcome: FloatArray  # (draws, months)
    off_baseline: FloatArray
    value_by_actor: dict[str, FloatArray]  # monthly value, (draws, months)
    cumulative_value_by_actor: dict[str, FloatArray]
    cumulative_cost: FloatArray  # (months,)
    payback_month_municipality: list[int | None]  # per draw: first month cumulative value ≥ cost

    def as_dict(self, draw: int = 0) -> dict[str, object]:
        return {
            "months": int(self.off_outcome.shape[1]),
            "off_assistance_outcome": self.off_outcome[draw].tolist(),
            "off_assistance_baseline": self.off_baseline[draw].tolist(),
            "cumulative_value_sek": {
                a: v[draw].tolist() for a, v in self.cumulative_value_by_actor.items()
            },
            "cumulative_cost_sek": self.cumulative_cost.tolist(),
            "payback_month_municipality": self.payback_month_municipality[draw],
        }


def value_over_time(
    inp: ValueOverTimeInput, *, draws: int = 1, rng: np.random.Generator | None = None
) -> CohortCurves:
    """Monthly curves of the cohort; ``draws > 1`` needs ``rng`` for the uncertain inputs.

    >>> r = value_over_time(ValueOverTimeInput(cohort_size=10, exits_by_month=[0, 2],
    ...     monthly_value_per_person={"municipality": 1000.0}, monthly_cost=[1500, 1500], months=4))
    >>> r.cumulative_value_by_actor["municipality"][0].tolist(), r.payback_month_municipality[0]
    ([0.0, 2000.0, 4000.0, 6000.0], 2)
    """
    if draws > 1 and rng is None:
        raise ValueError("draws > 1 needs an rng")
    p_dist, q_dist = (
        as_distribution(inp.baseline_exit_probability),
        as_distribution(inp.monthly_return_probability),
    )
    if draws == 1:
        p, q = np.array([p_dist.point]), np.array([q_dist.point])
    else:
        assert rng is not None
        p = np.clip(p_dist.sample(rng, draws), 0.0, 1.0)
        q = np.clip(q_dist.sample(rng, draws), 0.0, 1.0)
    exits = np.zeros(inp.months)
    exits[: len(inp.exits_by_month)] = inp.exits_by_month
    cost = np.zeros(inp.months)
    cost[: len(inp.monthly_cost)] = inp.monthly_cost
    off_out = np.zeros((draws, inp.months))
    off_base = np.zeros((draws, inp.months))
    prev_out = np.zeros(draws)
    prev_base = np.zeros(draws)
    for t in range(inp.months):  # a loop over months; every draw at once
        prev_out = prev_out * (1.0 - q) + exits[t]
        prev_base = prev_base * (1.0 - q) + (inp.cohort_size - prev_base) * p
        off_out[:, t], off_base[:, t] = prev_out, prev_base
    difference = off_out - off_base
    value = {actor: difference * v for actor, v in inp.monthly_value_per_person.items()}
    cumulative = {actor: np.cumsum(v, axis=1) for actor, v in value.items()}
    cum_cost = np.cumsum(cost)
    municipality = cumulative.get("municipality", np.zeros_like(off_out))
    reached = (municipality >= cum_cost[None, :]) & (cum_cost[None, :] > 0)
    payback = [int(np.argmax(row)) if row.any() else None for row in reached]
    return CohortCurves(off_out, off_base, value, cumulative, cum_cost, payback)


def monthly_to_rate(annual_share: float) -> float:
    """The monthly probability equivalent to an annual share: ``1 − (1 − a)^(1/12)``.

    >>> round(monthly_to_rate(0.3), 6)
    0.029286
    """
    if not 0 <= annual_share <= 1:
        raise ValueError("an annual share is between 0 and 1")
    return 1.0 - math.pow(1.0 - annual_share, 1.0 / 12.0)
