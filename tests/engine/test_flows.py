"""Value of an outcome per actor and month: the report's municipal view and the actor split."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from platsa.engine.flows import default_flows, evaluate, load_flows, outcome_values
from platsa.engine.parameters import ParameterError, default_parameters

ON = dt.date(2023, 6, 1)
REPORT_TAX = {
    ("employment", "municipality", "municipal_income_tax"): (5500.0, "the report's rounding")
}


def test_the_municipality_s_view_computes_5280_by_default() -> None:
    values = outcome_values(parameters=default_parameters(), on=ON)
    assert values["employment"].actor_total("municipality") == pytest.approx(9000 + 24000 * 0.22)
    assert values["studies"].actor_total("municipality") == 9000


def test_the_report_s_14500_with_an_explicit_override_that_says_so() -> None:
    values = outcome_values(parameters=default_parameters(), on=ON, item_overrides=REPORT_TAX)
    assert values["employment"].actor_total("municipality") == 14_500
    trace = values["employment"].trace("municipality").as_text()
    assert "overridden: 5500 instead of the computed 5280" in trace
    assert "[the report]" in trace and "2020-01-01" in trace


def test_who_gains_and_who_pays_on_employment() -> None:
    by_actor = outcome_values(parameters=default_parameters(), on=ON)["employment"].by_actor
    assert by_actor["region"] == pytest.approx(24000 * 0.11)
    # The state keeps the employer contributions except the old-age pension part (10.21 %), which
    # builds the individual's pension.
    assert by_actor["state"] == pytest.approx(24000 * (0.3142 - 0.1021))
    assert by_actor["individual"] == pytest.approx(24000 * (1 - 0.22 - 0.11 + 0.1021) - 9000)


def test_studies_cost_the_state_the_student_grant() -> None:
    studies = outcome_values(parameters=default_parameters(), on=dt.date(2024, 3, 1))["studies"]
    # A year of full-time studies is 40 weeks with the grant (CSN), not 52.
    assert studies.actor_total("state") == pytest.approx(-997 * 40 / 12)


def test_a_user_can_extend_the_table_with_a_health_care_saving(tmp_path: Path) -> None:
    extended = tmp_path / "flows.yaml"
    extended.write_text(
        (Path(__file__).parents[2] / "src/platsa/engine/data/flows.yaml").read_text(
            encoding="utf-8"
        )
        + "- {destination: employment, actor: region, item: health_care_saving, amount: 1500,"
        " description: Lägre vårdkostnader}\n",
        encoding="utf-8",
    )
    values = outcome_values(parameters=default_parameters(), on=ON, flows=load_flows(extended))
    assert values["employment"].actor_total("region") == pytest.approx(24000 * 0.11 + 1500)


def test_an_override_of_a_missing_flow_is_refused() -> None:
    with pytest.raises(ParameterError, match="employment/municipality/nothing"):
        outcome_values(
            parameters=default_parameters(),
            on=ON,
            item_overrides={("employment", "municipality", "nothing"): (1.0, "x")},
        )


@pytest.mark.parametrize("expression", ["__import__('os')", "a.b", "a ** 2", "[1]", "'text'"])
def test_an_amount_is_arithmetic_only(expression: str) -> None:
    with pytest.raises((ValueError, SyntaxError)):
        evaluate(expression, {"a": 1.0})


def test_a_bad_flows_file_names_the_row_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "flows.yaml"
    bad.write_text(
        "- {destination: employment, actor: church, item: x, amount: '1'}\n", encoding="utf-8"
    )
    with pytest.raises(ParameterError, match=r"flows.yaml: \[0\].actor: must be one of"):
        load_flows(bad)
    bad.write_text(
        "- {destination: employment, actor: state, item: x, amount: 'open(1)'}\n", encoding="utf-8"
    )
    with pytest.raises(ParameterError, match=r"flows.yaml: \[0\].amount: only numbers"):
        load_flows(bad)


def test_every_shipped_flow_names_known_parameters() -> None:
    assert len(default_flows()) >= 9
    outcome_values(parameters=default_parameters("2380"), on=dt.date(2024, 6, 1))


def test_the_net_view_counts_the_basic_deduction_and_the_income_equalisation() -> None:
    """Worked by hand for Östersund on 2023-06-01: 24,000 kr a month, PBB 52,500 kr."""
    from platsa.engine.flows import GROSS, NET, TaxView

    on = dt.date(2023, 6, 1)
    parameters = default_parameters("2380")
    net = outcome_values(parameters=parameters, on=on, tax=NET)["employment"]
    gross = outcome_values(parameters=parameters, on=on, tax=GROSS)["employment"]
    taxable = (288_000 - 28_000) / 12  # the basic deduction 28,000 kr a year
    items = {(f.flow.actor, f.flow.item): f.monthly_sek for f in net.flows}
    assert items[("municipality", "municipal_income_tax")] == pytest.approx(
        taxable * 0.2202 * 0.108
    )
    assert items[("state", "income_equalisation")] == pytest.approx(taxable * 0.2202 * 0.892)
    assert items[("region", "regional_income_tax")] == pytest.approx(taxable * 0.1170)
    gross_items = {(f.flow.actor, f.flow.item): f.monthly_sek for f in gross.flows}
    assert gross_items[("municipality", "municipal_income_tax")] == pytest.approx(24_000 * 0.2202)
    assert gross_items[("state", "income_equalisation")] == 0
    # Only who gains changes; the sum over actors does not.
    assert sum(net.by_actor.values()) == pytest.approx(sum(gross.by_actor.values()))
    only_deduction = outcome_values(
        parameters=parameters, on=on, tax=TaxView(basic_deduction=True)
    )["employment"]
    assert only_deduction.by_actor["municipality"] == pytest.approx(9_000 + taxable * 0.2202)


def test_the_job_tax_credit_is_worked_out_by_hand() -> None:
    """Inkomstskattelagen 67 kap. 7 §, the 2016 schedule (PBB 44,300, ks 32 %).

    60,000 kr a month: AI 720,000 > 8.08 PBB, so 2.155 × 44,300 = 95,466.5; the basic deduction
    above 7.88 PBB is 0.293 × 44,300 = 12,979.9 → 13,000; (95,466.5 − 13,000) × 0.32 = 26,389.28;
    the phase-out takes 3 % of the income above 13.54 × 44,300 = 599,822: 3,605.34; 22,783.94 →
    22,783 kr. 2,500 kr a month: AI 30,000 ≤ 0.91 PBB, (30,000 − 18,800) × 0.32 = 3,584."""
    from platsa.engine.tax import JobTaxCredit, basic_deduction, job_tax_credit

    schedule = JobTaxCredit(2.94, 0.332, 1.584, 0.111, 2.155, 13.54)
    assert basic_deduction(720_000, 44_300) == 13_000
    assert job_tax_credit(720_000, 44_300, 0.32, schedule) == 22_783
    assert basic_deduction(30_000, 44_300) == 18_800
    assert job_tax_credit(30_000, 44_300, 0.32, schedule) == 3_584
    # Without a phase-out (2015's schedule) the high income keeps the whole credit.
    no_phase_out = JobTaxCredit(2.94, 0.332, 1.584, 0.111, 2.155, 0)
    assert job_tax_credit(720_000, 44_300, 0.32, no_phase_out) == 26_389
    # Never more than the municipal tax itself, never below zero.
    assert job_tax_credit(10_000, 44_300, 0.32, schedule) == 0


def test_the_job_tax_credit_moves_value_from_the_state_to_the_person_every_year() -> None:
    """In the net view the person in work gains the credit and the state bears it, each year
    with its own schedule (from 2022, where the shipped salary begins; the schedule itself goes
    back to 2015); society's total is the same with or without it, the municipality's untouched."""
    from platsa.engine.flows import NET, TaxView

    parameters = default_parameters("2380")
    without = TaxView(basic_deduction=True, income_equalisation=True)
    for year in range(2022, 2027):  # the shipped salary and social assistance begin in 2022
        on = dt.date(year, 6, 1)
        net = outcome_values(parameters=parameters, on=on, tax=NET)["employment"]
        plain = outcome_values(parameters=parameters, on=on, tax=without)["employment"]
        credit = net.actor_total("individual") - plain.actor_total("individual")
        assert credit > 1_500, year  # some 2,000–3,000 kr a month at 24,000 kr
        assert net.actor_total("state") == pytest.approx(plain.actor_total("state") - credit)
        assert net.actor_total("municipality") == pytest.approx(plain.actor_total("municipality"))
        assert sum(net.by_actor.values()) == pytest.approx(sum(plain.by_actor.values()))
        (row,) = [
            f for f in net.flows if f.flow.item == "job_tax_credit" and f.flow.actor == "state"
        ]
        (use,) = [u for u in row.trace.parameters if u.name == "job_tax_credit_monthly"]
        assert "67 kap. 7 §" in use.reference and use.value == pytest.approx(credit)
    # The schedule reaches back to 2015, a source for each dated value.
    for name in (n for n in parameters.parameters if n.startswith("job_tax_credit_")):
        values = parameters.get(name).values
        assert values[0].effective_from == dt.date(2015, 1, 1), name
        assert all(v.reference for v in values), name
    # The gross view (the report's) counts no credit.
    gross = outcome_values(parameters=parameters, on=dt.date(2023, 6, 1))["employment"]
    assert [f.monthly_sek for f in gross.flows if f.flow.item == "job_tax_credit"] == [0.0, 0.0]
