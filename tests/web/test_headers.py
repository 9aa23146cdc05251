"""Every response carries the security headers; signed-in pages and exports are never cached."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_every_page_has_a_content_security_policy_without_inline_scripts(world: World) -> None:
    for client, url in (
        (Client(), reverse("login")),
        (client_for(world.coach), reverse("home")),
        (client_for(world.manager), reverse("agreement_list")),
        (client_for(world.admin), "/admin/"),
    ):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"]


def test_signed_in_pages_and_exports_are_not_stored(world: World) -> None:
    manager = client_for(world.manager)
    assert manager.get(reverse("placement_list"))["Cache-Control"] == "no-store"
    org = world.org("Röda Korset")
    export = manager.get(reverse("invoicing_csv"), {"organisation": org.pk, "month": "2023-05"})
    assert export.status_code == 200 and export["Cache-Control"] == "no-store"


def test_https_turns_on_hsts(tmp_path) -> None:
    code = "from django.conf import settings; import django; django.setup(); print(settings.SECURE_HSTS_SECONDS)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platsa.settings",
        "PLATSA_DATA_DIR": str(tmp_path),
    }
    on = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "PLATSA_HTTPS": "true"},
        capture_output=True,
        text=True,
    )
    off = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "PLATSA_HTTPS": "false"},
        capture_output=True,
        text=True,
    )
    assert on.stdout.strip() == "31536000", on.stderr
    assert off.stdout.strip() == "0", off.stderr
