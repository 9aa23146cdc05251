"""Value created over time from Östersund's records, who gains, and the rule of thumb."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

DATA_DATE = dt.datetime(2023, 11, 15, 12, tzinfo=dt.UTC)
# The report's way: nothing would have happened anyway, nobody returns (every range at 0), and
# the municipal tax gross.
AS_THE_REPORT = {
    "gross_tax": "on",
    **{
        f"{name}{suffix}": "0"
        for name in ("baseline", "drop_off")
        for suffix in ("_low", "", "_high")
    },
}


@time_machine.travel(DATA_DATE, tick=False)
def test_value_over_time_from_the_records(world: World) -> None:
    # The whole recorded history: from the first placement's month to the data's date.
    everything = {"start": "2022-08-01", "end": "2023-11-15", **AS_THE_REPORT}
    d = client_for(world.manager).get(reverse("value"), everything).context["d"]
    assert d.first_month == dt.date(2022, 8, 1) and (d.exits_to_work, d.exits_to_studies) == (2, 1)
    assert d.cohort_studies_placed_at == dt.date(2023, 11, 1)
    assert d.monthly_value["employment"]["municipality"] == pytest.approx(9000 + 24000 * 0.2202)
    # 12 places × 6,000 from 2022-09 to 2023-10, and half of November 2023 so far.
    assert d.cumulative_cost[-1] == pytest.approx(14 * 72_000 + 36_000)
    # Two in work from 2023-07 (month 11) and one in studies from 2023-11 (month 15), no drop-off:
    # (t − 10) × 28,569.6 + (t − 14) × 9,000 ≥ 1,044,000 first at t = 39, i.e. 2025-11.
    assert d.payback_month == 39 and d.payback_date == dt.date(2025, 11, 1)
    assert d.totals["municipality"] == pytest.approx(49 * 2 * 14_284.8 + 45 * 9_000)
    assert (
        d.totals["state"] < d.totals["region"] * 10
    )  # every actor is accounted, from the flows table


@time_machine.travel(DATA_DATE, tick=False)
def test_a_baseline_and_drop_off_lower_the_value_and_delay_payback(world: World) -> None:
    client = client_for(world.manager)
    base = client.get(reverse("value"), AS_THE_REPORT).context["d"]
    assumed = client.get(reverse("value")).context["d"]  # platsa's default ranges
    assert assumed.totals["municipality"] < base.totals["municipality"]
    assert assumed.payback_month is None or assumed.payback_month > base.payback_month
    # The band comes from draws over the ranges, and the median sits inside it.
    for month in range(assumed.months):
        assert assumed.band["p5"][month] <= assumed.band["p50"][month] <= assumed.band["p95"][month]
    page = client.get(reverse("value"), {"baseline_high": "150"}).content.decode()
    assert "Lämnar försörjningsstödet ändå: högst (procent per år)" in page
    assert 'role="alert"' in page
    page = client.get(reverse("value"), {"baseline_low": "10", "baseline": "5"}).content.decode()
    assert "i den ordningen" in page


@time_machine.travel(DATA_DATE, tick=False)
def test_the_rule_of_thumb_at_the_municipality_s_prices(world: World) -> None:
    d = client_for(world.manager).get(reverse("value")).context["d"]
    rows = [
        (r.placement_months, r.placements_per_year, r.investment_per_individual_sek)
        for r in d.rule_of_thumb.rule_of_thumb
    ]
    assert rows[0] == pytest.approx((3, 48, 18_000)) and rows[-1] == pytest.approx((12, 12, 72_000))
    page = client_for(world.manager).get(reverse("value")).content.decode()
    assert "Vem vinner och vem betalar" in page and "<svg" in page


@time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)
def test_no_amount_gives_the_analyst_a_hidden_count_back(world: World) -> None:
    """756 840 kr ÷ 14 280 kr a month = 53 person-months: with 2 in work and 1 in studies, every
    amount, ratio and date built on them would tell the analyst how many."""
    query = {"start": "2022-09-01", "end": "2023-08-31"}
    analyst = client_for(world.analyst).get(reverse("value"), query)
    html = analyst.content.decode().replace("\u00a0", " ")
    assert analyst.context["outcomes_hidden"] is True
    assert "Värdet visas inte för dig för den här perioden" in html
    assert "864 000 kr" in html  # the cost of the places rests on no outcome: shown
    for figure in (
        "Värde för kommunen",
        "SROI för kommunens budget",
        "<svg",
        "Återbetald för kommunen",
        "En berättelse om återbetalning",
        "Vem vinner och vem betalar",
    ):
        assert figure not in html, figure
    assert analyst.context["sroi"] is None and analyst.context["pb"] is None
    manager = client_for(world.manager).get(reverse("value"), query)
    assert manager.context["outcomes_hidden"] is False
    assert "Värde för kommunen" in manager.content.decode() and "<svg" in manager.content.decode()


def test_who_may_see_the_value(world: World) -> None:
    assert client_for(world.supervisor_rk).get(reverse("value")).status_code == 403
    analyst = client_for(world.analyst).get(reverse("value"))
    assert analyst.status_code == 200 and analyst.context["threshold"] == 5
    assert "dolt" in analyst.content.decode()  # 2 to work, 1 to studies: hidden from the analyst
    other = client_for(world.elsewhere_coach).get(reverse("value")).context["d"]
    assert other.cohort_size == 1 and other.exits_to_work == 0


@time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)
def test_the_value_page_shows_sroi_with_its_band_for_the_latest_year_with_outcomes(
    world: World,
) -> None:
    context = client_for(world.manager).get(reverse("value")).context
    assert context["recorded"].period_start == dt.date(2022, 9, 1)
    views = context["sroi"]["views"]
    for view in views.values():  # every headline inside its own band
        assert view["sroi"]["p5"] < view["sroi"]["p50"] < view["sroi"]["p95"]
    # The municipality's own budget is shown apart from society's, and gains less.
    assert views["municipality"]["sroi"]["p50"] < views["society"]["sroi"]["p50"]
    assert views["municipality"]["probability_sroi_above_1"] < 0.5
    text = client_for(world.manager).get(reverse("value")).content.decode()
    assert "SROI för kommunens budget" in text and "SROI för samhället" in text
    assert "mest troliga värdena" not in text.split("SROI med dess osäkerhet")[-1].split("<h2")[0]


@time_machine.travel(DATA_DATE, tick=False)
def test_by_default_the_page_follows_the_latest_agreement_year_with_outcomes(world: World) -> None:
    context = client_for(world.manager).get(reverse("value"), AS_THE_REPORT).context
    d = context["d"]
    assert (context["start"], context["end"]) == (dt.date(2022, 9, 1), dt.date(2023, 8, 31))
    assert d.first_month == dt.date(2022, 9, 1) and d.cumulative_cost[-1] == pytest.approx(864_000)
    assert (d.exits_to_work, d.exits_to_studies) == (2, 1)
    assert d.payback_date == dt.date(2025, 6, 1)
    assert context["recorded"].period_start == d.first_month  # SROI on the same period
    bad = client_for(world.manager).get(
        reverse("value"), {"start": "2023-09-01", "end": "2023-01-01"}
    )
    assert 'role="alert"' in bad.content.decode()


@time_machine.travel(DATA_DATE, tick=False)
def test_the_three_paybacks_are_reconciled_on_one_page(world: World) -> None:
    response = client_for(world.manager).get(reverse("value"), AS_THE_REPORT)
    pb = response.context["pb"]
    # 1. The rule of thumb: the report's rounding (5,500) beside the exact tax (5,280).
    assert pb.rule_as_report.annual_value_sek == 456_000
    assert round(pb.rule_as_report.payback_years, 2) == 1.89
    assert pb.rule.monthly_value_employment_sek == pytest.approx(9_000 + 24_000 * 0.2202)
    assert (
        pb.rule_as_report.breakeven_employments_one_year,
        pb.rule.breakeven_employments_one_year,
    ) == (5, 6)
    # 2. SROI payback per view, from the simulation: the municipality's takes longer.
    assert pb.sroi_months["municipality"]["p50"] > pb.sroi_months["society"]["p50"]
    # 3. The period's cost from its recorded outcomes: the value page's crossing.
    assert pb.period_payback_date == dt.date(2025, 6, 1)
    # Cost per person in work at the actual occupancy, against Table 6 at full occupancy.
    assert pb.cost_per_person_in_work_sek == 432_000
    assert pb.months_in_work_to_repay_one == pytest.approx(
        432_000 / pb.rule.monthly_value_employment_sek
    )
    assert pb.rule_of_thumb_months == 3
    assert pb.rule_of_thumb_investment_sek == pytest.approx(18_000)
    text = response.content.decode().replace("\u00a0", " ")
    assert "Tre sätt att räkna återbetalning" in text
    assert "432 000 kr: 30,2 månader i arbete" in text  # 432,000 ÷ 14,284.80
    assert "6 (5 med rapportens avrundning)" in text
    # The analyst sees no cost per person in work: with 2 in work it would give the count away.
    analyst = client_for(world.analyst).get(reverse("value")).content.decode()
    assert "Kostnad per person i arbete" not in analyst and "432 000" not in analyst


@time_machine.travel(DATA_DATE, tick=False)
def test_the_municipality_s_net_tax_is_worked_out_by_hand(world: World) -> None:
    """24,000 kr a month, PBB 2023 52,500 kr: basic deduction 0.77 × 52,500 − 0.1 × (288,000 −
    3.11 × 52,500) = 27,952.5 → 28,000; taxable (288,000 − 28,000) / 12 = 21,666.67 a month;
    Östersund's 22.02 % of it is 4,771.00; the municipality keeps 10.8 % after the income
    equalisation, 515.27; the state gains the other 89.2 %, 4,255.73, and bears the job tax
    credit."""
    d = client_for(world.manager).get(reverse("value")).context["d"]
    work = d.monthly_value["employment"]
    taxable = (288_000 - 28_000) / 12
    assert work["municipality"] == pytest.approx(9_000 + taxable * 0.2202 * 0.108)
    assert work["municipality"] == pytest.approx(9_515.27, abs=0.01)
    gross = client_for(world.manager).get(reverse("value"), {"gross_tax": "on"}).context["d"]
    assert gross.monthly_value["employment"]["municipality"] == pytest.approx(
        9_000 + 24_000 * 0.2202
    )
    # Taxes move between actors; they do not change what society as a whole gains.
    assert sum(work.values()) == pytest.approx(sum(gross.monthly_value["employment"].values()))
    # The job tax credit (67 kap. 7 §, the 2023 schedule): 1.812 × 52,500 + 0.128 × (288,000 −
    # 3.24 × 52,500) = 110,221.2; less the basic deduction 28,000 = 82,221.2; × (22.02 + 11.70)
    # % = 27,724.99 → 27,724 kr a year, 2,310.33 a month: the state bears it, the person gains it.
    credit = 27_724 / 12
    assert work["state"] - gross.monthly_value["employment"]["state"] == pytest.approx(
        taxable * 0.2202 * (1 - 0.108) - credit
    )
    gross_individual = gross.monthly_value["employment"]["individual"]
    assert work["individual"] - gross_individual == pytest.approx(
        credit + (24_000 - taxable) * (0.2202 + 0.117)
    )
