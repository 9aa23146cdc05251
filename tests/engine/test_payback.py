"""The report's §5.4 and Table 6 as known answers."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from platsa.engine.payback import PaybackInput, payback

REPORT = PaybackInput(
    places=12,
    price_per_place_month_sek=6000,
    months=12,
    social_assistance_per_month_sek=9000,
    monthly_salary_sek=24000,
    municipal_tax_share=0.22,
    employment=2,
    studies=1,
    municipal_tax_income_per_month_sek=5500,
)


def test_the_report_s_figures_with_its_rounded_tax() -> None:
    r = payback(REPORT)
    assert r.investment_sek == 864_000
    assert r.monthly_value_employment_sek == 14_500 and r.monthly_value_studies_sek == 9_000
    assert r.annual_value_sek == 456_000
    assert round(r.payback_years, 2) == 1.89 and r.payback_years < 2  # "just under two years"
    assert round(r.breakeven_employments_exact, 2) == 4.97 and r.breakeven_employments_one_year == 5
    assert "5280" in " ".join(r.traces[1].notes)  # the override says what it replaced


def test_the_computed_tax_is_5280_and_6_are_needed() -> None:
    r = payback(replace(REPORT, municipal_tax_income_per_month_sek=None))
    assert r.monthly_value_employment_sek == 14_280
    assert r.annual_value_sek == 12 * (2 * 14_280 + 9_000)
    assert r.breakeven_employments_one_year == 6
    assert not r.traces[1].notes


def test_table_6_rule_of_thumb() -> None:
    rows = payback(REPORT).rule_of_thumb
    table = [
        (
            r.placement_months,
            r.placements_per_year,
            r.investment_per_individual_sek,
            round(r.payback_months_on_employment, 1),
        )
        for r in rows
    ]
    assert table == [
        (3, 48, 18_000, 1.2),
        (4, 36, 24_000, 1.7),
        (6, 24, 36_000, 2.5),
        (9, 16, 54_000, 3.7),
        (12, 12, 72_000, 5.0),
    ]


def test_no_outcomes_never_pay_back() -> None:
    r = payback(replace(REPORT, employment=0, studies=0))
    assert math.isinf(r.payback_years) and r.as_dict()["payback_years"] is None


def test_negative_places_are_refused() -> None:
    with pytest.raises(ValueError, match="places must be 0 or more"):
        replace(REPORT, places=-1)


@given(employed=st.integers(0, 40), studies=st.integers(0, 40))
def test_more_outcomes_never_lengthen_payback(employed: int, studies: int) -> None:
    base = payback(replace(REPORT, employment=employed, studies=studies)).payback_years
    more = payback(replace(REPORT, employment=employed + 1, studies=studies)).payback_years
    assert more <= base


@given(n=st.integers(0, 30))
def test_breakeven_employments_pay_back_within_a_year_and_one_fewer_does_not(n: int) -> None:
    r = payback(replace(REPORT, places=n, employment=0, studies=0))
    k = r.breakeven_employments_one_year
    value_year = 12 * r.monthly_value_employment_sek
    assert k * value_year >= r.investment_sek
    assert k == 0 or (k - 1) * value_year < r.investment_sek
