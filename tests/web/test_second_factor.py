"""A second factor for everyone: nothing but setting one up is reachable on a password alone;
a later login asks for the code; a session that skipped it is sent back to the login; the
admin logs in the same way; a password reset says the same whether the address is known."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from platsa.placements.models import ParticipantAccess
from tests.conftest import World, client_for
from tests.second_factor import sign_in, sign_in_and_set_up, totp

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
PASSWORD = "ett-långt-lösenord-42"


@pytest.fixture
def coach(world: World) -> World:
    world.coach.set_password(PASSWORD)
    world.coach.save()
    return world


def test_a_password_alone_reaches_nothing_but_setting_up_a_second_factor(coach: World) -> None:
    client = Client()
    response = client.post(reverse("login"), {"login": "coach", "password": PASSWORD})
    assert response.status_code == 302
    placement = coach.placement("OST-01")
    for url in (
        reverse("home"),
        reverse("placement_list"),
        reverse("placement_detail", args=[placement.pk]),
        reverse("participant_timeline", args=[placement.participant_id]),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    assert not ParticipantAccess.objects.exists()
    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert page.status_code == 200 and "Aktivera autentiseringsapp" in html
    assert "Ställ in en andra faktor" in html  # why the user is here, in Swedish
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and client.get(reverse("home")).status_code == 302
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("placement_detail", args=[placement.pk])).status_code == 200


def test_a_later_login_asks_for_the_code(coach: World) -> None:
    with time_machine.travel(NOW, tick=False):
        secret = sign_in_and_set_up(Client(), "coach", PASSWORD)
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        client = Client()
        response = client.post(reverse("login"), {"login": "coach", "password": PASSWORD})
        assert response["Location"] == reverse("mfa_authenticate")
        # Not signed in until the code is given.
        home = client.get(reverse("home"))
        assert home.status_code == 302 and home["Location"].startswith(reverse("login"))
        refused = client.post(reverse("mfa_authenticate"), {"code": "123456"})
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
        client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
        assert client.get(reverse("home")).status_code == 200


def test_a_session_that_skipped_the_factor_is_sent_back_to_the_login(coach: World) -> None:
    with time_machine.travel(NOW, tick=False):
        sign_in_and_set_up(Client(), "coach", PASSWORD)
        skipped = Client()
        skipped.force_login(coach.coach)  # as a login that did not pass allauth's stages would
        response = skipped.get(reverse("placement_list"))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={reverse('placement_list')}"
        assert "_auth_user_id" not in skipped.session


def test_the_admin_logs_in_through_the_same_page(world: World) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["supervisor_rk", "manager", "analyst", "admin", "reviewer"])
def test_every_role_needs_it(world: World, role: str) -> None:
    user = getattr(world, role)
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.post(reverse("login"), {"login": user.username, "password": PASSWORD})
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    with time_machine.travel(NOW, tick=False):
        secret = sign_in_and_set_up(Client(), user.username, PASSWORD)
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        later = Client()
        sign_in(later, user.username, PASSWORD, secret)
        assert later.get(reverse("home")).status_code == 200


def test_the_demo_lets_a_password_in(coach: World, settings) -> None:
    settings.PLATSA_MFA_REQUIRED = False
    client = Client()
    client.post(reverse("login"), {"login": "coach", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200


def test_a_password_reset_says_the_same_for_a_known_and_an_unknown_address(
    coach: World,
) -> None:
    coach.coach.email = "coach@ostersund.example"
    coach.coach.save()
    pages = []
    for address in ("coach@ostersund.example", "ingen@ostersund.example"):
        response = Client().post(reverse("account_reset_password"), {"email": address})
        assert response.status_code == 302
        pages.append(Client().get(response["Location"]).content.decode())
    assert pages[0] == pages[1]
    assert [m.to for m in mail.outbox] == [["coach@ostersund.example"]]


def test_the_administrator_resets_a_lost_second_factor(coach: World) -> None:
    from allauth.mfa.models import Authenticator

    with time_machine.travel(NOW, tick=False):
        phone = Client()
        sign_in_and_set_up(phone, "coach", PASSWORD)
        assert phone.get(reverse("home")).status_code == 200
        elsewhere = coach.elsewhere_coach
        Authenticator.objects.create(user=elsewhere, type=Authenticator.Type.TOTP, data={})
        admin = client_for(coach.admin)
        change = reverse("admin:accounts_user_change", args=[coach.coach.pk])
        assert "TOTP-autentiserare" in admin.get(change).content.decode()
        response = admin.post(
            reverse("admin:accounts_user_changelist"),
            {
                "action": "reset_second_factor",
                "_selected_action": [coach.coach.pk, elsewhere.pk],  # another municipality's
            },
        )
        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=coach.coach).exists()
        assert Authenticator.objects.filter(user=elsewhere).exists()  # not theirs to reset
        # The old session is over; the next login sets up a new factor.
        assert phone.get(reverse("home")).status_code == 302
        again = Client()
        again.post(reverse("login"), {"login": "coach", "password": PASSWORD})
        assert again.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
