"""Logging in through the municipality's identity provider over SAML 2.0: platsa sends its
AuthnRequest, the test IdP (tests/saml_idp.py) answers with a signed assertion, and the login
maps the person to the provider's municipality and to the role in an attribute, as OpenID
Connect does (tests/web/test_federation.py). A response that is unsigned, signed by another
key, meant for another service, expired, or not asked for is refused and logs no one in."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from platsa.accounts.models import Role, User
from platsa.oidcconfig import saml_apps
from tests.conftest import World
from tests.saml_idp import (
    ENTITY_ID,
    SSO_URL,
    AuthnRequest,
    SigningKey,
    read_request,
    signed_response,
    signing_key,
)

pytestmark = pytest.mark.django_db

KEY = signing_key()
HOST = "platsa.ostersund.example"  # a real name: the SAML library refuses single-label hosts
ROLE = "urn:oid:1.3.6.1.4.1.5923.1.1.1.7"  # eduPersonEntitlement, as an IdP might carry it
USERNAME = "urn:oid:0.9.2342.19200300.100.1.1"  # uid


def _config(tmp_path: Path, **overrides: object) -> Path:
    entry = {
        "id": "ostersund",
        "name": "Östersunds kommun (SAML)",
        "municipality": "2380",
        "entity_id": ENTITY_ID,
        "sso_url": SSO_URL,
        "x509cert": KEY.cert_base64,
        "role_attribute": ROLE,
        "username_attribute": USERNAME,
        "second_factor": True,
        **overrides,
    }
    path = tmp_path / "saml.json"
    path.write_text(json.dumps([entry]), encoding="utf-8")
    return path


@pytest.fixture
def saml(world: World, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": []},
        "saml": {"APPS": saml_apps(str(_config(tmp_path)))},
    }


def _browser() -> Client:
    """A browser sends its Host header (the SAML library reads it; the test client does not)."""
    return Client(HTTP_HOST=HOST)


def _start(client: Client) -> tuple[AuthnRequest, str]:
    """The login button: platsa redirects to the IdP with its signed-for request."""
    start = client.post(reverse("saml_login", args=["ostersund"]))
    assert start.status_code == 302 and start["Location"].startswith(SSO_URL), start
    query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    return read_request(query["SAMLRequest"]), query.get("RelayState", "")


def _back(client: Client, response: str, relay: str) -> object:
    """The browser posts the IdP's response to platsa's ACS, which finishes the login."""
    acs = client.post(
        reverse("saml_acs", args=["ostersund"]), {"SAMLResponse": response, "RelayState": relay}
    )
    assert acs.status_code == 302
    return client.get(acs["Location"])


def _log_in(client: Client, *, key: SigningKey = KEY, **attributes: str) -> object:
    request, relay = _start(client)
    return _back(
        client, signed_response(request, key, subject="ost-4711", attributes=attributes), relay
    )


def test_the_login_page_offers_the_municipality_s_saml_login(saml: None) -> None:
    page = _browser().get(reverse("login")).content.decode()
    assert "Östersunds kommun (SAML)" in page


def test_a_person_logs_in_with_the_provider_s_municipality_and_the_role_attribute(
    world: World, saml: None
) -> None:
    client = _browser()
    response = _log_in(client, **{USERNAME: "anna-coach", ROLE: "coach"})
    assert response.status_code == 302, response.content.decode()[-1500:]  # type: ignore[attr-defined]
    user = User.objects.get(username="anna-coach")
    assert (user.municipality, user.role) == (world.ostersund, Role.COACH)
    assert (user.first_name, user.last_name) == ("", "")
    # The provider asked for strong authentication: it counts as the second factor.
    assert client.get(reverse("referral_queue")).status_code == 200
    # The role follows the attribute at the next login.
    again = _browser()
    _log_in(again, **{USERNAME: "anna-coach", ROLE: "manager"})
    user.refresh_from_db()
    assert user.role == Role.MANAGER
    assert again.get(reverse("need")).status_code == 200


@pytest.mark.parametrize("role", ["", "supervisor", "region", "superuser"])
def test_a_person_without_a_municipal_role_is_refused(world: World, saml: None, role: str) -> None:
    client = _browser()
    response = _log_in(client, **{USERNAME: "utan-roll", ROLE: role})
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not User.objects.filter(username="utan-roll").exists()
    assert client.get(reverse("home")).status_code == 302  # not logged in


def test_an_account_of_another_municipality_is_not_taken_over(world: World, saml: None) -> None:
    client = _browser()
    response = _log_in(client, **{USERNAME: world.elsewhere_coach.username, ROLE: "admin"})
    assert response.status_code == 403  # type: ignore[attr-defined]
    world.elsewhere_coach.refresh_from_db()
    assert world.elsewhere_coach.role == Role.COACH


def _refused(client: Client, response: str, relay: str) -> None:
    answer = _back(client, response, relay)
    assert answer.status_code in (200, 400, 401, 403), answer  # an error page, no login
    assert client.get(reverse("home")).status_code == 302
    assert not User.objects.filter(username="anna-coach").exists()


def test_an_unsigned_response_or_one_signed_by_another_key_is_refused(
    world: World, saml: None
) -> None:
    client = _browser()
    request, relay = _start(client)
    unsigned = signed_response(
        request, KEY, subject="ost-4711", attributes={USERNAME: "anna-coach", ROLE: "admin"},
        sign=False,
    )  # fmt: skip
    _refused(client, unsigned, relay)
    client = _browser()
    request, relay = _start(client)
    forged = signed_response(
        request, signing_key("forger.example"), subject="ost-4711",
        attributes={USERNAME: "anna-coach", ROLE: "admin"},
    )  # fmt: skip
    _refused(client, forged, relay)


def test_a_response_for_another_service_or_expired_or_not_asked_for_is_refused(
    world: World, saml: None
) -> None:
    attributes = {USERNAME: "anna-coach", ROLE: "admin"}
    client = _browser()
    request, relay = _start(client)
    other = signed_response(
        request, KEY, subject="ost-4711", attributes=attributes, audience="https://annan.example"
    )
    _refused(client, other, relay)
    client = _browser()
    request, relay = _start(client)
    expired = signed_response(
        request, KEY, subject="ost-4711", attributes=attributes, minutes_valid=-10
    )
    _refused(client, expired, relay)
    # A response to a request this browser never made (IdP-initiated, or replayed elsewhere).
    client = _browser()
    made_up = AuthnRequest(
        "_" + "0" * 32,
        f"http://{HOST}" + reverse("saml_acs", args=["ostersund"]),
        f"http://{HOST}" + reverse("saml_metadata", args=["ostersund"]),
    )
    _refused(client, signed_response(made_up, KEY, subject="ost-4711", attributes=attributes), "")


def test_the_configuration_names_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "saml.json"
    path.write_text(json.dumps([{"id": "x", "name": "X", "municipality": "2380"}]))
    with pytest.raises(ImproperlyConfigured, match="entry 1: missing entity_id"):
        saml_apps(str(path))
    path.write_text(
        json.dumps([{"id": "x", "name": "X", "municipality": "2380", "entity_id": "e"}])
    )
    with pytest.raises(ImproperlyConfigured, match="metadata_url, or sso_url and x509cert"):
        saml_apps(str(path))
    app = saml_apps(str(_config(tmp_path)))[0]
    assert app["settings"]["advanced"]["want_assertion_signed"] is True
    assert app["settings"]["advanced"]["reject_idp_initiated_sso"] is True
