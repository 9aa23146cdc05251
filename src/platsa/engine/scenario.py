"""A scenario: the assumptions the records cannot give, turned into an SROI impact map.

Recorded data give how many went on to work or studies and what the places cost; the parameter
set gives what one person's month in work or studies is worth to each actor. What they cannot give
is what would have happened anyway (deadweight), how much of it is owed to others (attribution),
whether someone else lost a job for it (displacement), how fast the effect fades (drop-off) and
for how long it is counted (duration). Those are the scenario's assumptions, each a range
(triangular: low, most likely, high) so the result comes with a band.

The defaults are platsa's best reading of the evidence (docs/method/uncertainty.md gives each
with its source or says it is an assumption): some of the people who got a job would have got one
anyway, others helped too, and the effect fades. The report's own way of counting (no deadweight,
attribution, displacement or drop-off) is :meth:`Assumptions.as_the_report`. The headline is the
simulation's median with its 90 % band, for the municipality's budget and for society
(:mod:`platsa.engine.montecarlo`); the value at the most likely inputs is shown beside it, named
as such.

One row per actor and destination::

    quantity                 = recorded exits to that destination
    value_per_unit_year_sek  = the actor's monthly value of one person there × 12

>>> a = Assumptions()
>>> m = impact_map(a, exits={"employment": 2, "studies": 1},
...     monthly_value={"employment": {"municipality": 14500.0},
...                    "studies": {"municipality": 9000.0}}, investment_sek=864000.0)
>>> [(r.stakeholder, r.outcome, r.quantity, r.value_per_unit_year_sek) for r in m.rows]
[('municipality', 'employment', 2.0, 174000.0), ('municipality', 'studies', 1.0, 108000.0)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from platsa.engine.distributions import Fixed, Triangular
from platsa.engine.flows import TaxView
from platsa.engine.montecarlo import ScenarioInputs, ShareRange, ViewFigures, simulate_views
from platsa.engine.sroi import (
    ImpactMap,
    ImpactRow,
    SroiResult,
    TornadoBar,
    sroi,
)

__all__ = [
    "SHARES",
    "Assumptions",
    "Range",
    "ScenarioFigures",
    "evaluate",
    "impact_map",
    "scenario_tornado",
]

MonthlyValue = Mapping[str, Mapping[str, float]]

SHARES = ("deadweight", "attribution", "displacement", "drop_off")


@dataclass(frozen=True)
class Range:
    """Low, most likely and high value of a share (0–1)."""

    low: float
    likely: float
    high: float

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.likely <= self.high <= 1:
            raise ValueError(
                "a range needs 0 <= low <= most likely <= high <= 1, "
                f"got {self.low}, {self.likely}, {self.high}"
            )

    def distribution(self) -> Triangular | Fixed:
        if self.low == self.high:
            return Fixed(self.likely)
        return Triangular(self.low, self.likely, self.high)


@dataclass(frozen=True)
class Assumptions:
    """Every assumption of a scenario; the defaults are the report's points with honest ranges.

    >>> Assumptions.from_dict({"deadweight": [0.1, 0.2, 0.4], "duration_years": 5}).deadweight
    Range(low=0.1, likely=0.2, high=0.4)
    >>> Assumptions.from_dict({"horizon": 3})
    Traceback (most recent call last):
    ...
    ValueError: unknown assumption: horizon
    """

    deadweight: Range = field(default_factory=lambda: Range(0.0, 0.2, 0.5))
    attribution: Range = field(default_factory=lambda: Range(0.0, 0.1, 0.3))
    displacement: Range = field(default_factory=lambda: Range(0.0, 0.05, 0.2))
    drop_off: Range = field(default_factory=lambda: Range(0.0, 0.2, 0.5))
    duration_years: int = 3  # most likely
    discount_rate: float = 0.035
    monthly_salary_sek: float | None = None  # None: the parameter set's salary
    simulations: int = 20_000
    seed: int = 1
    duration_low: int = 1
    duration_high: int = 6
    salary_spread: float = 0.15  # the salary drawn within ± this share of the chosen
    rank_correlation: float = 0.0  # between an outcome's four shares
    # The net tax (engine/tax.py): on by default; off gives the report's gross view.
    basic_deduction: bool = True
    income_equalisation: bool = True
    job_tax_credit: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.duration_low <= self.duration_years <= self.duration_high <= 30:
            raise ValueError(
                "the benefit period needs 1 <= low <= most likely <= high <= 30 years, got "
                f"{self.duration_low}, {self.duration_years}, {self.duration_high}"
            )
        if not (math.isfinite(self.discount_rate) and -0.5 < self.discount_rate <= 0.5):
            raise ValueError("discount_rate must be above -0.5 and at most 0.5")
        if self.monthly_salary_sek is not None and not (
            math.isfinite(self.monthly_salary_sek) and 0 < self.monthly_salary_sek <= 1_000_000
        ):
            raise ValueError("monthly_salary_sek must be above 0 and at most 1,000,000")
        if not 100 <= self.simulations <= 1_000_000:
            raise ValueError("simulations must be between 100 and 1,000,000")
        if not 0 <= self.salary_spread < 1:
            raise ValueError("salary_spread must be a share from 0 up to 1")
        if not -0.3 <= self.rank_correlation <= 0.9:
            raise ValueError("rank_correlation must be between -0.3 and 0.9")

    @classmethod
    def as_the_report(cls) -> Assumptions:
        """The evaluation report's way of counting: nothing would have happened anyway, no one
        else contributed, no fading; only the benefit period and the salary stay uncertain."""
        zero = Range(0.0, 0.0, 0.0)
        return cls(
            deadweight=zero,
            attribution=zero,
            displacement=zero,
            drop_off=zero,
            basic_deduction=False,
            income_equalisation=False,
            job_tax_credit=False,
        )

    def with_share(self, name: str, value: float) -> Assumptions:
        """The same assumptions with the share ``name`` fixed at ``value``."""
        assert name in SHARES
        return replace(self, **{name: Range(value, value, value)})  # type: ignore[arg-type]

    def at_likely(self) -> Assumptions:
        """Every share at its most likely value."""
        out = self
        for name in SHARES:
            out = out.with_share(name, getattr(self, name).likely)
        return out

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for name in SHARES:
            out[name] = [out[name]["low"], out[name]["likely"], out[name]["high"]]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assumptions:
        known = {f for f in cls.__dataclass_fields__}
        for key in data:
            if key not in known:
                raise ValueError(f"unknown assumption: {key}")
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key in SHARES:
                low, likely, high = (float(v) for v in value)
                kwargs[key] = Range(low, likely, high)
            elif key in ("duration_years", "simulations", "seed", "duration_low", "duration_high"):
                kwargs[key] = int(value)
            elif key == "monthly_salary_sek":
                kwargs[key] = None if value is None else float(value)
            elif key in ("basic_deduction", "income_equalisation", "job_tax_credit"):
                kwargs[key] = bool(value)
            else:
                kwargs[key] = float(value)
        # A scenario saved before the benefit period had a range keeps its chosen period inside it.
        if "duration_years" in kwargs and "duration_high" not in kwargs:
            kwargs["duration_high"] = max(cls.duration_high, kwargs["duration_years"])
        return cls(**kwargs)

    def tax_view(self) -> TaxView:
        """Which deductions the municipal tax counts in the flows."""
        return TaxView(self.basic_deduction, self.income_equalisation, self.job_tax_credit)

    def simulation_inputs(
        self,
        *,
        exits: Mapping[str, float],
        value_at_salary: Callable[[float], MonthlyValue],
        salary_sek: float,
        costs: Mapping[str, float],
    ) -> ScenarioInputs:
        """What :func:`platsa.engine.montecarlo.simulate_views` needs for these assumptions."""
        return ScenarioInputs(
            exits=dict(exits),
            value_at_salary=value_at_salary,
            costs=dict(costs),
            shares={
                name: ShareRange(r.low, r.likely, r.high)
                for name in SHARES
                for r in (getattr(self, name),)
            },
            duration_years=(self.duration_low, self.duration_years, self.duration_high),
            salary_sek=(
                salary_sek * (1 - self.salary_spread),
                salary_sek,
                salary_sek * (1 + self.salary_spread),
            ),
            discount_rate=self.discount_rate,
            rank_correlation=self.rank_correlation,
        )


def impact_map(
    assumptions: Assumptions,
    *,
    exits: Mapping[str, float],
    monthly_value: Mapping[str, Mapping[str, float]],
    investment_sek: float,
) -> ImpactMap:
    """An impact map of one row per destination and actor with a value (zero rows left out).

    ``exits`` maps a destination ("employment", "studies") to the recorded number; ``monthly_value``
    maps a destination to each actor's monthly value of one person there (from the flows).
    """
    rows = []
    # Sorted, not in the mappings' order: a saved scenario comes back from a JSON column whose
    # key order the database may change (PostgreSQL's jsonb does), and the random draws are
    # assigned row by row, so the same inputs must always give the same rows in the same order.
    for destination in sorted(exits):
        values = monthly_value.get(destination, {})
        for actor in sorted(values):
            monthly = values[actor]
            if monthly == 0 or exits[destination] == 0:
                continue
            rows.append(
                ImpactRow(
                    stakeholder=actor,
                    outcome=destination,
                    quantity=float(exits[destination]),
                    value_per_unit_year_sek=monthly * 12.0,
                    duration_years=assumptions.duration_years,
                    deadweight=assumptions.deadweight.distribution(),
                    attribution=assumptions.attribution.distribution(),
                    displacement=assumptions.displacement.distribution(),
                    drop_off=assumptions.drop_off.distribution(),
                )
            )
    if not rows:
        raise ValueError("no recorded exit to work or studies: there is no outcome to value")
    return ImpactMap(
        rows=tuple(rows), investment_sek=investment_sek, discount_rate=assumptions.discount_rate
    )


def scenario_tornado(
    assumptions: Assumptions,
    *,
    exits: Mapping[str, float],
    monthly_value: MonthlyValue,
    investment_sek: float,
    value_at_salary: Callable[[float], MonthlyValue] | None = None,
    salary_sek: float | None = None,
) -> list[TornadoBar]:
    """One-way sensitivity over the scenario's own assumptions, widest first.

    Each share goes from its low to its high with everything else at its most likely value, for
    every row of its outcome at once; the benefit period over its range; the discount rate from 0
    to twice the chosen; the cost of the places by ±10 % and (given ``value_at_salary``) the
    salary over its range.

    >>> a = replace(Assumptions.as_the_report(), duration_years=1, duration_high=2,
    ...     discount_rate=0.0, deadweight=Range(0.0, 0.0, 0.5))
    >>> bars = scenario_tornado(a, exits={"employment": 2},
    ...     monthly_value={"employment": {"municipality": 14500.0}}, investment_sek=348000.0)
    >>> [(b.input, round(b.sroi_at_low, 2), round(b.sroi_at_high, 2)) for b in bars]
    [('duration_years', 1.0, 2.0), ('deadweight', 1.0, 0.5), ('investment_sek', 1.11, 0.91)]
    """

    def at(a: Assumptions, values: MonthlyValue, investment: float) -> float:
        return sroi(
            impact_map(a.at_likely(), exits=exits, monthly_value=values, investment_sek=investment)
        ).sroi_ratio

    bars = []

    def bar(name: str, low: float, high: float, s_low: float, s_high: float, basis: str) -> None:
        if s_low != s_high:
            bars.append(TornadoBar(name, low, high, s_low, s_high, basis))

    for name in SHARES:
        r: Range = getattr(assumptions, name)
        lo_a, hi_a = assumptions.with_share(name, r.low), assumptions.with_share(name, r.high)
        bar(
            name,
            r.low,
            r.high,
            at(lo_a, monthly_value, investment_sek),
            at(hi_a, monthly_value, investment_sek),
            "range",
        )
    lo_d, hi_d = assumptions.duration_low, assumptions.duration_high
    bar(
        "duration_years",
        lo_d,
        hi_d,
        at(replace(assumptions, duration_years=lo_d), monthly_value, investment_sek),
        at(replace(assumptions, duration_years=hi_d), monthly_value, investment_sek),
        "range",
    )
    rate = assumptions.discount_rate
    bar(
        "discount_rate",
        0.0,
        2 * rate,
        at(replace(assumptions, discount_rate=0.0), monthly_value, investment_sek),
        at(replace(assumptions, discount_rate=min(2 * rate, 0.99)), monthly_value, investment_sek),
        "0 to 2×",
    )
    bar(
        "investment_sek",
        investment_sek * 0.9,
        investment_sek * 1.1,
        at(assumptions, monthly_value, investment_sek * 0.9),
        at(assumptions, monthly_value, investment_sek * 1.1),
        "±10%",
    )
    spread = assumptions.salary_spread
    if value_at_salary is not None and salary_sek is not None and spread > 0:
        bar(
            "monthly_salary_sek",
            salary_sek * (1 - spread),
            salary_sek * (1 + spread),
            at(assumptions, value_at_salary(salary_sek * (1 - spread)), investment_sek),
            at(assumptions, value_at_salary(salary_sek * (1 + spread)), investment_sek),
            "range",
        )
    return sorted(bars, key=lambda b: b.swing, reverse=True)


@dataclass(frozen=True)
class ScenarioFigures:
    """A scenario's figures: per view (the municipality's budget, society) the simulation's
    median with its band and the value at the chosen inputs; the point map's trace; the tornado."""

    point: SroiResult  # society at the chosen (most likely) inputs, with its trace
    views: dict[str, ViewFigures]
    tornado: list[TornadoBar]
    draws: int
    seed: int

    def as_dict(self) -> dict[str, Any]:
        """The figures to keep with a saved scenario (JSON-safe)."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "views": {name: v.as_dict() for name, v in self.views.items()},
            "by_stakeholder_at_chosen": self.point.by_stakeholder,
            "tornado": [
                {
                    "input": b.input,
                    "low": b.low_value,
                    "high": b.high_value,
                    "sroi_at_low": b.sroi_at_low,
                    "sroi_at_high": b.sroi_at_high,
                }
                for b in self.tornado
            ],
            "tornado_base": self.point.sroi_ratio,
        }


def evaluate(
    assumptions: Assumptions,
    *,
    exits: Mapping[str, float],
    monthly_value: MonthlyValue,
    investment_sek: float,
    costs: Mapping[str, float] | None = None,
    value_at_salary: Callable[[float], MonthlyValue] | None = None,
    salary_sek: float | None = None,
) -> ScenarioFigures:
    """Both views' simulation (seeded by the assumptions), the point map and the tornado.

    ``costs`` says who bears what (default: the municipality pays ``investment_sek``, the whole
    cost); society's cost is their sum. Without ``value_at_salary`` the salary is not varied.

    >>> a = replace(Assumptions.as_the_report(), duration_years=1, duration_high=1,
    ...     discount_rate=0.0, simulations=1000)
    >>> f = evaluate(a, exits={"employment": 2},
    ...     monthly_value={"employment": {"municipality": 14500.0}}, investment_sek=348000.0)
    >>> round(f.views["municipality"].sroi.p50, 6), round(f.point.sroi_ratio, 6)
    (1.0, 1.0)
    """
    m = impact_map(
        assumptions, exits=exits, monthly_value=monthly_value, investment_sek=investment_sek
    )
    if value_at_salary is None or salary_sek is None:
        fixed = dict(monthly_value)
        inputs = assumptions.simulation_inputs(
            exits=exits,
            value_at_salary=lambda _s: fixed,
            salary_sek=1.0,
            costs=costs or {"municipality": investment_sek},
        )
        inputs = replace(inputs, salary_sek=(1.0, 1.0, 1.0))
    else:
        inputs = assumptions.simulation_inputs(
            exits=exits,
            value_at_salary=value_at_salary,
            salary_sek=salary_sek,
            costs=costs or {"municipality": investment_sek},
        )
    return ScenarioFigures(
        point=sroi(m),  # every distribution at its point: the most likely value
        views=simulate_views(
            inputs, draws=assumptions.simulations, rng=np.random.default_rng(assumptions.seed)
        ),
        tornado=scenario_tornado(
            assumptions,
            exits=exits,
            monthly_value=monthly_value,
            investment_sek=investment_sek,
            value_at_salary=value_at_salary,
            salary_sek=salary_sek,
        ),
        draws=assumptions.simulations,
        seed=assumptions.seed,
    )
