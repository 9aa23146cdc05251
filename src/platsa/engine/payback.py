"""Payback in the manner of NyttoSam (Payoff): what the places cost, what a cohort's outcomes
return to the municipality a year, how long until the return covers the cost.

Report §5.4 (Östersund 2022–23): investment = 12 places × 6,000 SEK × 12 months = 864,000 SEK;
a month of employment returns 9,000 (less social assistance) + 24,000 × 22 % (municipal tax) to the
municipality, a month of studies 9,000; 2 employed and 1 in studies return 456,000 a year with
the report's rounded tax of 5,500, so payback takes 864,000 / 456,000 = 1.89 years, and 5 must
reach employment for payback within one year (864,000 / 174,000 = 4.97).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from platsa.engine.trace import ParameterUse, Trace

__all__ = ["PaybackInput", "PaybackResult", "RuleOfThumbRow", "payback"]


@dataclass(frozen=True)
class PaybackInput:
    places: float
    price_per_place_month_sek: float
    months: float
    social_assistance_per_month_sek: float
    monthly_salary_sek: float
    municipal_tax_share: float
    employment: float
    studies: float
    other_costs_sek: float = 0.0
    municipal_tax_income_per_month_sek: float | None = None  # an explicit override
    rule_of_thumb_months: Sequence[int] = (3, 4, 6, 9, 12)
    parameter_uses: Sequence[
        ParameterUse
    ] = ()  # where values taken from the parameter set came from

    def __post_init__(self) -> None:
        for name in (
            "places",
            "price_per_place_month_sek",
            "months",
            "social_assistance_per_month_sek",
            "monthly_salary_sek",
            "employment",
            "studies",
            "other_costs_sek",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more, got {getattr(self, name)}")
        if not 0 <= self.municipal_tax_share <= 1:
            raise ValueError(
                f"municipal_tax_share must be between 0 and 1, got {self.municipal_tax_share}"
            )
        if any(m <= 0 for m in self.rule_of_thumb_months):
            raise ValueError("rule_of_thumb placement months must be above 0")


@dataclass(frozen=True)
class RuleOfThumbRow:
    placement_months: int
    placements_per_year: float
    investment_per_individual_sek: float
    payback_months_on_employment: float


@dataclass(frozen=True)
class PaybackResult:
    investment_sek: float
    monthly_value_employment_sek: float
    monthly_value_studies_sek: float
    annual_value_sek: float
    payback_years: float  # inf when nothing is returned
    breakeven_employments_one_year: int
    breakeven_employments_exact: float
    rule_of_thumb: tuple[RuleOfThumbRow, ...]
    traces: tuple[Trace, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "investment_sek": self.investment_sek,
            "monthly_value_sek": {
                "employment": self.monthly_value_employment_sek,
                "studies": self.monthly_value_studies_sek,
            },
            "annual_value_sek": self.annual_value_sek,
            "payback_years": None if math.isinf(self.payback_years) else self.payback_years,
            "breakeven_employments_one_year": self.breakeven_employments_one_year,
            "breakeven_employments_exact": self.breakeven_employments_exact,
            "rule_of_thumb": [
                {
                    "placement_months": r.placement_months,
                    "placements_per_year": r.placements_per_year,
                    "investment_per_individual_sek": r.investment_per_individual_sek,
                    "payback_months_on_employment": r.payback_months_on_employment,
                }
                for r in self.rule_of_thumb
            ],
            "trace": [t.as_dict() for t in self.traces],
        }


def payback(inp: PaybackInput) -> PaybackResult:
    """Investment, annual return to the municipality and payback time.

    ``investment = places × price × months + other costs``;
    ``monthly value(employment) = social assistance + salary × municipal tax share`` (or the
    explicit tax override); ``monthly value(studies) = social assistance``;
    ``annual value = 12 × (employed × value(employment) + studies × value(studies))``;
    ``payback years = investment / annual value``;
    ``breakeven = ⌈investment / (12 × value(employment))⌉``.
    Rule of thumb (report Table 6), for a placement of m months: placements per year
    ``= places × 12 / m``, investment per individual ``= price × m``, payback months on employment
    ``= investment per individual / value(employment)``.

    >>> r = payback(PaybackInput(places=12, price_per_place_month_sek=6000, months=12,
    ...     social_assistance_per_month_sek=9000, monthly_salary_sek=24000,
    ...     municipal_tax_share=0.22, employment=2, studies=1,
    ...     municipal_tax_income_per_month_sek=5500))
    >>> r.investment_sek, r.annual_value_sek, round(r.payback_years, 2)
    (864000.0, 456000.0, 1.89)
    >>> r.breakeven_employments_one_year
    5
    """
    investment = float(
        inp.places * inp.price_per_place_month_sek * inp.months + inp.other_costs_sek
    )
    computed_tax = inp.monthly_salary_sek * inp.municipal_tax_share
    tax = (
        computed_tax
        if inp.municipal_tax_income_per_month_sek is None
        else inp.municipal_tax_income_per_month_sek
    )
    tax_notes = []
    if inp.municipal_tax_income_per_month_sek is not None:
        tax_notes.append(
            f"municipal tax income overridden: {tax:g} SEK a month instead of the computed "
            f"{inp.monthly_salary_sek:g} × {inp.municipal_tax_share:g} = {computed_tax:g} "
            "(the report writes 5,500 for 24,000 × 22 % = 5,280)"
        )
    value_employment = inp.social_assistance_per_month_sek + tax
    value_studies = inp.social_assistance_per_month_sek
    annual = float(12 * (inp.employment * value_employment + inp.studies * value_studies))
    years = investment / annual if annual > 0 else math.inf
    exact = investment / (12 * value_employment) if value_employment > 0 else math.inf
    breakeven = math.ceil(round(exact, 9)) if math.isfinite(exact) else 0
    rows = tuple(
        RuleOfThumbRow(
            placement_months=m,
            placements_per_year=inp.places * 12 / m,
            investment_per_individual_sek=inp.price_per_place_month_sek * m,
            payback_months_on_employment=(inp.price_per_place_month_sek * m / value_employment)
            if value_employment > 0
            else math.inf,
        )
        for m in inp.rule_of_thumb_months
    )
    traces = (
        Trace(
            "investment_sek",
            "places × price_per_place_month_sek × months + other_costs_sek",
            investment,
            {
                "places": inp.places,
                "price_per_place_month_sek": inp.price_per_place_month_sek,
                "months": inp.months,
                "other_costs_sek": inp.other_costs_sek,
            },
        ),
        Trace(
            "monthly_value_sek.employment",
            "social_assistance_per_month_sek + monthly_salary_sek × municipal_tax_share",
            value_employment,
            {
                "social_assistance_per_month_sek": inp.social_assistance_per_month_sek,
                "monthly_salary_sek": inp.monthly_salary_sek,
                "municipal_tax_share": inp.municipal_tax_share,
            },
            parameters=tuple(inp.parameter_uses),
            notes=tuple(tax_notes),
        ),
        Trace(
            "monthly_value_sek.studies",
            "social_assistance_per_month_sek",
            value_studies,
            {"social_assistance_per_month_sek": inp.social_assistance_per_month_sek},
        ),
        Trace(
            "annual_value_sek",
            "12 × (employment × value(employment) + studies × value(studies))",
            annual,
            {"employment": inp.employment, "studies": inp.studies},
        ),
        Trace("payback_years", "investment_sek / annual_value_sek", years),
        Trace(
            "breakeven_employments_one_year",
            "ceil(investment_sek / (12 × value(employment)))",
            float(breakeven),
            {"exact": exact},
        ),
    )
    return PaybackResult(
        investment, value_employment, value_studies, annual, years, breakeven, exact, rows, traces
    )
