"""Every page, every role: who may see it and who must be refused.

Refusals: an anonymous visitor goes to the login page; a role without access gets 403; an
object outside the user's municipality or organisation is a 404, so its existence does not leak.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import IN_THE_YEAR, World, client_for

pytestmark = pytest.mark.django_db

PAGES = ["home", "placement_list", "agreement_list", "organisation_list"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world: World, page: str) -> None:
    response = client.get(reverse(page))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", ["placement_list", "agreement_list"])
def test_an_analyst_cannot_open_individual_rows(world: World, page: str) -> None:
    response = client_for(world.analyst).get(reverse(page))
    assert response.status_code == 403
    assert "Ingen behörighet" in response.content.decode()


def test_an_analyst_cannot_open_a_placement(world: World) -> None:
    pk = world.placement("OST-01").pk
    assert client_for(world.analyst).get(reverse("placement_detail", args=[pk])).status_code == 403


@pytest.mark.parametrize("role", ["coach", "manager", "admin"])
def test_the_municipality_s_staff_see_all_17_placements(world: World, role: str) -> None:
    response = client_for(getattr(world, role)).get(reverse("placement_list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 17
    assert "ANG-01" not in response.content.decode()


def test_a_coach_of_another_municipality_sees_none_of_ostersund(world: World) -> None:
    client = client_for(world.elsewhere_coach)
    response = client.get(reverse("placement_list"))
    assert [r.placement.participant.code for r in response.context["rows"]] == ["ANG-01"]
    assert (
        client.get(reverse("placement_detail", args=[world.placement("OST-01").pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("organisation_detail", args=[world.org("Röda Korset").pk])).status_code
        == 404
    )
    agreement = world.org("Röda Korset").agreements.get()
    assert client.get(reverse("agreement_detail", args=[agreement.pk])).status_code == 404


def test_ostersund_s_coach_cannot_open_another_municipality_s_rows(world: World) -> None:
    client = client_for(world.coach)
    assert (
        client.get(reverse("placement_detail", args=[world.elsewhere_placement.pk])).status_code
        == 404
    )
    other = world.elsewhere_organisation
    assert client.get(reverse("organisation_detail", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("agreement_detail", args=[other.agreements.get().pk])).status_code == 404
    )


def test_a_supervisor_lists_only_their_own_organisation(world: World) -> None:
    response = client_for(world.supervisor_rk).get(reverse("placement_list"))
    names = {r.placement.organisation.name for r in response.context["rows"]}
    assert names == {"Röda Korset"} and len(response.context["rows"]) == 3
    orgs = (
        client_for(world.supervisor_rk).get(reverse("organisation_list")).context["organisations"]
    )
    assert [o.name for o in orgs] == ["Röda Korset"]


def test_a_supervisor_cannot_open_another_organisation_s_placement(world: World) -> None:
    client = client_for(world.supervisor_rk)
    hej = world.placement("OST-06")  # ongoing at Hej Främling
    assert client.get(reverse("placement_detail", args=[hej.pk])).status_code == 404
    agreement = world.org("Hej Främling").agreements.get()
    assert client.get(reverse("agreement_detail", args=[agreement.pk])).status_code == 404
    assert (
        client.get(reverse("organisation_detail", args=[world.org("Hej Främling").pk])).status_code
        == 404
    )


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_supervisor_opens_a_current_placement_but_not_an_ended_one(world: World) -> None:
    client = client_for(world.supervisor_rk)
    current = world.placement("OST-17")  # 2023-04-11 – 2023-08-31
    ended = world.placement("OST-15")  # 2022-09-14 – 2023-03-22
    response = client.get(reverse("placement_detail", args=[current.pk]))
    assert response.status_code == 200 and response.context["can_see_plan"]
    assert not response.context["can_see_profile"]
    assert client.get(reverse("placement_detail", args=[ended.pk])).status_code == 404
    listed = client.get(reverse("placement_list")).context["rows"]
    assert {r.placement.participant.code: r.can_open for r in listed} == {
        "OST-15": False,
        "OST-16": False,
        "OST-17": True,
    }


def test_a_manager_sees_a_placement_without_the_plan_or_the_profile(world: World) -> None:
    response = client_for(world.manager).get(
        reverse("placement_detail", args=[world.placement("OST-02").pk])
    )
    assert response.status_code == 200
    assert not response.context["can_see_plan"] and not response.context["can_see_profile"]
    assert "Beställningen (planen)" not in response.content.decode()


def test_a_coach_sees_the_plan_and_the_profile(world: World) -> None:
    response = client_for(world.coach).get(
        reverse("placement_detail", args=[world.placement("OST-02").pk])
    )
    assert response.context["can_see_plan"] and response.context["can_see_profile"]
    assert "Beställningen (planen)" in response.content.decode()


def test_a_user_without_a_municipality_sees_no_municipality_s_data(
    world: World, django_user_model
) -> None:
    operator = django_user_model.objects.create_superuser("operator", password="pw")
    client = client_for(operator)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("placement_list")).status_code == 403
    assert (
        client.get(reverse("placement_detail", args=[world.placement("OST-01").pk])).status_code
        == 403
    )
