"""A second factor for everyone who logs in (django-allauth's MFA: TOTP, WebAuthn/passkeys,
recovery codes).

A session reaches platsa's pages only after it has passed a second factor: allauth asks for it
at login once an account has one; an account without one is sent to set one up (proving it
with a code) before anything else. Which session has passed is kept in the session itself
(``SECOND_FACTOR``), set when allauth reports a second factor used or added. Off only where
``PLATSA_MFA_REQUIRED`` is false: the demo on a loopback address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

SECOND_FACTOR = "platsa_second_factor"

# Pages a session may open before its second factor: logging in and out, and setting one up.
_BEFORE = ("login", "logout")
_BEFORE_PREFIXES = ("account_", "mfa_")


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts are made by the municipality's administrator, never by signing up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Setting up the first second factor follows the login itself: no second password.
        Changing or removing one asks for the password again."""
        user = getattr(context.request, "user", None)
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and not Authenticator.objects.filter(user=user).exists()
        ):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


def passed(request: HttpRequest | None, **_kwargs: Any) -> None:
    """allauth's signal: a second factor was used at login."""
    if request is not None and hasattr(request, "session"):
        request.session[SECOND_FACTOR] = True


def set_up(instance: Authenticator, created: bool, **_kwargs: Any) -> None:
    """An app or a key was set up and proven with a code in the request being answered (allauth
    keeps that request at hand for us); its own signal waits for the transaction to end."""
    request = getattr(context, "request", None)
    user = getattr(request, "user", None)
    if (
        created
        and instance.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
        and user is not None
        and user.pk == instance.user_id
    ):
        request.session[SECOND_FACTOR] = True  # type: ignore[union-attr]


def _allowed_before(request: HttpRequest) -> bool:
    if request.path.startswith(settings.STATIC_URL or "/static/"):
        return True
    try:
        name = resolve(request.path_info).url_name or ""
    except Resolver404:
        return True  # a 404 shows nothing
    return name in _BEFORE or name.startswith(_BEFORE_PREFIXES)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.PLATSA_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.session.get(SECOND_FACTOR)
            and not _allowed_before(request)
        ):
            if Authenticator.objects.filter(user=user).exists():
                # Signed in without the second factor it has (not through the login page):
                # start again through it.
                logout(request)
                return redirect_to_login(request.get_full_path())
            messages.info(
                request,
                _(
                    "Set up a second factor to continue: an authenticator app on your phone, or a "
                    "security key. Participants' data is never shown on a password alone."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
