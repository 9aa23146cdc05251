"""The address in the access log and the login lockout: through trusted proxies only."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from platsa.common.http import client_address
from platsa.placements.models import ParticipantAccess
from tests.conftest import World, client_for


def _request(remote: str, forwarded: str | None = None) -> object:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("remote", "forwarded", "seen"),
    [
        ("10.1.2.3", None, "10.1.2.3"),  # no proxy
        ("10.1.2.3", "6.6.6.6", "10.1.2.3"),  # a header from anyone else is ignored
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),  # through the trusted proxy
        ("127.0.0.1", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged first hop is ignored
        ("127.0.0.1", "203.0.113.7, 192.168.5.5", "203.0.113.7"),  # two trusted proxies
        ("127.0.0.1", "nonsense", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_address_comes_through_trusted_proxies_only(
    settings,
    remote: str,
    forwarded: str | None,
    seen: str,  # type: ignore[no-untyped-def]
) -> None:
    settings.PLATSA_TRUSTED_PROXIES = ["127.0.0.1", "192.168.0.0/16"]
    assert client_address(_request(remote, forwarded)) == seen  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_access_log_keeps_the_address_behind_the_proxy(
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.PLATSA_TRUSTED_PROXIES = ["127.0.0.1"]
    placement = world.placement("OST-01")
    client_for(world.coach).get(
        reverse("placement_detail", args=[placement.pk]), HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert ParticipantAccess.objects.get().address == "203.0.113.7"


def test_a_proxy_that_is_not_an_address_stops_the_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {**os.environ, "PLATSA_DATA_DIR": str(tmp_path), "PLATSA_TRUSTED_PROXIES": "nginx"}
    result = subprocess.run(
        [sys.executable, "-m", "platsa", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "PLATSA_TRUSTED_PROXIES: 'nginx'" in result.stderr
