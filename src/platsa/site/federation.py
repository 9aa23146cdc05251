"""Logging in through the municipality's own identity provider (OpenID Connect or SAML 2.0),
e.g. in front of SITHS or Freja eID+, with django-allauth's social accounts.

Each identity provider is configured for one municipality (``PLATSA_OIDC_FILE`` and
``PLATSA_SAML_FILE``, JSON lists; see Operations in the README). The provider says who the
person is (``sub`` or the SAML subject, and a username) and, in a claim or an attribute, which
platsa role they have; platsa trusts the municipality from the
configuration, never from a claim. On every login the role is taken again from the claim, so a
change in the municipality's directory reaches platsa at the next login. A person without a
platsa role in the claim is refused, and so is one whose username is an account of another
municipality. Supervisors belong to a supplier: they are not federated.

A provider configured with ``"second_factor": true`` has already asked for strong
authentication (SITHS, Freja eID+): its login counts as the second factor.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, Role, User
from platsa.site.mfa import SECOND_FACTOR

#: Roles a municipality's identity provider may give.
FEDERATED_ROLES = {Role.COACH, Role.MANAGER, Role.ANALYST, Role.ADMIN, Role.REVIEWER}


def _config(sociallogin: SocialLogin) -> dict[str, Any]:
    provider = sociallogin.account.get_provider()
    return dict(provider.app.settings.get("platsa", {}))


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    """What the provider said about the person: OpenID Connect's claims, or SAML's attributes
    (each a list of values: the first is taken)."""
    data = sociallogin.account.extra_data or {}
    if sociallogin.account.get_provider().id == "saml":
        return {k: (v[0] if isinstance(v, list) and v else v) for k, v in data.items()}
    return {**data.get("userinfo", {}), **data.get("id_token", {})}


def _username(sociallogin: SocialLogin) -> str:
    claim = _config(sociallogin).get("username_claim", "preferred_username")
    return str(_claims(sociallogin).get(claim) or "")


def _refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    return ImmediateHttpResponse(render(request, "403.html", {"message": message}, status=403))


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def _mapping(self, request: HttpRequest, sociallogin: SocialLogin) -> tuple[Municipality, str]:
        config = _config(sociallogin)
        municipality = Municipality.objects.filter(code=config.get("municipality")).first()
        if municipality is None:
            raise _refuse(request, _("This identity provider is not connected to a municipality."))
        role = str(_claims(sociallogin).get(config.get("role_claim", "platsa_role"), ""))
        if role not in FEDERATED_ROLES:
            raise _refuse(
                request,
                _(
                    "Your municipality's login gives you no role in platsa. Ask your "
                    "municipality's administrator for one."
                ),
            )
        return municipality, role

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        municipality, role = self._mapping(request, sociallogin)
        if sociallogin.is_existing:
            user: User = sociallogin.user
            if user.municipality_id != municipality.pk:
                raise _refuse(request, _("This account belongs to another municipality."))
            if user.role != role:
                user.role = role
                user.save(update_fields=["role"])
            return
        username = _username(sociallogin)
        existing = User.objects.filter(username=username).first() if username else None
        if existing is not None:
            if existing.municipality_id != municipality.pk or existing.role == Role.SUPERVISOR:
                raise _refuse(request, _("This account belongs to another municipality."))
            existing.role = role
            existing.save(update_fields=["role"])
            sociallogin.connect(request, existing)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True  # the provider is the municipality's own and the role was checked above

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        user = super().populate_user(request, sociallogin, data)
        municipality, role = self._mapping(request, sociallogin)
        user.username = (
            _username(sociallogin) or f"{municipality.code}-{sociallogin.account.uid}"
        )[:150]
        user.municipality = municipality
        user.role = role
        user.first_name = user.last_name = ""  # names are not needed and not kept
        return user


def strong_login(request: HttpRequest, user: User, **kwargs: Any) -> None:
    """A login through a provider that asked for strong authentication is the second factor."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None and _config(sociallogin).get("second_factor"):
        request.session[SECOND_FACTOR] = True


def connect() -> None:
    user_logged_in.connect(strong_login, dispatch_uid="platsa_federated_second_factor")
