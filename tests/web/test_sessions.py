"""Users change their own password; a session left idle ends."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.second_factor import sign_in_and_set_up

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


def _signed_in(world: World) -> Client:
    world.coach.set_password("gammalt-lösenord-42")
    world.coach.save()
    client = Client()
    sign_in_and_set_up(client, "coach", "gammalt-lösenord-42")
    return client


def test_a_user_changes_their_own_password(world: World) -> None:
    client = _signed_in(world)
    url = reverse("password_change")
    response = client.post(
        url,
        {
            "old_password": "fel",
            "new_password1": "nytt-lösenord-77",
            "new_password2": "nytt-lösenord-77",
        },
    )
    assert response.status_code == 200 and "Lösenordet ändrades inte" in response.content.decode()
    response = client.post(
        url,
        {
            "old_password": "gammalt-lösenord-42",
            "new_password1": "nytt-lösenord-77",
            "new_password2": "nytt-lösenord-77",
        },
    )
    assert response.status_code == 302
    world.coach.refresh_from_db()
    assert world.coach.check_password("nytt-lösenord-77")
    assert Client().get(url).status_code == 302  # signed out: to the login page


def test_a_session_left_idle_for_half_an_hour_ends(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        client = _signed_in(world)
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=20), tick=False):
        assert client.get(reverse("home")).status_code == 200  # activity starts the clock again
    with time_machine.travel(NOW + dt.timedelta(minutes=45), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=80), tick=False):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and reverse("login") in response["Location"]
