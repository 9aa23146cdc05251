"""SROI in the manner of the SROI Guide (Social Value UK): an impact map, present value, NPV,
the SROI ratio and payback; with Monte Carlo uncertainty, a tornado and switching values.

For each row of the impact map::

    impact(year 1) = quantity × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)
    impact(year n) = impact(year 1) × (1 − drop_off)^(n − 1)          for n = 1 … duration
    PV             = Σ_rows Σ_n impact(year n) / (1 + r)^n            (discounted from year 1)
    NPV            = PV − investment;  SROI = PV / investment
    payback months = investment / (Σ_rows impact(year 1) / 12)

The sum over years has a closed form, so draws × rows are evaluated at once: with
``a = (1 − drop_off) / (1 + r)``, ``Σ_n … = impact(year 1) × (1 − a^D) / ((1 + r)(1 − a))``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from platsa.engine.distributions import Beta, Fixed, Triangular, Uncertain, Uniform, as_distribution
from platsa.engine.trace import Trace

__all__ = [
    "ImpactMap",
    "ImpactRow",
    "SroiResult",
    "SroiSimulation",
    "TornadoBar",
    "simulate",
    "sroi",
    "switching_values",
    "tornado",
]

FloatArray = NDArray[np.float64]
UNCERTAIN_FIELDS = (
    "quantity",
    "value_per_unit_year_sek",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
)
SHARE_FIELDS = ("deadweight", "displacement", "attribution", "drop_off")


@dataclass(frozen=True)
class ImpactRow:
    stakeholder: str
    outcome: str
    quantity: Uncertain
    value_per_unit_year_sek: Uncertain
    duration_years: int
    indicator: str = ""
    deadweight: Uncertain = 0.0
    displacement: Uncertain = 0.0
    attribution: Uncertain = 0.0
    drop_off: Uncertain = 0.0

    def __post_init__(self) -> None:
        if (
            isinstance(self.duration_years, bool)
            or not isinstance(self.duration_years, int)
            or self.duration_years < 1
        ):
            raise ValueError(
                "duration_years must be a whole number of years, 1 or more, "
                f"got {self.duration_years!r}"
            )
        for name in SHARE_FIELDS:
            point = as_distribution(getattr(self, name)).point
            if not 0 <= point <= 1:
                raise ValueError(f"{name} must be a share between 0 and 1, got {point}")
        # A proxy may be negative: an outcome can cost an actor (the SROI Guide counts
        # negative outcomes too, e.g. the state paying a student grant).
        if as_distribution(self.quantity).point < 0:
            raise ValueError("quantity must be 0 or more")


@dataclass(frozen=True)
class ImpactMap:
    rows: tuple[ImpactRow, ...]
    investment_sek: Uncertain
    discount_rate: Uncertain = 0.035

    def __post_init__(self) -> None:
        if not self.rows:
            raise ValueError("an impact map needs at least one outcome row")
        if as_distribution(self.investment_sek).point <= 0:
            raise ValueError("investment_sek must be above 0")
        if as_distribution(self.discount_rate).point <= -1:
            raise ValueError("discount_rate must be above -1")

    @property
    def horizon(self) -> int:
        return max(r.duration_years for r in self.rows)


def _pv_factor(drop_off: FloatArray, rate: FloatArray, duration: FloatArray) -> FloatArray:
    """Σ_{n=1..D} (1 − d)^(n−1) / (1 + r)^n, elementwise, exact also where a = 1."""
    a = (1.0 - drop_off) / (1.0 + rate)
    near_one = np.isclose(a, 1.0)
    safe = np.where(near_one, 0.5, a)
    geometric = (1.0 - safe**duration) / (1.0 - safe)
    result: FloatArray = np.where(near_one, duration, geometric) / (1.0 + rate)
    return result


@dataclass(frozen=True)
class _Evaluated:
    year1: FloatArray  # (draws, rows)
    pv_rows: FloatArray  # (draws, rows)
    investment: FloatArray  # (draws,)

    @property
    def pv(self) -> FloatArray:
        total: FloatArray = self.pv_rows.sum(axis=1)
        return total

    @property
    def npv(self) -> FloatArray:
        return self.pv - self.investment

    @property
    def ratio(self) -> FloatArray:
        return self.pv / self.investment

    @property
    def payback_months(self) -> FloatArray:
        annual = self.year1.sum(axis=1)
        with np.errstate(divide="ignore", over="ignore"):
            return np.where(
                annual > 0, self.investment / np.where(annual > 0, annual, 1.0) * 12.0, np.inf
            )


def _evaluate(
    inputs: dict[str, FloatArray], durations: FloatArray, investment: FloatArray, rate: FloatArray
) -> _Evaluated:
    year1 = (
        inputs["quantity"]
        * inputs["value_per_unit_year_sek"]
        * (1.0 - inputs["deadweight"])
        * (1.0 - inputs["displacement"])
        * (1.0 - inputs["attribution"])
    )
    pv_rows = year1 * _pv_factor(inputs["drop_off"], rate[:, None], durations[None, :])
    return _Evaluated(year1, pv_rows, investment)


def _point_inputs(
    impact: ImpactMap,
) -> tuple[dict[str, FloatArray], FloatArray, FloatArray, FloatArray]:
    inputs = {
        f: np.array([[as_distribution(getattr(r, f)).point for r in impact.rows]], dtype=np.float64)
        for f in UNCERTAIN_FIELDS
    }
    durations = np.array([r.duration_years for r in impact.rows], dtype=np.float64)
    investment = np.array([as_distribution(impact.investment_sek).point])
    rate = np.array([as_distribution(impact.discount_rate).point])
    return inputs, durations, investment, rate


@dataclass(frozen=True)
class SroiResult:
    present_value_sek: float
    net_present_value_sek: float
    sroi_ratio: float
    payback_months: float
    by_stakeholder: dict[str, float]
    by_year_undiscounted: list[float]
    by_year_discounted: list[float]
    year1_impact_by_row: list[float]
    trace: Trace

    def as_dict(self) -> dict[str, object]:
        return {
            "present_value_sek": self.present_value_sek,
            "net_present_value_sek": self.net_present_value_sek,
            "sroi_ratio": self.sroi_ratio,
            "payback_months": None if math.isinf(self.payback_months) else self.payback_months,
            "by_stakeholder": self.by_stakeholder,
            "by_year_undiscounted": self.by_year_undiscounted,
            "by_year_discounted": self.by_year_discounted,
            "trace": self.trace.as_dict(),
        }


def sroi(impact: ImpactMap) -> SroiResult:
    """The point estimate: every distribution at its point (mode of a triangular, else the mean).

    >>> row = ImpactRow(stakeholder="municipality", outcome="work", quantity=2,
    ...     value_per_unit_year_sek=174000, duration_years=1)
    >>> r = sroi(ImpactMap(rows=(row,), investment_sek=864000, discount_rate=0.0))
    >>> r.present_value_sek, round(r.sroi_ratio, 4), round(r.payback_months, 2)
    (348000.0, 0.4028, 29.79)
    """
    inputs, durations, investment, rate = _point_inputs(impact)
    ev = _evaluate(inputs, durations, investment, rate)
    r = float(rate[0])
    by_stakeholder: dict[str, float] = {}
    for i, row in enumerate(impact.rows):
        by_stakeholder[row.stakeholder] = by_stakeholder.get(row.stakeholder, 0.0) + float(
            ev.pv_rows[0, i]
        )
    years_undiscounted, years_discounted = [], []
    for n in range(1, impact.horizon + 1):
        total = sum(
            float(ev.year1[0, i]) * (1.0 - float(inputs["drop_off"][0, i])) ** (n - 1)
            for i, row in enumerate(impact.rows)
            if n <= row.duration_years
        )
        years_undiscounted.append(total)
        years_discounted.append(total / (1.0 + r) ** n)
    row_traces = [
        Trace(
            figure=f"PV of {row.stakeholder}: {row.outcome}",
            formula="quantity × proxy × (1 − deadweight)(1 − displacement)(1 − attribution) "
            "× Σ_n (1 − drop_off)^(n−1) / (1 + r)^n",
            result=float(ev.pv_rows[0, i]),
            inputs={f: float(inputs[f][0, i]) for f in UNCERTAIN_FIELDS}
            | {"duration_years": float(row.duration_years), "year1_impact": float(ev.year1[0, i])},
        )
        for i, row in enumerate(impact.rows)
    ]
    pv = float(ev.pv[0])
    inv = float(investment[0])
    trace = Trace(
        figure="sroi_ratio",
        formula="present_value / investment",
        result=pv / inv,
        inputs={"present_value_sek": pv, "investment_sek": inv, "discount_rate": r},
        notes=[
            "discounted from year 1",
            "distributions at their point (mode of a triangular, else the mean)",
        ],
        parts=row_traces,
    )
    return SroiResult(
        present_value_sek=pv,
        net_present_value_sek=pv - inv,
        sroi_ratio=pv / inv,
        payback_months=float(ev.payback_months[0]),
        by_stakeholder=by_stakeholder,
        by_year_undiscounted=years_undiscounted,
        by_year_discounted=years_discounted,
        year1_impact_by_row=[float(x) for x in ev.year1[0]],
        trace=trace,
    )


@dataclass(frozen=True)
class SroiSimulation:
    draws: int
    seed: int | None
    intervals: dict[str, dict[str, float]]
    probability_sroi_above_1: float

    def as_dict(self) -> dict[str, object]:
        return {
            "draws": self.draws,
            "seed": self.seed,
            "intervals": {
                k: {q: _finite_or_none(v) for q, v in qs.items()}
                for k, qs in self.intervals.items()
            },
            "probability_sroi_above_1": self.probability_sroi_above_1,
        }


def _percentiles(values: FloatArray) -> dict[str, float]:
    # No interpolation between draws, so an infinite payback (no impact) stays infinite.
    p5, p50, p95 = np.percentile(values, [5, 50, 95], method="inverted_cdf")
    return {"p5": float(p5), "p50": float(p50), "p95": float(p95)}


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


WORKERS = 2  # the project's machines have two cores


def _int_power(base: FloatArray, exponent: int) -> FloatArray:
    """``base ** exponent`` for a whole ``exponent`` ≥ 0 by repeated squaring (no ``pow``)."""
    result = np.ones_like(base)
    square = base
    while exponent:
        if exponent & 1:
            result = result * square
        exponent >>= 1
        if exponent:
            square = square * square
    return result


def _may_leave(dist: object, low: float, high: float) -> bool:
    """Whether a draw of ``dist`` can fall outside [low, high] (then it is clipped)."""
    if isinstance(dist, Fixed):
        return not low <= dist.value <= high
    if isinstance(dist, Uniform | Triangular):
        return not (low <= dist.low and dist.high <= high)
    if isinstance(dist, Beta):
        return not (low <= 0.0 and 1.0 <= high)
    return True


def _chunk(
    impact: ImpactMap, n: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One chunk of draws, row by row: NPV, SROI and payback months for each draw."""
    rate_dist = as_distribution(impact.discount_rate)
    inv_dist = as_distribution(impact.investment_sek)
    rate = (
        np.float64(rate_dist.point)
        if isinstance(rate_dist, Fixed)
        else np.maximum(rate_dist.sample(rng, n), -0.99)
    )
    discount = 1.0 / (1.0 + rate)
    # A fixed rate clearly above 0 keeps (1 − drop-off) / (1 + r) below 1, so the geometric sum
    # never divides by zero; any other rate needs the guard.
    guard = not (isinstance(rate_dist, Fixed) and float(discount) < 1.0 - 1e-9)
    year1_total = np.zeros(n)
    pv_total = np.zeros(n)
    shared: dict[tuple[str, str, str], FloatArray | float] = {}
    for row in impact.rows:
        values: dict[str, FloatArray | float] = {}
        for f in UNCERTAIN_FIELDS:
            dist = as_distribution(getattr(row, f))
            if isinstance(dist, Fixed):  # a plain number stays a number: no array to fill
                value = dist.value
                if f in SHARE_FIELDS:
                    value = min(max(value, 0.0), 1.0)
                elif f == "quantity":
                    value = max(value, 0.0)
                values[f] = value
            elif f in SHARE_FIELDS:
                # Rows of one outcome concern the same people: a share with the same distribution
                # is drawn once for all of them (one deadweight for those who got jobs).
                key = (f, row.outcome, repr(dist))
                if key not in shared:
                    draw = dist.sample(rng, n)
                    shared[key] = np.clip(draw, 0.0, 1.0) if _may_leave(dist, 0.0, 1.0) else draw
                values[f] = shared[key]
            elif f == "quantity":
                draw = dist.sample(rng, n)
                values[f] = np.maximum(draw, 0.0) if _may_leave(dist, 0.0, math.inf) else draw
            else:
                values[f] = dist.sample(rng, n)
        kept = (
            (1.0 - values["deadweight"])
            * (1.0 - values["displacement"])
            * (1.0 - values["attribution"])
            * values["quantity"]
        )
        year1 = values["value_per_unit_year_sek"] * kept
        a = np.asarray((1.0 - values["drop_off"]) * discount, dtype=np.float64)
        powered = _int_power(a, row.duration_years)
        if guard:
            with np.errstate(divide="ignore", invalid="ignore"):
                geometric = np.where(
                    np.abs(1.0 - a) < 1e-12,
                    float(row.duration_years),
                    (1.0 - powered) / (1.0 - a),
                )
        else:
            geometric = (1.0 - powered) / (1.0 - a)
        year1_total += year1
        pv_total += year1 * geometric
    pv_total *= discount
    investment = np.maximum(inv_dist.sample(rng, n), np.finfo(np.float64).tiny)
    with np.errstate(divide="ignore", over="ignore"):
        payback = np.where(
            year1_total > 0,
            investment / np.where(year1_total > 0, year1_total, 1.0) * 12.0,
            np.inf,
        )
    return pv_total - investment, pv_total / investment, payback


def simulate(
    impact: ImpactMap,
    *,
    draws: int,
    rng: np.random.Generator,
    seed: int | None = None,
    chunk: int = 250_000,
) -> SroiSimulation:
    """Monte Carlo over every uncertain input, vectorised over (draws × rows), in chunks.

    A share (deadweight, displacement, attribution, drop-off) is drawn once per outcome when its
    rows give it the same distribution: those rows are about the same people. Other inputs are
    drawn independently. Shares are clipped to [0, 1] and quantities to 0 or more after drawing
    (a normal may stray outside); a proxy keeps its sign.
    """
    if draws < 1:
        raise ValueError("draws must be 1 or more")
    # Each chunk draws from a generator of its own, spawned in order from ``rng``, so the result
    # depends on the seed and the chunk size only, never on how the chunks are scheduled; two
    # threads share the work (numpy releases the GIL while drawing and computing).
    sizes = [min(chunk, draws - start) for start in range(0, draws, chunk)]
    generators = rng.spawn(len(sizes))
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(sizes))) as pool:
        parts = list(
            pool.map(lambda job: _chunk(impact, *job), zip(sizes, generators, strict=True))
        )
    npv_parts = [p[0] for p in parts]
    ratio_parts = [p[1] for p in parts]
    payback_parts = [p[2] for p in parts]
    npv, ratio, payback_months = (
        np.concatenate(p) for p in (npv_parts, ratio_parts, payback_parts)
    )
    return SroiSimulation(
        draws=draws,
        seed=seed,
        intervals={
            "sroi_ratio": _percentiles(ratio),
            "net_present_value_sek": _percentiles(npv),
            "payback_months": _percentiles(payback_months),
        },
        probability_sroi_above_1=float(np.mean(ratio > 1.0)),
    )


@dataclass(frozen=True)
class TornadoBar:
    input: str
    low_value: float
    high_value: float
    sroi_at_low: float
    sroi_at_high: float
    basis: str  # "P5–P95" of its distribution, or "±10 %" of a fixed value

    @property
    def swing(self) -> float:
        return abs(self.sroi_at_high - self.sroi_at_low)


# Every input the map has, as (name, getter, setter) on the map.
_Accessor = tuple[str, Callable[[ImpactMap], Uncertain], Callable[[ImpactMap, float], ImpactMap]]


def _accessors(impact: ImpactMap) -> list[_Accessor]:
    out: list[_Accessor] = [
        ("investment_sek", lambda m: m.investment_sek, lambda m, v: replace(m, investment_sek=v)),
        ("discount_rate", lambda m: m.discount_rate, lambda m, v: replace(m, discount_rate=v)),
    ]
    for i, row in enumerate(impact.rows):
        for f in UNCERTAIN_FIELDS:

            def get(m: ImpactMap, i: int = i, f: str = f) -> Uncertain:
                value: Uncertain = getattr(m.rows[i], f)
                return value

            def put(m: ImpactMap, v: float, i: int = i, f: str = f) -> ImpactMap:
                rows = list(m.rows)
                rows[i] = replace(rows[i], **{f: v})  # type: ignore[arg-type]
                return replace(m, rows=tuple(rows))

            out.append((f"{row.stakeholder}: {row.outcome}: {f}", get, put))
    return out


def _at_point(impact: ImpactMap) -> ImpactMap:
    """The same map with every input at its point value."""
    for _name, get, put in _accessors(impact):
        impact = put(impact, as_distribution(get(impact)).point)
    return impact


def tornado(
    impact: ImpactMap, *, rng: np.random.Generator, fixed_swing: float = 0.10
) -> list[TornadoBar]:
    """One-way sensitivity: each input from low to high with the others at their points.

    A distribution swings between its P5 and P95 (estimated from 20,000 draws of ``rng``); a fixed
    value by ±``fixed_swing`` (shares kept within 0–1). Bars are sorted, widest first; inputs whose
    swing is zero (e.g. a fixed 0 % deadweight) are left out.
    """
    base = _at_point(impact)
    bars = []
    for name, get, put in _accessors(impact):
        dist = as_distribution(get(impact))
        if isinstance(dist, Fixed):
            low, high = dist.value * (1 - fixed_swing), dist.value * (1 + fixed_swing)
            basis = f"±{fixed_swing:.0%}"
        else:
            low, high = (float(x) for x in np.percentile(dist.sample(rng, 20_000), [5, 95]))
            basis = "P5–P95"
        if any(name.endswith(f) for f in SHARE_FIELDS):
            low, high = max(low, 0.0), min(high, 1.0)
        if low == high:
            continue
        bars.append(
            TornadoBar(
                name,
                low,
                high,
                sroi(put(base, low)).sroi_ratio,
                sroi(put(base, high)).sroi_ratio,
                basis,
            )
        )
    return sorted(bars, key=lambda b: b.swing, reverse=True)


def switching_values(impact: ImpactMap) -> dict[str, float | None]:
    """For each input, the value at which SROI = 1 with the others at their points.

    Found by bisection over the input's range (shares 0–1; discount rate −0.99–10; amounts 0 to
    1,000 times their point). ``None`` means SROI does not cross 1 within that range.
    """
    base = _at_point(impact)
    out: dict[str, float | None] = {}
    for name, get, put in _accessors(impact):
        point = float(as_distribution(get(base)).point)
        if any(name.endswith(f) for f in SHARE_FIELDS):
            lo, hi = 0.0, 1.0
        elif name == "discount_rate":
            lo, hi = -0.99, 10.0
        else:
            lo, hi = 0.0, max(point, 1.0) * 1000.0
        if name == "investment_sek":
            lo = 1e-9

        def excess(x: float, put: Callable[[ImpactMap, float], ImpactMap] = put) -> float:
            return sroi(put(base, x)).sroi_ratio - 1.0

        out[name] = _bisect(excess, lo, hi)
    return out


def _bisect(f: Callable[[float], float], lo: float, hi: float, tol: float = 1e-10) -> float | None:
    f_lo, f_hi = f(lo), f(hi)
    if f_lo == 0:
        return lo
    if f_hi == 0:
        return hi
    if (f_lo > 0) == (f_hi > 0):
        return None
    for _ in range(200):
        mid = (lo + hi) / 2
        f_mid = f(mid)
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
        if hi - lo <= tol * max(1.0, abs(mid)):
            break
    return (lo + hi) / 2
