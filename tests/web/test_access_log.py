"""The access log: each opening of a participant's record is written, and only an administrator
of the same municipality can review it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from platsa.placements.models import AccessKind, ParticipantAccess
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_opening_the_journey_finder_and_placement_each_write_one_line(world: World) -> None:
    placement = world.placement("OST-01")
    participant = placement.participant
    client = client_for(world.coach)
    assert client.get(reverse("participant_timeline", args=[participant.pk])).status_code == 200
    assert client.get(reverse("place_finder", args=[participant.pk])).status_code == 200
    assert client.get(reverse("placement_detail", args=[placement.pk])).status_code == 200
    assert client.get(reverse("participant_profile", args=[participant.pk])).status_code == 200
    lines = list(ParticipantAccess.objects.order_by("pk"))
    assert [(a.user, a.participant, a.kind, a.changed) for a in lines] == [
        (world.coach, participant, AccessKind.TIMELINE, False),
        (world.coach, participant, AccessKind.FINDER, False),
        (world.coach, participant, AccessKind.PLACEMENT, False),
        (world.coach, participant, AccessKind.PROFILE, False),
    ]
    assert all(a.municipality_id == world.coach.municipality_id for a in lines)


def test_saving_the_profile_is_logged_as_a_change(world: World) -> None:
    participant = world.placement("OST-01").participant
    response = client_for(world.coach).post(
        reverse("participant_profile", args=[participant.pk]),
        {"setting": "indoor", "max_physical_demand": "", "gender": "", "birth_year": ""},
    )
    assert response.status_code == 302
    assert ParticipantAccess.objects.filter(
        participant=participant, kind=AccessKind.PROFILE, changed=True
    ).exists()


def test_a_refused_opening_writes_nothing(world: World) -> None:
    participant = world.placement("OST-01").participant
    assert (
        client_for(world.elsewhere_coach)
        .get(reverse("participant_timeline", args=[participant.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world.manager)
        .get(reverse("participant_timeline", args=[participant.pk]))
        .status_code
        == 403
    )
    assert not ParticipantAccess.objects.exists()


def test_the_administrator_reviews_and_searches_the_log(world: World) -> None:
    one, two = world.placement("OST-01").participant, world.placement("OST-02").participant
    coach = client_for(world.coach)
    coach.get(reverse("participant_timeline", args=[one.pk]))
    coach.get(reverse("participant_timeline", args=[two.pk]))
    client_for(world.supervisor_rk).get(reverse("placement_detail", args=[1]))  # whatever it is
    admin = client_for(world.admin)
    page = admin.get(reverse("access_log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Åtkomstlogg" in html and one.code in html and two.code in html
    assert world.coach.username in html
    narrowed = admin.get(reverse("access_log"), {"participant_code": one.code})
    assert [a.participant for a in narrowed.context["rows"]] == [one]
    by_user = admin.get(reverse("access_log"), {"username": world.coach.username})
    assert {a.user for a in by_user.context["rows"]} == {world.coach}


def test_a_bad_search_is_named_and_shows_nothing(world: World) -> None:
    response = client_for(world.admin).get(
        reverse("access_log"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "Till" in response.content.decode()
    assert response.context["rows"] == []


@pytest.mark.parametrize("role", ["coach", "manager", "analyst", "supervisor_rk"])
def test_other_roles_are_refused_the_log(world: World, role: str) -> None:
    response = client_for(getattr(world, role)).get(reverse("access_log"))
    assert response.status_code == 403


def test_an_administrator_of_another_municipality_sees_none_of_it(world: World) -> None:
    participant = world.placement("OST-01").participant
    client_for(world.coach).get(reverse("participant_timeline", args=[participant.pk]))
    response = client_for(world.elsewhere_admin).get(reverse("access_log"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert participant.code not in response.content.decode()
