"""The municipality's identity providers, read from ``PLATSA_OIDC_FILE`` (a JSON list) into
django-allauth's ``openid_connect`` apps, and from ``PLATSA_SAML_FILE`` into its ``saml`` apps
(``saml_apps``). Read by the settings, so it imports no models.

Each entry: ``id`` (in the login URL), ``name`` (on the login button), ``municipality`` (its
four-digit code: the provider is that municipality's), ``server_url`` (the issuer, or its
``/.well-known/openid-configuration``), ``client_id``, ``secret``, and optionally
``role_claim`` (default ``platsa_role``) and ``second_factor`` (true when the provider itself
requires strong authentication, e.g. SITHS or Freja eID+).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def oidc_apps(path: str | None) -> list[dict[str, Any]]:
    """allauth's ``APPS`` for ``openid_connect`` from the configuration file."""
    if not path:
        return []
    required = {"id", "name", "municipality", "server_url", "client_id", "secret"}
    return [app_settings_for(e) for e in _entries("PLATSA_OIDC_FILE", path, required)]


def app_settings_for(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "provider_id": entry["id"],
        "name": entry["name"],
        "client_id": entry["client_id"],
        "secret": entry["secret"],
        "settings": {
            "server_url": entry["server_url"],
            "token_auth_method": "client_secret_post",
            "platsa": {
                "municipality": entry["municipality"],
                "role_claim": entry.get("role_claim", "platsa_role"),
                "second_factor": bool(entry.get("second_factor", False)),
            },
        },
    }


def _entries(variable: str, path: str, required: set[str]) -> list[dict[str, Any]]:
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{variable}={path} cannot be read: {exc}") from exc
    if not isinstance(entries, list):
        raise ImproperlyConfigured(f"{variable}={path}: a JSON list of identity providers")
    for i, entry in enumerate(entries):
        missing = required - set(entry)
        if missing:
            raise ImproperlyConfigured(
                f"{variable}={path}, entry {i + 1}: missing {', '.join(sorted(missing))}"
            )
    return entries


def saml_apps(path: str | None) -> list[dict[str, Any]]:
    """allauth's ``APPS`` for ``saml`` from ``PLATSA_SAML_FILE``.

    Each entry: ``id`` (in the login URL: ``/konto/saml/<id>/login/``), ``name``,
    ``municipality`` (four-digit code), the identity provider's ``entity_id``, and either its
    ``sso_url`` and ``x509cert`` (the signing certificate, PEM or base64) or its
    ``metadata_url``; optionally ``role_attribute`` (default ``platsa_role``),
    ``uid_attribute`` (default the SAML subject-id; else the NameID), ``username_attribute``
    (default ``username``), ``sp_entity_id`` and ``second_factor`` (true when the provider
    requires strong authentication). Assertions must be signed; an IdP-initiated login is
    refused (a login starts at platsa, so a replayed response has no request to answer).
    """
    if not path:
        return []
    apps = []
    for i, entry in enumerate(
        _entries("PLATSA_SAML_FILE", path, {"id", "name", "municipality", "entity_id"})
    ):
        if not entry.get("metadata_url") and not (entry.get("sso_url") and entry.get("x509cert")):
            raise ImproperlyConfigured(
                f"PLATSA_SAML_FILE={path}, entry {i + 1}: give metadata_url, or sso_url and "
                "x509cert"
            )
        idp: dict[str, Any] = {"entity_id": entry["entity_id"]}
        for key in ("sso_url", "x509cert", "metadata_url", "slo_url"):
            if entry.get(key):
                idp[key] = entry[key]
        settings: dict[str, Any] = {
            "idp": idp,
            "attribute_mapping": {
                "uid": entry.get("uid_attribute", "urn:oasis:names:tc:SAML:attribute:subject-id"),
            },
            "advanced": {
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
                "strict": True,
            },
            "platsa": {
                "municipality": entry["municipality"],
                "role_claim": entry.get("role_attribute", "platsa_role"),
                "username_claim": entry.get("username_attribute", "username"),
                "second_factor": bool(entry.get("second_factor", False)),
            },
        }
        if entry.get("sp_entity_id"):
            settings["sp"] = {"entity_id": entry["sp_entity_id"]}
        apps.append(
            {
                "provider_id": f"saml-{entry['id']}",
                "name": entry["name"],
                "client_id": entry["id"],
                "settings": settings,
            }
        )
    return apps
