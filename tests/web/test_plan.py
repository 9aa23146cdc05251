"""The order (plan) with its scope steps, the participant's profile and the place finder."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from platsa.placements.models import ScopeStep
from platsa.procurement.models import Place, WorkType
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.datetime(2023, 5, 10, 12, tzinfo=dt.UTC)


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_coach_writes_the_order_and_steps_up_the_scope(world: World) -> None:
    placement = world.placement("OST-06")
    url = reverse("plan_edit", args=[placement.pk])
    client = client_for(world.coach)
    client.post(
        url,
        {
            "save_plan": "1",
            "goals": "Rutiner och kassan",
            "planned_months": "6",
            "review_date": "2023-06-01",
            "planned_end": "",
        },
    )
    placement.refresh_from_db()
    assert (placement.goals, placement.planned_months, placement.review_date) == (
        "Rutiner och kassan",
        6,
        dt.date(2023, 6, 1),
    )
    client.post(
        url, {"add_step": "1", "valid_from": "2023-02-13", "percent": "25", "hours_per_day": "2"}
    )
    client.post(
        url, {"add_step": "1", "valid_from": "2023-04-01", "percent": "50", "days_per_week": "5"}
    )
    steps = list(ScopeStep.objects.filter(placement=placement).values_list("valid_from", "percent"))
    assert steps == [(dt.date(2023, 2, 13), 25), (dt.date(2023, 4, 1), 50)]
    # The supervisor sees the order, scope included: supervision needs it.
    page = (
        client_for(world.supervisor_hf)
        .get(reverse("placement_detail", args=[placement.pk]))
        .content.decode()
    )
    assert "Rutiner och kassan" in page and "Från 2023-04-01:" in page


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_scope_step_is_checked(world: World) -> None:
    placement = world.placement("OST-06")
    url = reverse("plan_edit", args=[placement.pk])
    response = client_for(world.coach).post(
        url, {"add_step": "1", "valid_from": "2023-01-01", "percent": "25"}
    )
    assert "Ett steg kan inte börja före placeringen." in response.content.decode()
    response = client_for(world.coach).post(url, {"add_step": "1", "valid_from": "2023-03-01"})
    assert "Ange timmar per dag, dagar per vecka eller en procentsats." in response.content.decode()
    response = client_for(world.coach).post(
        url, {"add_step": "1", "valid_from": "2023-03-01", "hours_per_day": "25"}
    )
    assert response.context["step_form"].errors["hours_per_day"]
    assert not ScopeStep.objects.exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_only_the_coach_edits_the_order_and_the_profile(world: World) -> None:
    placement = world.placement("OST-06")
    for user in (world.supervisor_hf, world.manager, world.analyst):
        assert client_for(user).get(reverse("plan_edit", args=[placement.pk])).status_code == 403
        assert (
            client_for(user)
            .get(reverse("participant_profile", args=[placement.participant_id]))
            .status_code
            == 403
        )
        assert (
            client_for(user)
            .get(reverse("place_finder", args=[placement.participant_id]))
            .status_code
            == 403
        )
    other = client_for(world.elsewhere_coach)
    assert other.get(reverse("plan_edit", args=[placement.pk])).status_code == 404
    assert (
        other.get(reverse("participant_profile", args=[placement.participant_id])).status_code
        == 404
    )
    assert other.get(reverse("place_finder", args=[placement.participant_id])).status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_place_finder_ranks_free_places_and_says_why(world: World) -> None:
    participant = world.placement("OST-06").participant
    second_hand, cafe = WorkType.objects.get(code="second-hand"), WorkType.objects.get(code="cafe")
    client_for(world.coach).post(
        reverse("participant_profile", args=[participant.pk]),
        {
            "interests": [cafe.pk],
            "excluded_work_types": [second_hand.pk],
            "setting": "indoor",
            "max_physical_demand": "",
            "gender": "",
            "birth_year": "",
        },
    )
    Place.objects.filter(agreement__organisation__name="Röda Korset").update(public_transport=True)
    response = client_for(world.coach).get(reverse("place_finder", args=[participant.pk]))
    suggestions = response.context["suggestions"]
    first = suggestions[0]
    assert first.match.suitable
    # Robin Hood and PMU run cafés as well as second-hand shops: their places' own work type is
    # not recorded, so they are kept, with the café counted as an interest and the caveat said.
    assert first.place.agreement.organisation.name in {"Robin Hood", "PMU (Pingstkyrkan)"}
    assert {"interest", "setting", "free_now", "work_type_unknown"} <= set(first.match.reasons)
    by_org = {}
    for s in suggestions:
        by_org.setdefault(s.place.agreement.organisation.name, s.match)
    assert "excluded_work_type" in by_org["Röda Korset"].ruled_out  # second hand only
    assert "full" in by_org["Hej Främling"].ruled_out  # 3 of 3 places taken on 2023-05-10
    assert "setting" in by_org["A-lagets Allservice"].ruled_out  # outdoor services
    page = response.content.decode()
    assert (
        "En arbetsuppgift som deltagaren inte vill göra" in page and "En plats är ledig nu" in page
    )
