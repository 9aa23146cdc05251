"""The municipality's identity providers, read from ``PLATSA_OIDC_FILE`` (a JSON list) into
django-allauth's ``openid_connect`` apps. Read by the settings, so it imports no models.

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
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"PLATSA_OIDC_FILE={path} cannot be read: {exc}") from exc
    apps = []
    for i, entry in enumerate(entries):
        missing = {"id", "name", "municipality", "server_url", "client_id", "secret"} - set(entry)
        if missing:
            raise ImproperlyConfigured(
                f"PLATSA_OIDC_FILE={path}, entry {i + 1}: missing {', '.join(sorted(missing))}"
            )
        apps.append(app_settings_for(entry))
    return apps


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
