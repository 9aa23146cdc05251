"""Who opened which participant's record: the access log a unit must be able to review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.placements.models.core import Participant


class AccessKind(models.TextChoices):
    TIMELINE = "timeline", _("Journey")
    PROFILE = "profile", _("Interests and constraints")
    FINDER = "finder", _("Place finder")
    PLACEMENT = "placement", _("Placement")


class ParticipantAccess(models.Model):
    """One opening of a page about one participant, by one user.

    Written by the page itself, never edited; the administrator reviews it (``access_log``).
    It names the participant by the row only (shown with the pseudonymous code), never by name.
    """

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="accesses",
        verbose_name=_("participant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="participant_accesses",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("page"), max_length=12, choices=AccessKind.choices)
    changed = models.BooleanField(_("saved a change"), default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access to a participant")
        verbose_name_plural = _("accesses to participants")
        indexes = [models.Index(fields=["municipality", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
