"""Full costs: the municipality's staff, the state's wage subsidies, the organisations' inputs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from platsa.impact.models import FullCosts
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
YEAR = {"start": "2022-09-01", "end": "2023-08-31"}
ENTRY = {
    "coach_hours_per_placement": "20",
    "coach_hour_cost_sek": "650",
    "staff_source": "AME:s tidsredovisning 2023",
    "wage_subsidy_share": "0.5",
    "wage_subsidy_per_month_sek": "12000",
    "wage_subsidy_months": "12",
    "subsidy_source": "Arbetsförmedlingens beslut",
    "organisation_inputs_per_place_month_sek": "1000",
    "organisation_source": "Anordnarnas uppgifter 2023",
}


@time_machine.travel(TODAY, tick=False)
def test_entered_costs_are_stored_shown_and_counted_per_actor(world: World) -> None:
    manager = client_for(world.manager)
    before = manager.get(reverse("scenarios"), YEAR).context
    assert (
        "Bara köpet av platserna räknas" in manager.get(reverse("scenarios"), YEAR).content.decode()
    )
    response = manager.post(reverse("full_costs"), ENTRY)
    assert response.status_code == 302
    entered = FullCosts.objects.get(municipality=world.ostersund)
    assert (
        entered.coach_hours_per_placement,
        entered.coach_hour_cost_sek,
        entered.staff_source,
        entered.wage_subsidy_share,
        entered.wage_subsidy_per_month_sek,
        entered.wage_subsidy_months,
        entered.subsidy_source,
        entered.organisation_inputs_per_place_month_sek,
        entered.organisation_source,
        entered.updated_by,
    ) == (
        20,
        650,
        "AME:s tidsredovisning 2023",
        0.5,
        12000,
        12,
        "Arbetsförmedlingens beslut",
        1000,
        "Anordnarnas uppgifter 2023",
        world.manager,
    )
    scenarios_page = manager.get(reverse("scenarios"), YEAR).content.decode()
    assert "avtal och beläggning" in scenarios_page
    assert "agreements and occupancy" not in scenarios_page
    page = manager.get(reverse("full_costs")).content.decode()
    for shown in (
        "AME:s tidsredovisning 2023",
        "Arbetsförmedlingens beslut",
        "Anordnarnas uppgifter 2023",
    ):
        assert shown in page
    after = manager.get(reverse("scenarios"), YEAR).context
    recorded = after["recorded"]
    # 17 placements × 20 h × 650 kr; 2 in work × 50 % × 12,000 × 12; 144 place-months × 1,000.
    assert recorded.costs == pytest.approx(
        {
            "municipality": 864_000 + 17 * 20 * 650,
            "state": 2 * 0.5 * 12_000 * 12,
            "organisations": 144_000,
        }
    )
    views = after["r"]["views"]
    assert views["municipality"]["cost_sek"] == pytest.approx(864_000 + 221_000)
    assert views["society"]["cost_sek"] == pytest.approx(864_000 + 221_000 + 144_000 + 144_000)
    # Each actor's net present value is its present value less the cost it bears.
    for actor, cost in recorded.costs.items():
        pv = views["society"]["present_value_by_actor"][actor]["p50"]
        npv = views["society"]["npv_by_actor"][actor]["p50"]
        assert npv == pytest.approx(pv - cost)
    # More cost counted: lower SROI in both views.
    for name in ("municipality", "society"):
        assert views[name]["sroi"]["p50"] < before["r"]["views"][name]["sroi"]["p50"]
    assert (
        "Bara köpet av platserna räknas"
        not in manager.get(reverse("scenarios"), YEAR).content.decode()
    )


@time_machine.travel(TODAY, tick=False)
def test_full_costs_need_a_source_and_are_refused_to_other_roles(world: World) -> None:
    manager = client_for(world.manager)
    response = manager.post(
        reverse("full_costs"), {"coach_hours_per_placement": "20", "coach_hour_cost_sek": "650"}
    )
    assert "Ange varifrån siffrorna kommer." in response.content.decode()
    assert not FullCosts.objects.exists()
    response = manager.post(
        reverse("full_costs"), {"coach_hours_per_placement": "20", "staff_source": "x"}
    )
    assert "Ange både timmarna och kostnaden per timme." in response.content.decode()
    assert not FullCosts.objects.exists()
    assert client_for(world.analyst).get(reverse("full_costs")).status_code == 200
    assert client_for(world.analyst).post(reverse("full_costs"), ENTRY).status_code == 403
    assert client_for(world.coach).post(reverse("full_costs"), ENTRY).status_code == 403
    assert client_for(world.supervisor_rk).get(reverse("full_costs")).status_code == 403
    client_for(world.elsewhere_admin).post(reverse("full_costs"), ENTRY)
    assert FullCosts.objects.get().municipality == world.elsewhere
    assert "Inget är angivet" in manager.get(reverse("full_costs")).content.decode()
