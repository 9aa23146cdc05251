"""Logging in as a user would: password, then a second factor (RFC 6238 TOTP, computed here
independently of the library that checks it)."""

from __future__ import annotations

import base64
import hmac
import struct
import time

from django.test import Client
from django.urls import reverse


def totp(secret: str, at: float | None = None) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def sign_in_and_set_up(client: Client, username: str, password: str) -> str:
    """First login: the password, then setting up an authenticator app. Returns its secret."""
    response = client.post(reverse("login"), {"login": username, "password": password})
    assert response.status_code == 302, response.content.decode()[-2000:]
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert done.status_code == 302, done.content.decode()[-2000:]
    return str(secret)


def sign_in(client: Client, username: str, password: str, secret: str) -> None:
    """A later login: the password, then a code from the app."""
    response = client.post(reverse("login"), {"login": username, "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()[-2000:]
