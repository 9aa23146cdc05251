"""The need for places: the page for the buyers, and ``platsa need`` on the Östersund year."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
YEAR = {"start": "2022-09-01", "end": "2023-08-31"}


@time_machine.travel(TODAY, tick=False)
def test_the_command_gives_places_in_use_and_places_needed_with_a_band(world: World) -> None:
    out = io.StringIO()
    call_command(
        "need",
        "--municipality",
        "2380",
        "--from",
        "2022-09-01",
        "--to",
        "2023-08-31",
        "--simulations",
        "100",
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    # 46 % of the 12 places were used over the agreement year (Table 5, report §5.3).
    assert result["average_places_in_use"] == pytest.approx(0.4623 * 12, abs=0.02)
    assert result["places_bought"] == pytest.approx(12.0)
    assert result["missing"] == []
    lo, hi = result["recommended_band"]
    assert lo <= result["recommended_places"] <= hi
    # Little's law agrees with what was recorded, within the noise of one year.
    assert result["littles_law_places"] == pytest.approx(result["average_places_in_use"], rel=0.3)
    assert result["inputs"]["direct_placements"] == 16  # no referrals were recorded in the case
    again = io.StringIO()
    call_command(
        "need",
        "--municipality",
        "2380",
        "--from",
        "2022-09-01",
        "--to",
        "2023-08-31",
        "--simulations",
        "100",
        "--json",
        stdout=again,
    )
    assert json.loads(again.getvalue()) == result  # seeded
    # The payment models on the simulated demand, for the recommended places.
    models = {m["model"]: m for m in result["payment_models"]}
    n = result["recommended_places"]
    assert models["fixed_per_place_month"]["cost_a_year_sek"] == pytest.approx(n * 6000 * 12)
    assert models["per_attended_day"]["cost_a_year_sek"] < n * 6000 * 12
    assert all(m["places"] == n for m in models.values())
    # By work type: the case records none for its places, so every placement says so.
    assert result["by_work_type"][-1]["name"] is None
    assert result["by_work_type"][-1]["placements"] == 17


@time_machine.travel(TODAY, tick=False)
def test_too_short_a_history_says_what_is_missing(world: World) -> None:
    out = io.StringIO()
    call_command(
        "need", "--municipality", "2380", "--from", "2023-01-01", "--to", "2023-03-31", stdout=out
    )
    text = out.getvalue()
    assert "minst 6 månader" in text and "platser behövs" not in text


@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_the_trade_off_to_the_buyers_only(world: World) -> None:
    page = client_for(world.manager).get(
        reverse("need"),
        {**YEAR, "target_wait_days": "14", "target_share": "90", "target_utilisation": "80"},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Platser i bruk i genomsnitt (registrerat)" in text and "Littles lag" in text
    assert "köpt nu" in text  # the row of the places bought today
    assert "Betalningsmodellerna på den simulerade efterfrågan" in text
    assert "Per arbetstyp" in text and "Arbetstyp inte registrerad" in text
    bad = client_for(world.manager).get(reverse("need"), {**YEAR, "target_share": "0"})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    for user in (world.analyst, world.coach, world.supervisor_rk, world.reviewer):
        assert client_for(user).get(reverse("need")).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_recorded_scope_sets_what_the_per_use_models_pay(world: World) -> None:
    from platsa.placements.models import ScopeStep

    for code in ("OST-01", "OST-02"):
        placement = world.placement(code)
        ScopeStep.objects.create(
            placement=placement, valid_from=placement.start_date, days_per_week=3
        )
    out = io.StringIO()
    call_command(
        "need",
        "--municipality",
        "2380",
        "--from",
        "2022-09-01",
        "--to",
        "2023-08-31",
        "--simulations",
        "50",
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["inputs"]["scope_recorded"] == 2
    assert result["inputs"]["mean_days_per_week"] == pytest.approx(3.0)
    weekday = next(m for m in result["payment_models"] if m["model"] == "per_weekday")
    assert weekday["cost_a_year_sek"] == pytest.approx(
        weekday["average_places_in_use"] * 3 * 1000 * 12, rel=1e-3
    )
    query = {**YEAR, "target_wait_days": "14", "target_share": "90", "target_utilisation": "80"}
    page = client_for(world.manager).get(reverse("need"), query).content.decode()
    assert "Omfattning registrerad för 2 av 17 placeringar" in page
    assert "3,0 dagar i veckan enligt den registrerade omfattningen" in page


def test_need_by_work_type_counts_the_places_described_in_agreements_in_force(world: World) -> None:
    from platsa.occupancy.need import need_by_work_type
    from platsa.procurement.models import Place, WorkType

    cafe = WorkType.objects.get(code="cafe")
    Place.objects.filter(agreement__organisation=world.org("Hej Främling")).update(work_type=cafe)
    rows = {
        r.name: r
        for r in need_by_work_type(
            world.ostersund.pk,
            start=dt.date(2022, 9, 1),
            end=dt.date(2023, 8, 31),
            today=dt.date(2023, 8, 31),
        )
    }
    assert rows["Café"].places_described == 3  # Hej Främling's three places
    assert rows[None].places_described == 12 - 3  # the rest of the 12 are not described
    assert rows[None].placements == 17
