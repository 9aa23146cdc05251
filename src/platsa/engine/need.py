"""The need for places: how many a municipality should buy, from its own history.

Inputs are plain values: the referrals and direct placements that arrived in a window, how many
referrals were placed or withdrawn (the share judged suitable), and every placement's length so
far with whether it has ended (open placements are right-censored). From them:

- **lengths** by the Kaplan–Meier estimator (open placements count as long as they have run,
  then drop out of the risk set), with the mean restricted to the longest length observed;
- **places in use on average** by Little's law: arrivals a month × the mean length in months;
- **places needed for a target** (e.g. 90 % of the people referred start within 14 days) by a
  seeded simulation of a queue with ``c`` places, first come first served: each draw takes an
  arrival rate from its posterior (Gamma, Jeffreys prior), a suitable share from its Beta
  posterior and lengths from a bootstrap of the placements (Kaplan–Meier of the resample),
  so the band shows how little a short history says. For every ``c`` the curve gives the share
  starting within the target wait, the mean wait, the utilisation and what empty places cost.

Too little history gives the list of what is missing instead of a number.

>>> km = kaplan_meier([10.0, 20.0, 30.0], [True, False, True])
>>> [round(s, 3) for s in km.survival]
[0.667, 0.0]
>>> km.times
(10.0, 30.0)
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from platsa.engine.payment import MODELS, WEEKDAYS_PER_YEAR, PaymentAssumptions

__all__ = [
    "KaplanMeier",
    "Missing",
    "NeedInputs",
    "NeedResult",
    "CurvePoint",
    "DemandCost",
    "payment_on_demand",
    "kaplan_meier",
    "need_for_places",
    "MIN_MONTHS",
    "MIN_ARRIVALS",
    "MIN_LENGTHS",
]

DAYS_PER_MONTH = 365.25 / 12
MIN_MONTHS = 6.0
MIN_ARRIVALS = 5
MIN_LENGTHS = 5
#: At most this many arrivals in one simulated queue (about 3 years at 17 a month): beyond it the
#: span is shortened, so a large municipality costs no more than a middling one.
MAX_ARRIVALS = 600


@dataclass(frozen=True)
class KaplanMeier:
    times: tuple[float, ...]  # distinct event times (days)
    survival: tuple[float, ...]  # S(t) just after each event time
    longest: float  # the longest length observed, ended or not

    def restricted_mean(self) -> float:
        """The mean length up to the longest observed: the area under S(t)."""
        area, last_t, last_s = 0.0, 0.0, 1.0
        for t, s in zip(self.times, self.survival, strict=True):
            area += last_s * (t - last_t)
            last_t, last_s = t, s
        return area + last_s * (self.longest - last_t)

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
        """Lengths drawn from the estimate; the mass beyond the last event (placements still
        running) is put at the longest length observed, which understates long stays."""
        u = rng.random(n)
        cdf = 1.0 - np.array(self.survival, dtype=np.float64)
        times = np.array(self.times, dtype=np.float64)
        index = np.searchsorted(cdf, u, side="right")
        out = np.full(n, self.longest, dtype=np.float64)
        inside = index < len(times)
        out[inside] = times[index[inside]]
        return out


def kaplan_meier(lengths: list[float], ended: list[bool]) -> KaplanMeier:
    """The product-limit estimate of how long placements last."""
    if len(lengths) != len(ended) or not lengths:
        raise ValueError("give one ended flag per length, and at least one length")
    order = sorted(zip(lengths, ended, strict=True))
    at_risk = len(order)
    survival = 1.0
    times: list[float] = []
    values: list[float] = []
    i = 0
    while i < len(order):
        t = order[i][0]
        events = censored = 0
        while i < len(order) and order[i][0] == t:
            if order[i][1]:
                events += 1
            else:
                censored += 1
            i += 1
        if events:
            survival *= 1.0 - events / at_risk
            times.append(float(t))
            values.append(survival)
        at_risk -= events + censored
    return KaplanMeier(tuple(times), tuple(values), float(max(lengths)))


@dataclass(frozen=True)
class NeedInputs:
    window_months: float  # the history looked at
    arrivals: int  # referrals and direct placements in the window
    referrals_placed: int  # referrals decided in the window: placed…
    referrals_withdrawn: int  # …or withdrawn (judged unsuitable, or left)
    direct_placements: int  # placements without a referral (counted as suitable)
    lengths_days: list[float]  # every placement's length so far
    ended: list[bool]  # whether it has ended
    average_in_use: float  # places in use on average over the window, from the placements
    price_per_place_month: float  # what a place costs (the agreements' average)
    places_bought: float  # places in force on average over the window
    # Scope, where recorded (each placement's latest step in the window): it does not change
    # the places needed (a place is bought whole) but what per-use payment models would pay.
    scope_recorded: int = 0  # placements with a recorded scope
    mean_days_per_week: float | None = None
    mean_scope_percent: float | None = None


@dataclass(frozen=True)
class CurvePoint:
    places: int
    share_within_target: float  # mean over the draws
    share_within_target_p5: float
    mean_wait_days: float
    utilisation: float
    empty_cost_per_year: float


@dataclass(frozen=True)
class NeedResult:
    missing: list[Missing]
    inputs: NeedInputs
    arrivals_per_month: float | None = None
    suitable_share: float | None = None
    mean_length_days: float | None = None
    littles_law_places: float | None = None
    recommended_places: int | None = None
    recommended_band: tuple[int, int] | None = None  # P5–P95 over the draws
    places_for_utilisation: int | None = None  # most places with utilisation ≥ the target
    curve: list[CurvePoint] = field(default_factory=list)
    target_wait_days: int = 14
    target_share: float = 0.9
    target_utilisation: float = 0.8
    simulations: int = 0
    seed: int = 0


@dataclass(frozen=True)
class Missing:
    """What the history lacks for a figure: ``what`` is "months", "arrivals", "lengths" or
    "ended"; the caller words it in the user's language."""

    what: str
    needed: float
    have: float


def _missing(inputs: NeedInputs) -> list[Missing]:
    missing = []
    if inputs.window_months < MIN_MONTHS:
        missing.append(Missing("months", MIN_MONTHS, round(inputs.window_months, 1)))
    if inputs.arrivals < MIN_ARRIVALS:
        missing.append(Missing("arrivals", MIN_ARRIVALS, inputs.arrivals))
    if len(inputs.lengths_days) < MIN_LENGTHS:
        missing.append(Missing("lengths", MIN_LENGTHS, len(inputs.lengths_days)))
    elif not any(inputs.ended):
        missing.append(Missing("ended", 1, 0))
    return missing


def _draw(
    rng: np.random.Generator,
    inputs: NeedInputs,
    lengths: NDArray[np.float64],
    ended: NDArray[np.bool_],
) -> tuple[float, KaplanMeier]:
    """One draw of the uncertain history: the arrival rate a day and the lengths."""
    referrals = inputs.arrivals - inputs.direct_placements
    # The rate of arrivals a month: Gamma posterior of a Poisson count (Jeffreys prior).
    lam = rng.gamma(referrals + 0.5, 1.0 / inputs.window_months) if referrals else 0.0
    share = rng.beta(inputs.referrals_placed + 0.5, inputs.referrals_withdrawn + 0.5)
    direct = (
        rng.gamma(inputs.direct_placements + 0.5, 1.0 / inputs.window_months)
        if inputs.direct_placements
        else 0.0
    )
    rate = (lam * share + direct) / DAYS_PER_MONTH
    pick = rng.integers(0, len(lengths), len(lengths))
    if not ended[pick].any():
        pick[0] = int(np.flatnonzero(ended)[0])
    return rate, kaplan_meier(list(lengths[pick]), list(ended[pick]))


def _simulate(
    rng: np.random.Generator,
    rate_per_day: float,
    lengths: KaplanMeier,
    places: list[int],
    *,
    horizon_days: float,
    warmup_days: float,
    target_wait: float,
    profile: list[tuple[float, float]] | None = None,
    span: list[float] | None = None,
) -> list[tuple[float, float, float]]:
    """For each number of places: (share within the target wait, mean wait, utilisation).

    The queue starts near its steady state, not empty: as many places busy as Little's law
    puts in use (a Poisson number, at most ``c``), each with the rest of a placement drawn as
    a running one is (long placements are more often running), then a warm-up."""
    n = rng.poisson(rate_per_day * (horizon_days + warmup_days))
    if n > MAX_ARRIVALS:
        # A large municipality: the same span measured from fewer arrivals would be as precise;
        # keep MAX_ARRIVALS over a span shortened in proportion (warm-up share unchanged).
        shrink = MAX_ARRIVALS / n
        horizon_days, warmup_days, n = horizon_days * shrink, warmup_days * shrink, MAX_ARRIVALS
    if span is not None:
        span[:] = [horizon_days]
    arrivals = np.sort(rng.random(n) * (horizon_days + warmup_days))
    service = lengths.sample(rng, n)
    pool = lengths.sample(rng, 512)
    mean = float(pool.mean()) or 1.0
    running = int(rng.poisson(rate_per_day * mean))
    weights = pool / pool.sum() if pool.sum() > 0 else None
    residual = rng.choice(pool, size=running, p=weights) * rng.random(running)
    out = []
    for c in places:
        if profile is not None:
            profile.clear()
        free = residual[:c].tolist() + [0.0] * max(0, c - running)
        heapq.heapify(free)
        waits = []
        busy = 0.0
        for t, s in zip(arrivals, service, strict=True):
            start = max(t, heapq.heappop(free))
            heapq.heappush(free, start + s)
            if t >= warmup_days:
                waits.append(start - t)
            # Place-days used inside the measured span.
            lo, hi = max(start, warmup_days), min(start + s, warmup_days + horizon_days)
            busy += max(0.0, hi - lo)
            if profile is not None and hi > lo:
                profile.append((lo, hi))
        for r in residual[:c]:  # the placements running at the start, if still running
            busy += max(0.0, min(r, warmup_days + horizon_days) - warmup_days)
            if profile is not None and r > warmup_days:
                profile.append((warmup_days, min(r, warmup_days + horizon_days)))
        if waits:
            w = np.array(waits)
            out.append(
                (float(np.mean(w <= target_wait)), float(w.mean()), busy / (c * horizon_days))
            )
        else:
            out.append((1.0, 0.0, busy / (c * horizon_days)))
    return out


def need_for_places(
    inputs: NeedInputs,
    *,
    target_wait_days: int = 14,
    target_share: float = 0.9,
    target_utilisation: float = 0.8,
    simulations: int = 200,
    seed: int = 1,
    max_places: int | None = None,
) -> NeedResult:
    """What the history says about the places needed; see the module's description."""
    if not 0 < target_share <= 1 or not 0 < target_utilisation <= 1:
        raise ValueError("targets are shares between 0 and 1")
    if not 0 <= target_wait_days <= 365 or not 1 <= simulations <= 10_000:
        raise ValueError("the wait is 0–365 days and the simulations 1–10,000")
    missing = _missing(inputs)
    base = NeedResult(
        missing,
        inputs,
        target_wait_days=target_wait_days,
        target_share=target_share,
        target_utilisation=target_utilisation,
        simulations=simulations,
        seed=seed,
    )
    if missing:
        return base
    km = kaplan_meier(inputs.lengths_days, inputs.ended)
    decided = inputs.referrals_placed + inputs.referrals_withdrawn
    suitable = (inputs.referrals_placed + 0.5) / (decided + 1.0)
    referrals = inputs.arrivals - inputs.direct_placements
    effective = inputs.direct_placements + referrals * suitable
    per_month = effective / inputs.window_months
    mean_length = km.restricted_mean()
    little = per_month * mean_length / DAYS_PER_MONTH
    # The curve runs from just below Little's law (fewer places than are in use on average
    # cannot keep the queue down: every draw's queue would grow without end) to well above it:
    # three times the places in use for a small municipality, the square-root rule's
    # little + 4√little (and at least half as many again) for a large one. Above 50 places in
    # use it is computed every ⌊little / 25⌋ places.
    top = max_places or max(
        4, int(math.ceil(min(little * 3, max(little * 1.5, little + 4 * math.sqrt(little))) + 6))
    )
    first = 1 if max_places else max(1, min(top, int(math.floor(little)) - 1))
    step = 1 if max_places or little < 50 else int(little // 25)
    places = list(range(first, top + 1, step))
    rng = np.random.default_rng(seed)
    lengths = np.array(inputs.lengths_days, dtype=np.float64)
    ended = np.array(inputs.ended, dtype=bool)
    shares = np.zeros((simulations, len(places)))
    waits = np.zeros_like(shares)
    utilisation = np.zeros_like(shares)
    for k in range(simulations):
        rate, boot = _draw(rng, inputs, lengths, ended)
        for j, (s, w, u) in enumerate(
            _simulate(
                rng,
                rate,
                boot,
                places,
                horizon_days=1095.0,
                warmup_days=730.0,
                target_wait=float(target_wait_days),
            )
        ):
            shares[k, j], waits[k, j], utilisation[k, j] = s, w, u
    mean_share = shares.mean(axis=0)
    per_draw = [
        next((c for c, s in zip(places, row, strict=True) if s >= target_share), top)
        for row in shares
    ]
    recommended = next(
        (c for c, s in zip(places, mean_share, strict=True) if s >= target_share), None
    )
    mean_util = utilisation.mean(axis=0)
    for_util = [c for c, u in zip(places, mean_util, strict=True) if u >= target_utilisation]
    curve = [
        CurvePoint(
            places=c,
            share_within_target=float(mean_share[j]),
            share_within_target_p5=float(np.percentile(shares[:, j], 5)),
            mean_wait_days=float(waits[:, j].mean()),
            utilisation=float(mean_util[j]),
            empty_cost_per_year=float((1 - mean_util[j]) * c * inputs.price_per_place_month * 12),
        )
        for j, c in enumerate(places)
    ]
    return NeedResult(
        [],
        inputs,
        arrivals_per_month=per_month,
        suitable_share=suitable,
        mean_length_days=mean_length,
        littles_law_places=little,
        recommended_places=recommended,
        recommended_band=(
            int(np.percentile(per_draw, 5, method="lower")),
            int(np.percentile(per_draw, 95, method="higher")),
        ),
        places_for_utilisation=max(for_util) if for_util else None,
        curve=curve,
        target_wait_days=target_wait_days,
        target_share=target_share,
        target_utilisation=target_utilisation,
        simulations=simulations,
        seed=seed,
    )


@dataclass(frozen=True)
class DemandCost:
    """What a payment model costs a year for ``places`` places on the simulated demand."""

    model: str
    places: int
    mean_sek: float
    band: tuple[float, float]  # P5–P95 over the draws
    in_use: float  # places in use on average (the same demand under every model)


def payment_on_demand(
    inputs: NeedInputs,
    places: int,
    *,
    assumptions: PaymentAssumptions | None = None,
    simulations: int = 200,
    seed: int = 1,
) -> list[DemandCost]:
    """Every payment model's cost a year for ``places`` places on the demand the history
    implies, as ``platsa.engine.payment`` prices recorded occupancy: fixed = places × price ×
    12; per weekday = in use × days a week × the rate × 12; per attended day = in use × weekdays
    a year × days a week / 5 × attendance × the price a day (the fixed price spread over the
    weekdays); hybrid = ⌈share × places⌉ base places at the fixed price + the time-average of the
    places in use above the base at the on-demand price. The draws are those of
    :func:`need_for_places` (the arrival rate and the lengths); each draw's queue is followed
    place by place over three years, so the hybrid's part above the base is exact, not the mean's.
    """
    a = assumptions or PaymentAssumptions()
    if places < 1 or _missing(inputs):
        return []
    price = inputs.price_per_place_month
    per_day = float(a.attended_day_price(price))
    on_demand = float(a.on_demand_price(price))
    base = int(a.base_places(places))
    rng = np.random.default_rng(seed)
    lengths = np.array(inputs.lengths_days, dtype=np.float64)
    ended = np.array(inputs.ended, dtype=bool)
    horizon, warmup = 1095.0, 730.0
    costs: dict[str, list[float]] = {m: [] for m in MODELS}
    in_use: list[float] = []
    for _k in range(simulations):
        rate, boot = _draw(rng, inputs, lengths, ended)
        profile: list[tuple[float, float]] = []
        span = [horizon]
        _simulate(
            rng,
            rate,
            boot,
            [places],
            horizon_days=horizon,
            warmup_days=warmup,
            target_wait=0.0,
            profile=profile,
            span=span,
        )
        mean_busy, above = _time_average(profile, base, span[0])
        in_use.append(mean_busy)
        costs["fixed_per_place_month"].append(places * price * 12)
        costs["per_weekday"].append(
            mean_busy * a.scheduled_days_per_week * a.weekday_rate_per_month_sek * 12
        )
        costs["per_attended_day"].append(
            mean_busy
            * WEEKDAYS_PER_YEAR
            * a.scheduled_days_per_week
            / 5
            * a.attendance_rate
            * per_day
        )
        costs["hybrid"].append(base * price * 12 + above * on_demand * 12)
    use = float(np.mean(in_use))
    return [
        DemandCost(
            m,
            places,
            float(np.mean(v)),
            (float(np.percentile(v, 5)), float(np.percentile(v, 95))),
            use,
        )
        for m, v in costs.items()
    ]


def _time_average(
    intervals: list[tuple[float, float]], base: int, horizon: float
) -> tuple[float, float]:
    """The time-average of places busy, and of places busy above ``base``."""
    if not intervals:
        return 0.0, 0.0
    times = np.array([t for iv in intervals for t in iv])
    steps = np.array([1, -1] * len(intervals))
    order = np.lexsort((steps, times))  # an end before a start at the same time
    times, steps = times[order], steps[order]
    busy = np.cumsum(steps)[:-1]
    spans = np.diff(times)
    return (
        float((busy * spans).sum() / horizon),
        float((np.maximum(busy - base, 0) * spans).sum() / horizon),
    )
