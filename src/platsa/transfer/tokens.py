"""Personal API keys: ``platsa_`` and 43 random characters, shown once and stored as SHA-256
(a key has 256 bits of randomness: a fast hash suffices, and lookup stays one indexed query)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from platsa.accounts.models import User
from platsa.transfer.models import ApiToken

PREFIX = "platsa_"
#: A key lives a year at most; the user makes a new one before then.
MAX_DAYS = 365
#: A user has at most this many keys in force.
MAX_TOKENS = 10


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(user: User, *, name: str, days: int, today: dt.date) -> tuple[ApiToken, str]:
    """A new key for ``user``: the record, and the key itself (shown once, never stored)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[: len(PREFIX) + 6],
        digest=token_digest(secret),
        expires_on=today + dt.timedelta(days=max(1, min(days, MAX_DAYS))),
    )
    return token, secret


def tokens_in_force(user: User, *, today: dt.date) -> int:
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_on__gte=today
    ).count()


def token_revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
