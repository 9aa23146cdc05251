"""Value creation over time (the report's Figure 12, after Carenco): a cohort's outcome against
its baseline, month by month, and cumulative value against cumulative cost.

Both lines follow the same ``N`` people. The baseline is what would have happened anyway: each
month a share ``p`` of those still on assistance leaves it. The outcome line is the exits recorded
while outcomes are observed (the first ``observed_months``); after that, those still on assistance
leave at the same rate ``p`` as in the baseline, so a projection credits the placement only with
what it did, and the two lines meet again in the long run instead of the baseline overtaking a
frozen outcome. People who left return to assistance with ``q`` a month, in both lines. Leavers
are split over destinations (work, studies): recorded exits by where they went, baseline and
projected leavers by ``baseline_split``::

    off_out(t, d)  = off_out(t−1, d) × (1 − q) + exits(t, d) + [t ≥ T] × (N − off_out(t−1)) × p × s_d
    off_base(t, d) = off_base(t−1, d) × (1 − q) + (N − off_base(t−1)) × p × s_d
    value(t, a)    = Σ_d (off_out(t, d) − off_base(t, d)) × monthly value of d to actor a

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

__all__ = [
    "CohortCurves",
    "PooledPayback",
    "ValueOverTimeInput",
    "monthly_to_rate",
    "payback_band",
    "pooled_payback",
    "value_over_time",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ValueOverTimeInput:
    cohort_size: float
    exits_by_month: Mapping[str, Sequence[float]]  # destination → exits recorded, month 0 first
    monthly_value_per_person: Mapping[str, Mapping[str, float]]  # destination → actor → SEK
    monthly_cost: Sequence[float]  # what the municipality pays, month 0 first
    months: int
    observed_months: int | None = None  # months with recorded outcomes (None: all)
    baseline_exit_probability: Uncertain = 0.0  # a month
    monthly_return_probability: Uncertain = 0.0
    baseline_split: Mapping[str, float] | None = None  # None: as the recorded exits went

    def __post_init__(self) -> None:
        if self.months < 1:
            raise ValueError("months must be 1 or more")
        if any(len(e) > self.months for e in self.exits_by_month.values()):
            raise ValueError("exits cannot be longer than the horizon in months")
        if len(self.monthly_cost) > self.months:
            raise ValueError("costs cannot be longer than the horizon in months")
        if sum(sum(e) for e in self.exits_by_month.values()) > self.cohort_size:
            raise ValueError("more exits than people in the cohort")
        for name in ("baseline_exit_probability", "monthly_return_probability"):
            if not 0 <= as_distribution(getattr(self, name)).point <= 1:
                raise ValueError(f"{name} must be between 0 and 1")

    def split(self) -> dict[str, float]:
        """How baseline and projected leavers divide over the destinations (sums to 1)."""
        if self.baseline_split is not None:
            total = sum(self.baseline_split.values())
            return {d: v / total for d, v in self.baseline_split.items()} if total else {}
        recorded = {d: float(sum(e)) for d, e in self.exits_by_month.items()}
        total = sum(recorded.values())
        if total == 0:
            first = next(iter(self.monthly_value_per_person), None)
            return {} if first is None else {first: 1.0}
        return {d: v / total for d, v in recorded.items()}


@dataclass(frozen=True)
class CohortCurves:
    off_outcome: FloatArray  # (draws, months), every destination
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


def _rates(
    inp: ValueOverTimeInput, draws: int, rng: np.random.Generator | None
) -> tuple[FloatArray, FloatArray]:
    """The monthly rates of leaving anyway (p) and of returning (q): their points for one draw,
    else ``draws`` samples of each, p first, so that runs seeded alike draw alike."""
    if draws > 1 and rng is None:
        raise ValueError("draws > 1 needs an rng")
    p_dist = as_distribution(inp.baseline_exit_probability)
    q_dist = as_distribution(inp.monthly_return_probability)
    if draws == 1:
        return np.array([p_dist.point]), np.array([q_dist.point])
    assert rng is not None
    return (
        np.clip(p_dist.sample(rng, draws), 0.0, 1.0),
        np.clip(q_dist.sample(rng, draws), 0.0, 1.0),
    )


def value_over_time(
    inp: ValueOverTimeInput, *, draws: int = 1, rng: np.random.Generator | None = None
) -> CohortCurves:
    """Monthly curves of the cohort; ``draws > 1`` needs ``rng`` for the uncertain inputs.

    >>> r = value_over_time(ValueOverTimeInput(cohort_size=10,
    ...     exits_by_month={"employment": [0, 2]},
    ...     monthly_value_per_person={"employment": {"municipality": 1000.0}},
    ...     monthly_cost=[1500, 1500], months=4))
    >>> r.cumulative_value_by_actor["municipality"][0].tolist(), r.payback_month_municipality[0]
    ([0.0, 2000.0, 4000.0, 6000.0], 2)

    With a baseline, the projection after the observed months lets the rest leave at the same
    rate in both lines, so the difference stays what the placement did:

    >>> r = value_over_time(ValueOverTimeInput(cohort_size=10,
    ...     exits_by_month={"employment": [0, 2]},
    ...     monthly_value_per_person={"employment": {"municipality": 1000.0}},
    ...     monthly_cost=[0], months=48, observed_months=2, baseline_exit_probability=0.05))
    >>> [round(float(r.off_outcome[0][t] - r.off_baseline[0][t]), 2) for t in (1, 47)]
    [1.02, 0.1]
    """
    p, q = _rates(inp, draws, rng)
    destinations = sorted(set(inp.exits_by_month) | set(inp.monthly_value_per_person))
    split = inp.split()
    exits = {d: np.zeros(inp.months) for d in destinations}
    for d, series in inp.exits_by_month.items():
        exits[d][: len(series)] = series
    cost = np.zeros(inp.months)
    cost[: len(inp.monthly_cost)] = inp.monthly_cost
    observed = inp.months if inp.observed_months is None else max(0, inp.observed_months)
    n = inp.cohort_size
    out = {d: np.zeros((draws, inp.months)) for d in destinations}
    base = {d: np.zeros((draws, inp.months)) for d in destinations}
    prev_out = {d: np.zeros(draws) for d in destinations}
    prev_base = {d: np.zeros(draws) for d in destinations}
    for t in range(inp.months):  # a loop over months; every draw at once
        total_out = sum(prev_out.values(), np.zeros(draws))
        total_base = sum(prev_base.values(), np.zeros(draws))
        leave_out = (n - total_out) * p if t >= observed else np.zeros(draws)
        leave_base = (n - total_base) * p
        for d in destinations:
            share = split.get(d, 0.0)
            prev_out[d] = prev_out[d] * (1.0 - q) + exits[d][t] + leave_out * share
            prev_base[d] = prev_base[d] * (1.0 - q) + leave_base * share
            out[d][:, t], base[d][:, t] = prev_out[d], prev_base[d]
    actors = sorted({a for v in inp.monthly_value_per_person.values() for a in v})
    value = {
        actor: sum(
            (
                (out[d] - base[d]) * inp.monthly_value_per_person.get(d, {}).get(actor, 0.0)
                for d in destinations
            ),
            np.zeros((draws, inp.months)),
        )
        for actor in actors
    }
    cumulative = {actor: np.cumsum(v, axis=1) for actor, v in value.items()}
    cum_cost = np.cumsum(cost)
    off_out = sum(out.values(), np.zeros((draws, inp.months)))
    off_base = sum(base.values(), np.zeros((draws, inp.months)))
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


@dataclass(frozen=True)
class PooledPayback:
    """Payback months of several cohorts (e.g. municipalities) and of all of them together,
    under the same draws of the uncertain rates: a draw is one answer to "how many would have
    left anyway, and how many return", the same for every cohort in it."""

    months: int
    each: list[list[int | None]]  # per cohort, per draw: first month value ≥ cost (None: never)
    total: list[int | None]  # per draw, of the summed value against the summed cost
    total_cost: float  # over the horizon, every cohort


def pooled_payback(
    inputs: Sequence[ValueOverTimeInput], *, draws: int = 1, rng: np.random.Generator | None = None
) -> PooledPayback:
    """The municipality's payback month of each input and of their sum, every draw at once.

    Each input's months equal ``value_over_time(input, draws=draws, rng=rng)``'s
    ``payback_month_municipality`` with an rng seeded alike (the draws are taken once, in the
    same order, and shared); the total adds the inputs' cumulative values and costs month by
    month before comparing them. Only the municipality's value is followed, so memory stays
    (inputs × draws), not (inputs × draws × months). Every input needs the same ``months`` and
    the same uncertain rates.

    >>> one = ValueOverTimeInput(cohort_size=10, exits_by_month={"employment": [0, 2]},
    ...     monthly_value_per_person={"employment": {"municipality": 1000.0}},
    ...     monthly_cost=[1500, 1500], months=4)
    >>> slow = ValueOverTimeInput(cohort_size=10, exits_by_month={"employment": [0, 1]},
    ...     monthly_value_per_person={"employment": {"municipality": 1000.0}},
    ...     monthly_cost=[3000, 3000], months=4)
    >>> r = pooled_payback([one, slow])
    >>> r.each, r.total
    ([[2], [None]], [3])
    """
    if not inputs:
        return PooledPayback(0, [], [], 0.0)
    months = inputs[0].months
    first = inputs[0]
    for inp in inputs:
        if inp.months != months:
            raise ValueError("every input needs the same months")
        if (inp.baseline_exit_probability, inp.monthly_return_probability) != (
            first.baseline_exit_probability,
            first.monthly_return_probability,
        ):
            raise ValueError("every input needs the same uncertain rates")
    p, q = _rates(first, draws, rng)
    m = len(inputs)
    destinations = sorted(
        {d for inp in inputs for d in (*inp.exits_by_month, *inp.monthly_value_per_person)}
    )
    n = np.array([inp.cohort_size for inp in inputs])[:, None]
    observed = np.array(
        [months if inp.observed_months is None else max(0, inp.observed_months) for inp in inputs]
    )
    splits = [inp.split() for inp in inputs]
    share = {d: np.array([s.get(d, 0.0) for s in splits])[:, None] for d in destinations}
    value = {
        d: np.array(
            [inp.monthly_value_per_person.get(d, {}).get("municipality", 0.0) for inp in inputs]
        )[:, None]
        for d in destinations
    }
    exits = {d: np.zeros((m, months)) for d in destinations}
    cost = np.zeros((m, months))
    for i, inp in enumerate(inputs):
        for d, series in inp.exits_by_month.items():
            exits[d][i, : len(series)] = series
        cost[i, : len(inp.monthly_cost)] = inp.monthly_cost
    cum_cost = np.cumsum(cost, axis=1)
    total_cum_cost = cum_cost.sum(axis=0)
    prev_out = {d: np.zeros((m, draws)) for d in destinations}
    prev_base = {d: np.zeros((m, draws)) for d in destinations}
    cumulative = np.zeros((m, draws))
    never = -1
    each = np.full((m, draws), never)
    total = np.full(draws, never)
    zero = np.zeros((m, draws))
    for t in range(months):
        total_out = sum(prev_out.values(), zero)
        total_base = sum(prev_base.values(), zero)
        leave_out = np.where((t >= observed)[:, None], (n - total_out) * p, 0.0)
        leave_base = (n - total_base) * p
        month_value = zero
        for d in destinations:
            prev_out[d] = prev_out[d] * (1.0 - q) + exits[d][:, t : t + 1] + leave_out * share[d]
            prev_base[d] = prev_base[d] * (1.0 - q) + leave_base * share[d]
            month_value = month_value + (prev_out[d] - prev_base[d]) * value[d]
        cumulative = cumulative + month_value
        reached = (cumulative >= cum_cost[:, t : t + 1]) & (cum_cost[:, t : t + 1] > 0)
        each[(each == never) & reached] = t
        if total_cum_cost[t] > 0:
            total[(total == never) & (cumulative.sum(axis=0) >= total_cum_cost[t])] = t
    return PooledPayback(
        months=months,
        each=[[None if x == never else int(x) for x in row] for row in each],
        total=[None if x == never else int(x) for x in total],
        total_cost=float(total_cum_cost[-1]),
    )


def payback_band(months: Sequence[int | None], horizon: int) -> dict[str, int | None]:
    """The 5th, 50th and 95th percentile of payback months over draws; a draw that does not pay
    back within the horizon sorts last, and a percentile that falls on one is None (never).

    >>> payback_band([3, 4, None, 5], 12)
    {'p5': 3, 'p50': 4, 'p95': None}
    """
    if not months:
        return {"p5": None, "p50": None, "p95": None}
    never = horizon
    values = np.array([never if m is None else m for m in months])
    q = (int(x) for x in np.percentile(values, [5, 50, 95], method="inverted_cdf"))
    return {key: None if x == never else x for key, x in zip(("p5", "p50", "p95"), q, strict=True)}
