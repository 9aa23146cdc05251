"""Login throttling: after ten wrong passwords the account (or address) waits, whatever comes next."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import World

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(world: World) -> None:
    world.coach.set_password("rätt-lösenord-42")
    world.coach.save()
    client = Client()
    with time_machine.travel(NOW, tick=False):
        for _ in range(30):
            client.post(reverse("login"), {"login": "coach", "password": "fel"})
        response = client.post(reverse("login"), {"login": "coach", "password": "rätt-lösenord-42"})
        assert response.status_code == 429
        assert "Inloggningen är spärrad en stund" in response.content.decode()
        assert "_auth_user_id" not in client.session
        # Another address is locked out of the same account too.
        other = Client(REMOTE_ADDR="10.9.9.9")
        assert (
            other.post(
                reverse("login"), {"login": "coach", "password": "rätt-lösenord-42"}
            ).status_code
            == 429
        )
    # After the cool-off the right password works again.
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        response = client.post(reverse("login"), {"login": "coach", "password": "rätt-lösenord-42"})
        assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_few_mistakes_do_not_lock_anyone_out(world: World) -> None:
    world.coach.set_password("rätt-lösenord-42")
    world.coach.save()
    client = Client()
    for _ in range(3):
        client.post(reverse("login"), {"login": "coach", "password": "fel"})
    response = client.post(reverse("login"), {"login": "coach", "password": "rätt-lösenord-42"})
    assert response.status_code == 302
