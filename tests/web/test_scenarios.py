"""SROI scenarios on recorded data: computed, saved, reproduced, and refused to the wrong people."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from platsa.engine import ENGINE_VERSION
from platsa.engine.parameters import default_parameters
from platsa.impact.models import Scenario
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
SROI_LABEL = "SROI (kronor tillbaka per krona)"
REPORT_YEAR = {"start": "2022-09-01", "end": "2023-08-31"}


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        **REPORT_YEAR,
        "duration_low": 1,
        "duration_years": 3,
        "duration_high": 6,
        "salary_spread": 15,
        "rank_correlation": 0,
        "discount_rate": "3.5",
        "seed": 1,
        "simulations": 2000,
        "name": "",
        "note": "",
    }
    for share, likely, high in (
        ("deadweight", 20, 50),
        ("attribution", 10, 30),
        ("displacement", 5, 20),
        ("drop_off", 20, 50),
    ):
        data |= {f"{share}_low": 0, f"{share}_likely": likely, f"{share}_high": high}
    return data | changes


@time_machine.travel(TODAY, tick=False)
def test_the_default_period_is_the_report_year_and_the_figures_are_the_records(
    world: World,
) -> None:
    context = client_for(world.manager).get(reverse("scenarios")).context
    recorded = context["recorded"]
    assert (recorded.period_start, recorded.period_end) == (
        dt.date(2022, 9, 1),
        dt.date(2023, 8, 31),
    )
    assert recorded.placements == 17 and recorded.exits == {"employment": 2, "studies": 1}
    assert recorded.investment_sek == 864_000
    # At the chosen values: every actor's monthly value × 12 × 2 in work, reduced by the most
    # likely shares, over 3 years at 3.5 % with 20 % fading a year; studies net to 0 for society.
    per_year = 2 * 12 * sum(recorded.monthly_value["employment"].values())
    studies = 12 * sum(recorded.monthly_value["studies"].values())
    kept = (1 - 0.2) * (1 - 0.1) * (1 - 0.05)
    factor = sum(0.8 ** (n - 1) / 1.035**n for n in (1, 2, 3))
    society = context["r"]["views"]["society"]
    assert society["at_chosen"]["sroi"] == pytest.approx(
        (per_year + studies) * kept * factor / 864_000
    )
    # The headline is the median, inside its band, and the municipality's is its own.
    for view in context["r"]["views"].values():
        band = view["sroi"]
        assert band["p5"] <= band["p50"] <= band["p95"]
    municipality = context["r"]["views"]["municipality"]
    assert municipality["sroi"]["p50"] < society["sroi"]["p50"]
    text = client_for(world.manager).get(reverse("scenarios")).content.decode()
    assert "Kommunens budget" in text and "Samhället" in text


@time_machine.travel(TODAY, tick=False)
def test_a_saved_scenario_keeps_what_reproduces_it(world: World) -> None:
    client = client_for(world.analyst)
    response = client.post(
        reverse("scenarios"), _form(name="Försiktig", deadweight_likely=20, seed=7)
    )
    scenario = Scenario.objects.get(name="Försiktig")
    assert response.url == reverse("scenario_detail", args=[scenario.pk])
    assert scenario.assumptions["seed"] == 7 and scenario.assumptions["deadweight"][1] == 0.2
    assert scenario.engine_version == ENGINE_VERSION
    assert scenario.parameters_digest == default_parameters("2380").digest()
    assert scenario.recorded["exits"] == {"employment": 2, "studies": 1}
    page = client.get(response.url)
    assert page.context["reproduced"] is True
    listed = client.get(reverse("scenarios"))  # the list shows both views' medians
    assert listed.status_code == 200 and "Försiktig" in listed.content.decode()
    assert "exakt de sparade siffrorna" in page.content.decode()
    # Figures that no longer come out the same are said to differ (here: tampered with).
    scenario.results["views"]["society"]["sroi"]["p50"] += 0.01
    scenario.save()
    page = client.get(response.url)
    assert page.context["reproduced"] is False and "andra siffror" in page.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_salary_assumption_changes_the_parameter_set_digest(world: World) -> None:
    client_for(world.manager).post(
        reverse("scenarios"), _form(name="Högre lön", monthly_salary_sek=26000)
    )
    scenario = Scenario.objects.get(name="Högre lön")
    assert scenario.recorded["salary_sek"] == 26000
    assert scenario.parameters_digest != default_parameters("2380").digest()


@time_machine.travel(TODAY, tick=False)
def test_bad_assumptions_name_the_field_and_save_nothing(world: World) -> None:
    response = client_for(world.manager).post(
        reverse("scenarios"), _form(name="Fel", deadweight_low=40, deadweight_likely=10)
    )
    page = response.content.decode()
    assert response.status_code == 200 and "i den ordningen" in page
    assert "dödvikt" in page.lower() and not Scenario.objects.exists()
    response = client_for(world.manager).post(reverse("scenarios"), _form())
    assert "Ge scenariot ett namn" in response.content.decode() and not Scenario.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_who_may_see_and_save_scenarios(world: World) -> None:
    assert client_for(world.supervisor_rk).get(reverse("scenarios")).status_code == 403
    coach = client_for(world.coach)
    assert coach.get(reverse("scenarios")).status_code == 200
    assert coach.post(reverse("scenarios"), _form(name="Coach")).status_code == 403
    client_for(world.manager).post(reverse("scenarios"), _form(name="Östersunds"))
    scenario = Scenario.objects.get()
    outsider = client_for(world.elsewhere_admin)
    assert outsider.get(reverse("scenario_detail", args=[scenario.pk])).status_code == 404
    assert outsider.get(reverse("scenarios")).context["saved"] == []


@time_machine.travel(TODAY, tick=False)
def test_an_agreement_year_link_keeps_the_default_assumptions(world: World) -> None:
    context = (
        client_for(world.manager)
        .get(reverse("scenarios"), {"start": "2023-09-01", "end": "2024-08-31"})
        .context
    )
    assert not context["form"].errors
    assert context["recorded"].period_start == dt.date(2023, 9, 1)
    assert context["form"].assumptions().duration_years == 3


@time_machine.travel(TODAY, tick=False)
def test_the_analyst_sees_no_sroi_built_on_a_hidden_count(world: World) -> None:
    """2 in work and 1 in studies: SROI × cost gives the value, value ÷ a month's value gives
    the count. The analyst is told why; the manager sees the figures."""
    analyst = client_for(world.analyst)
    page = analyst.get(reverse("scenarios"), _form())
    html = page.content.decode()
    assert page.context["outcomes_hidden"] is True
    assert "Värdet visas inte för dig för den här perioden" in html
    assert SROI_LABEL not in html
    client_for(world.manager).post(reverse("scenarios"), _form(name="Chefens"))
    scenario = Scenario.objects.get()
    listed = analyst.get(reverse("scenarios")).content.decode()
    row = listed.split("Chefens")[1].split("</tr>")[0]
    assert "dolt" in row
    detail = analyst.get(reverse("scenario_detail", args=[scenario.pk])).content.decode()
    assert "Värdet visas inte för dig" in detail
    manager = client_for(world.manager).get(reverse("scenario_detail", args=[scenario.pk]))
    assert manager.context["outcomes_hidden"] is False and manager.context["r"]
    assert SROI_LABEL in manager.content.decode() and SROI_LABEL not in detail
