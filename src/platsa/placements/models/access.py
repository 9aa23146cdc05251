"""Who read or changed which participant's data: the access log a municipality must review.

Append-only: the database itself refuses to change a row, and to delete one before the
municipality's retention for the log has run out (triggers installed by the migration); each
row carries the SHA-256 of its content and of the row before it in the same municipality, so a
row changed or removed behind the database's back breaks the chain (``access_chain_check``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.placements.models.core import Participant


class ParticipantAccess(models.Model):
    """One page or export that showed or changed one participant's data, for one user.

    The participant is referred to by row only (shown with the pseudonymous code), never by
    name; the reference survives the participant's erasure, which leaves the code unknown.
    """

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="participant_accesses",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    page = models.CharField(_("page"), max_length=60)
    changed = models.BooleanField(_("saved a change"), default=False)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    reason = models.CharField(
        _("reason given"),
        max_length=300,
        blank=True,
        help_text=_("For a participant outside the user's caseload: the reason stated."),
    )
    previous = models.CharField(max_length=64, blank=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access to a participant")
        verbose_name_plural = _("accesses to participants")
        indexes = [models.Index(fields=["municipality", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.page}"

    def content_digest(self) -> str:
        return access_digest(self)

    @property
    def review(self) -> AccessReview | None:
        """The latest check of this row (earlier ones are kept: a check is never overwritten).
        Prefetch ``reviews`` when reading many rows."""
        reviews = list(self.reviews.all())
        return max(reviews, key=lambda r: (r.reviewed_at, r.pk)) if reviews else None


def access_digest(row: Any) -> str:
    """SHA-256 over a row's content and the digest of the row before it (also used by the
    migration that chained the rows written before the chain existed)."""
    fields = [
        row.previous,
        str(row.municipality_id),
        str(row.participant_id),
        str(row.user_id),
        row.role,
        row.at.astimezone(dt.UTC).isoformat(),
        row.page,
        "1" if row.changed else "0",
        row.address or "",
        *([row.reason] if row.reason else []),
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


class ReviewOutcome(models.TextChoices):
    OK = "ok", _("Reviewed, ok")
    DEVIATION = "deviation", _("Deviation")


class AccessReview(models.Model):
    """The log reviewer's documented check of one sampled row of the access log. A changed
    check is a new row: what was recorded before stays."""

    access = models.ForeignKey(ParticipantAccess, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        ordering = ["reviewed_at", "pk"]
        verbose_name = _("review of an access")
        verbose_name_plural = _("reviews of accesses")

    def __str__(self) -> str:
        return f"{self.access_id} {self.outcome}"
