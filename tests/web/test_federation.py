"""Logging in through the municipality's identity provider (OpenID Connect): a test provider is
started on a loopback port; the login maps the person to the provider's municipality and to the
role in their claim, takes the role again at each login, refuses a person without a role or of
another municipality, and counts as the second factor when the provider asks for one."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import Client
from django.urls import reverse

from platsa.accounts.models import Role, User
from platsa.oidcconfig import app_settings_for
from tests.conftest import World
from tests.oidc_idp import CLIENT_ID, CLIENT_SECRET, IdP, running_idp

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(world: World, settings) -> Iterator[IdP]:  # type: ignore[no-untyped-def]
    with running_idp() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    app_settings_for(
                        {
                            "id": "ostersund",
                            "name": "Östersunds kommun",
                            "municipality": "2380",
                            "server_url": provider.issuer,
                            "client_id": CLIENT_ID,
                            "secret": CLIENT_SECRET,
                            "second_factor": True,
                        }
                    )
                ]
            }
        }
        yield provider


def _log_in(client: Client, idp: IdP, **claims: object) -> object:
    """The browser's way: the button, the provider's page, back to platsa with a code."""
    idp.claims = {"sub": "ost-4711", **claims}
    start = client.post(reverse("openid_connect_login", args=["ostersund"]))
    assert start.status_code == 302 and start["Location"].startswith(idp.issuer), start
    at_idp = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_idp.status_code == 302
    back = urlparse(at_idp.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    return client.get(back.path, query)


def test_the_login_page_offers_the_municipality_s_login(idp: IdP) -> None:
    page = Client().get(reverse("login")).content.decode()
    assert "Logga in med Östersunds kommun" in page


def test_a_new_person_gets_the_provider_s_municipality_and_the_claimed_role(
    world: World, idp: IdP
) -> None:
    client = Client()
    response = _log_in(client, idp, preferred_username="anna-coach", platsa_role="coach")
    assert response.status_code == 302, response.content.decode()[-1500:]
    user = User.objects.get(username="anna-coach")
    assert (user.municipality, user.role) == (world.ostersund, Role.COACH)
    assert (user.first_name, user.last_name) == ("", "")
    # The provider asked for strong authentication: no second factor of platsa's own.
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("referral_queue")).status_code == 200


def test_the_role_follows_the_claim_at_every_login(world: World, idp: IdP) -> None:
    _log_in(Client(), idp, preferred_username="anna-coach", platsa_role="coach")
    client = Client()
    _log_in(client, idp, preferred_username="anna-coach", platsa_role="manager")
    user = User.objects.get(username="anna-coach")
    assert user.role == Role.MANAGER
    assert client.get(reverse("referral_queue")).status_code == 403
    assert User.objects.filter(username="anna-coach").count() == 1


def test_an_account_the_administrator_made_is_linked_by_username(world: World, idp: IdP) -> None:
    client = Client()
    _log_in(client, idp, preferred_username="analyst", platsa_role="analyst")
    assert User.objects.filter(username="analyst").count() == 1
    assert client.get(reverse("home")).status_code == 200
    assert client.session["_auth_user_id"] == str(world.analyst.pk)


@pytest.mark.parametrize("role", ["", "supervisor", "superuser"])
def test_a_person_without_a_platsa_role_is_refused(world: World, idp: IdP, role: str) -> None:
    client = Client()
    response = _log_in(client, idp, preferred_username="utan-roll", platsa_role=role)
    assert response.status_code == 403
    assert "ger dig ingen roll i platsa" in response.content.decode()
    assert not User.objects.filter(username="utan-roll").exists()
    assert "_auth_user_id" not in client.session


def test_an_account_of_another_municipality_is_not_taken_over(world: World, idp: IdP) -> None:
    client = Client()
    response = _log_in(client, idp, preferred_username="ange-admin", platsa_role="admin")
    assert response.status_code == 403
    world.elsewhere_admin.refresh_from_db()
    assert world.elsewhere_admin.role == Role.ADMIN
    assert "_auth_user_id" not in client.session


def test_a_provider_without_strong_authentication_still_needs_platsa_s_factor(
    world: World,
    idp: IdP,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    app["settings"]["platsa"]["second_factor"] = False
    client = Client()
    _log_in(client, idp, preferred_username="anna-coach", platsa_role="coach")
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("mfa_activate_totp")
