"""Procured places against places run in-house and other measures, on the recorded history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from platsa.impact.models import Alternative
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
IN_HOUSE = {
    "kind": "in_house",
    "name": "Egen verksamhet",
    "places": 10,
    "staff_fte": "2",
    "staff_cost_per_fte_month_sek": 50000,
    "premises_per_year_sek": 240000,
    "materials_per_year_sek": 60000,
    "source": "Budget 2023, arbetsmarknadsenheten",
}


@time_machine.travel(TODAY, tick=False)
def test_in_house_places_are_set_against_the_same_volume(world: World) -> None:
    client = client_for(world.manager)
    assert client.post(reverse("alternatives"), IN_HOUSE).status_code == 302
    client.post(
        reverse("alternatives"),
        {
            "kind": "other_measure",
            "name": "Annan insats",
            "cost_per_place_month_sek": 5000,
            "share_to_work": "0.25",
            "source": "Offert",
        },
    )
    comparison = client.get(
        reverse("alternatives"), {"start": "2022-09-01", "end": "2023-08-31"}
    ).context["comparison"]
    assert comparison.place_months == pytest.approx(144)
    (procured, _), (own, alternative), (other, _) = comparison.rows
    assert procured.cost_sek == pytest.approx(864_000)
    assert alternative.name == "Egen verksamhet"
    # (2 × 50,000 × 12 + 240,000 + 60,000) / (10 × 12) = 12,500 a place-month; × 144 place-months.
    assert own.cost_per_place_month_sek == 12_500 and own.cost_sek == pytest.approx(1_800_000)
    assert own.difference_sek == pytest.approx(936_000)
    assert other.difference_sek == pytest.approx(5000 * 144 - 864_000)
    # Used place-months carry the recorded utilisation (46 % of the year).
    assert procured.cost_per_occupied_month_sek == pytest.approx(
        864_000 / comparison.occupied_place_months
    )
    assert comparison.utilisation == pytest.approx(0.4623, abs=1e-3)
    # Per person in work: 864,000 / 2 recorded; in-house would have needed 1,800,000 / 432,000
    # = 4.17 of the 17 placed in work (24.5 %) to do as well; the other measure 1.67 (9.8 %).
    assert procured.share_to_work == pytest.approx(2 / 17)
    assert procured.cost_per_exit_to_work_sek == pytest.approx(432_000)
    assert own.break_even_share_to_work == pytest.approx(1_800_000 / 432_000 / 17)
    assert own.cost_per_exit_to_work_sek is None  # its share to work was not entered
    assert other.share_to_work == pytest.approx(0.25)
    assert other.cost_per_exit_to_work_sek == pytest.approx(5000 * 144 / (17 * 0.25))
    assert set(comparison.payment_models) >= {"fixed_per_place_month"}


@time_machine.travel(TODAY, tick=False)
def test_an_incomplete_in_house_model_names_what_is_missing(world: World) -> None:
    response = client_for(world.manager).post(reverse("alternatives"), {**IN_HOUSE, "places": ""})
    page = response.content.decode()
    assert "Behövs för platser i egen regi" in page and not Alternative.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_who_may_see_and_enter_alternatives(world: World) -> None:
    assert client_for(world.supervisor_rk).get(reverse("alternatives")).status_code == 403
    analyst = client_for(world.analyst)
    assert analyst.get(reverse("alternatives")).context["form"] is None
    assert analyst.post(reverse("alternatives"), IN_HOUSE).status_code == 403
    client_for(world.manager).post(reverse("alternatives"), IN_HOUSE)
    outsider = client_for(world.elsewhere_admin).get(reverse("alternatives"))
    assert outsider.status_code == 200 and "Egen verksamhet" not in outsider.content.decode()


def test_the_value_pages_share_one_menu_entry_and_a_menu_of_their_own(world: World) -> None:
    page = client_for(world.manager).get(reverse("alternatives")).content.decode()
    assert f'<a href="{reverse("value")}" aria-current="true">Värde</a>' in page
    assert f'<a href="{reverse("alternatives")}" aria-current="page">Alternativ</a>' in page
    assert f'href="{reverse("report")}"' in page and f'href="{reverse("scenarios")}"' in page
    supervisor = client_for(world.supervisor_rk).get(reverse("home")).content.decode()
    assert f'href="{reverse("value")}"' not in supervisor


@time_machine.travel(TODAY, tick=False)
def test_the_analyst_does_not_see_the_procured_share_or_cost_per_person_in_work(
    world: World,
) -> None:
    """2 of 17 in work: 11,8 % and 432 000 kr per person in work would give the 2 away."""
    client_for(world.manager).post(reverse("alternatives"), IN_HOUSE)
    period = {"start": "2022-09-01", "end": "2023-08-31"}
    analyst = client_for(world.analyst).get(reverse("alternatives"), period)
    html = analyst.content.decode().replace("\u00a0", " ")
    assert analyst.context["outcomes_hidden"] is True
    row = html.split("Upphandlade platser (registrerat)")[1].split("</tr>")[0]
    assert "11,8" not in row and "432 000" not in row and row.count("dolt") == 2
    assert "864 000 kr" in row  # what the places cost rests on no outcome
    manager = client_for(world.manager).get(reverse("alternatives"), period)
    assert manager.context["outcomes_hidden"] is False
    assert "432 000" in manager.content.decode().replace("\u00a0", " ")
