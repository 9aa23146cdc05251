"""A scenario's Monte Carlo: what the value could be, for the municipality's budget and for society.

Each draw takes, for each outcome (work, studies), one deadweight, attribution, displacement and
drop-off shared by every actor's row of that outcome (they concern the same people), one benefit
period in whole years and one monthly salary, and optionally draws the four shares of an outcome
with a rank correlation (a Gaussian copula). For each actor a and outcome o::

    year 1(o, a) = exits(o) × 12 × value(o, a | salary) × (1 − dw_o)(1 − disp_o)(1 − attr_o)
    PV(o, a)     = year 1(o, a) × Σ_{n=1..D} (1 − drop_o)^(n−1) / (1 + r)^n

and for a view (the municipality alone, or every actor: society)::

    PV = Σ PV(o, a) over the view's actors;  NPV = PV − cost;  SROI = PV / cost
    payback (months) = cost / (Σ year 1 / 12)

The headline of every figure is the median of the draws with the 90 % band (P5–P95) and the
chance that SROI is above 1; the value at the chosen (most likely) inputs is reported beside it
and named as such. Everything is vectorised over draws; randomness only from the passed generator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Band",
    "ScenarioInputs",
    "ViewFigures",
    "simulate_views",
    "triangular_ppf",
]

FloatArray = NDArray[np.float64]
SHARES = ("deadweight", "attribution", "displacement", "drop_off")
VIEWS = ("municipality", "society")
SALARY_GRID = 21  # points at which the flows are evaluated across the salary's range


def triangular_ppf(u: FloatArray, low: float, mode: float, high: float) -> FloatArray:
    """The inverse distribution function of a triangular distribution.

    >>> triangular_ppf(np.array([0.0, 0.5, 1.0]), 0.0, 0.0, 1.0).round(4).tolist()
    [0.0, 0.2929, 1.0]
    """
    if high == low:
        return np.full_like(u, low, dtype=np.float64)
    c = (mode - low) / (high - low)
    left = low + np.sqrt(u * (high - low) * (mode - low))
    right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
    out: FloatArray = np.where(u < c, left, right)
    return out


def _normal_cdf(x: FloatArray) -> FloatArray:
    """Φ(x) by Abramowitz & Stegun 7.1.26 (error below 1.5e-7), vectorised.

    >>> _normal_cdf(np.array([-1.0, 0.0, 1.96])).round(4).tolist()
    [0.1587, 0.5, 0.975]
    """
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = 1.0 - poly * np.exp(-z * z)
    out: FloatArray = 0.5 * (1.0 + np.sign(x) * erf)
    return out


def _uniforms(rng: np.random.Generator, n: int, k: int, rho: float) -> FloatArray:
    """(n, k) uniforms; with ``rho`` ≠ 0 through a Gaussian copula with equal correlation ``rho``
    (Spearman's rank correlation is close to ``rho`` for the small values used here)."""
    if rho == 0.0:
        return rng.random((n, k))
    corr = np.full((k, k), rho) + np.eye(k) * (1.0 - rho)
    chol = np.linalg.cholesky(corr)
    z = rng.standard_normal((n, k)) @ chol.T
    return _normal_cdf(z)


@dataclass(frozen=True)
class ShareRange:
    low: float
    likely: float
    high: float


@dataclass(frozen=True)
class ScenarioInputs:
    """What a scenario's simulation needs, as plain values."""

    exits: Mapping[str, float]  # outcome → people
    value_at_salary: Callable[[float], Mapping[str, Mapping[str, float]]]  # → o → actor → SEK/month
    costs: Mapping[str, float]  # actor → SEK (the municipality pays for the places)
    shares: Mapping[str, ShareRange]  # deadweight, attribution, displacement, drop_off
    duration_years: tuple[int, int, int]  # low, most likely, high
    salary_sek: tuple[float, float, float]  # low, most likely, high
    discount_rate: float
    rank_correlation: float = 0.0  # between an outcome's four shares


@dataclass(frozen=True)
class Band:
    p5: float
    p50: float
    p95: float
    mean: float

    def as_dict(self) -> dict[str, float | None]:
        return {k: (v if math.isfinite(v) else None) for k, v in self.__dict__.items()}


def _band(values: FloatArray) -> Band:
    # No interpolation between draws, so an infinite payback (no value) stays infinite.
    p5, p50, p95 = (float(x) for x in np.percentile(values, [5, 50, 95], method="inverted_cdf"))
    finite = values[np.isfinite(values)]
    mean = float(finite.mean()) if len(finite) == len(values) else math.inf
    return Band(p5, p50, p95, mean)


@dataclass(frozen=True)
class ViewFigures:
    """One view's figures: the headline (median) with its band, and the value at chosen inputs."""

    view: str  # "municipality" | "society"
    actors: tuple[str, ...]
    cost_sek: float
    sroi: Band
    npv_sek: Band
    payback_months: Band
    probability_sroi_above_1: float
    probability_payback_within_3_years: float
    at_chosen: dict[str, float]  # sroi, npv_sek, present_value_sek, payback_months
    present_value_by_actor: dict[str, Band]
    npv_by_actor: dict[str, Band]  # present value less the cost the actor bears

    def as_dict(self) -> dict[str, object]:
        return {
            "view": self.view,
            "actors": list(self.actors),
            "cost_sek": self.cost_sek,
            "sroi": self.sroi.as_dict(),
            "npv_sek": self.npv_sek.as_dict(),
            "payback_months": self.payback_months.as_dict(),
            "probability_sroi_above_1": self.probability_sroi_above_1,
            "probability_payback_within_3_years": self.probability_payback_within_3_years,
            "at_chosen": {k: (v if math.isfinite(v) else None) for k, v in self.at_chosen.items()},
            "present_value_by_actor": {
                a: b.as_dict() for a, b in self.present_value_by_actor.items()
            },
            "npv_by_actor": {a: b.as_dict() for a, b in self.npv_by_actor.items()},
        }


def _pv_factor(drop_off: FloatArray, rate: float, duration: FloatArray) -> FloatArray:
    """Σ_{n=1..D} (1 − d)^(n−1) / (1 + r)^n, elementwise, exact also where the ratio is 1."""
    a = (1.0 - drop_off) / (1.0 + rate)
    near_one = np.isclose(a, 1.0)
    safe = np.where(near_one, 0.5, a)
    geometric = (1.0 - safe**duration) / (1.0 - safe)
    out: FloatArray = np.where(near_one, duration, geometric) / (1.0 + rate)
    return out


def _salary_table(
    inputs: ScenarioInputs, actors: Sequence[str]
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """The flows at a grid of salaries across the salary's range: (grid, o → (grid, actors))."""
    low, _likely, high = inputs.salary_sek
    grid = np.linspace(low, high, SALARY_GRID) if high > low else np.array([low])
    table: dict[str, FloatArray] = {}
    for i, salary in enumerate(grid):
        values = inputs.value_at_salary(float(salary))
        for outcome in inputs.exits:
            row = table.setdefault(outcome, np.zeros((len(grid), len(actors))))
            for j, actor in enumerate(actors):
                row[i, j] = values.get(outcome, {}).get(actor, 0.0)
    return grid, table


def _actors(inputs: ScenarioInputs) -> tuple[str, ...]:
    found: set[str] = set(inputs.costs)
    values = inputs.value_at_salary(inputs.salary_sek[1])
    for outcome in inputs.exits:
        found |= set(values.get(outcome, {}))
    order = ("municipality", "region", "state", "individual", "organisations")
    return tuple(sorted(found, key=lambda a: (order.index(a) if a in order else 99, a)))


def _evaluate(
    inputs: ScenarioInputs,
    actors: tuple[str, ...],
    grid: FloatArray,
    table: Mapping[str, FloatArray],
    shares: Mapping[str, Mapping[str, FloatArray]],  # outcome → share → (n,)
    duration: FloatArray,
    salary: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Year-1 value and present value per draw and actor: two (n, actors) arrays."""
    n = len(salary)
    year1 = np.zeros((n, len(actors)))
    pv = np.zeros((n, len(actors)))
    for outcome in sorted(shares):
        people = inputs.exits[outcome]
        s = shares[outcome]
        factor = (
            people
            * 12.0
            * (1.0 - s["deadweight"])
            * (1.0 - s["displacement"])
            * (1.0 - s["attribution"])
        )
        values = table[outcome]
        monthly = (
            np.stack([np.interp(salary, grid, values[:, j]) for j in range(len(actors))], axis=1)
            if len(grid) > 1
            else np.broadcast_to(values[0], (n, len(actors)))
        )
        y1 = factor[:, None] * monthly
        year1 += y1
        pv += y1 * _pv_factor(s["drop_off"], inputs.discount_rate, duration)[:, None]
    return year1, pv


def _view_actors(view: str, actors: tuple[str, ...]) -> tuple[str, ...]:
    return actors if view == "society" else tuple(a for a in actors if a == "municipality")


def _figures(
    inputs: ScenarioInputs,
    actors: tuple[str, ...],
    year1: FloatArray,
    pv: FloatArray,
    point: tuple[FloatArray, FloatArray],
) -> dict[str, ViewFigures]:
    out = {}
    for view in VIEWS:
        members = _view_actors(view, actors)
        idx = [actors.index(a) for a in members]
        cost = float(sum(inputs.costs.get(a, 0.0) for a in members))
        pv_view = pv[:, idx].sum(axis=1)
        y1_view = year1[:, idx].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = pv_view / cost if cost > 0 else np.full_like(pv_view, math.inf)
            payback = np.where(y1_view > 0, cost / np.where(y1_view > 0, y1_view, 1.0) * 12, np.inf)
        p_y1, p_pv = (float(a[0, idx].sum()) for a in point)
        out[view] = ViewFigures(
            view=view,
            actors=members,
            cost_sek=cost,
            sroi=_band(ratio),
            npv_sek=_band(pv_view - cost),
            payback_months=_band(payback),
            probability_sroi_above_1=float(np.mean(ratio > 1.0)),
            probability_payback_within_3_years=float(np.mean(payback <= 36.0)),
            at_chosen={
                "sroi": p_pv / cost if cost > 0 else math.inf,
                "npv_sek": p_pv - cost,
                "present_value_sek": p_pv,
                "payback_months": cost / (p_y1 / 12.0) if p_y1 > 0 else math.inf,
            },
            present_value_by_actor={a: _band(pv[:, actors.index(a)]) for a in members},
            npv_by_actor={
                a: _band(pv[:, actors.index(a)] - inputs.costs.get(a, 0.0)) for a in members
            },
        )
    return out


def simulate_views(
    inputs: ScenarioInputs, *, draws: int, rng: np.random.Generator
) -> dict[str, ViewFigures]:
    """The municipality's and society's figures over ``draws`` draws.

    >>> inputs = ScenarioInputs(exits={"employment": 2},
    ...     value_at_salary=lambda s: {"employment": {"municipality": 9000 + 0.22 * s}},
    ...     costs={"municipality": 348000.0},
    ...     shares={k: ShareRange(0, 0, 0) for k in SHARES}, duration_years=(1, 1, 1),
    ...     salary_sek=(24000, 24000, 24000), discount_rate=0.0)
    >>> v = simulate_views(inputs, draws=100, rng=np.random.default_rng(1))["municipality"]
    >>> round(v.sroi.p50, 4), round(v.at_chosen["sroi"], 4), v.probability_sroi_above_1
    (0.9848, 0.9848, 0.0)
    """
    if not 1 <= draws <= 10_000_000:
        raise ValueError("draws must be between 1 and 10,000,000")
    actors = _actors(inputs)
    grid, table = _salary_table(inputs, actors)
    # Sorted: a saved scenario's JSON may come back with its keys in another order, and the draws
    # are assigned outcome by outcome.
    outcomes = sorted(o for o, people in inputs.exits.items() if people > 0)
    # One set of uniforms per outcome (its four shares), then the duration and the salary.
    k = len(SHARES)
    shares: dict[str, dict[str, FloatArray]] = {}
    for outcome in outcomes:
        u = _uniforms(rng, draws, k, inputs.rank_correlation)
        shares[outcome] = {
            name: np.clip(triangular_ppf(u[:, i], *_range(inputs.shares[name])), 0.0, 1.0)
            for i, name in enumerate(SHARES)
        }
    d_low, d_likely, d_high = inputs.duration_years
    duration = np.clip(
        np.rint(triangular_ppf(rng.random(draws), d_low - 0.5, d_likely, d_high + 0.5)),
        d_low,
        d_high,
    )
    salary = triangular_ppf(rng.random(draws), *inputs.salary_sek)
    year1, pv = _evaluate(inputs, actors, grid, table, shares, duration, salary)
    chosen_shares = {
        o: {name: np.array([inputs.shares[name].likely]) for name in SHARES} for o in outcomes
    }
    point = _evaluate(
        inputs,
        actors,
        grid,
        table,
        chosen_shares,
        np.array([float(d_likely)]),
        np.array([inputs.salary_sek[1]]),
    )
    return _figures(inputs, actors, year1, pv, point)


def _range(r: ShareRange) -> tuple[float, float, float]:
    return (r.low, r.likely, r.high)
