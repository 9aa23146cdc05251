"""What a purge (gallring) did: when, up to which day, how many: never what or whom."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """One run of ``platsa purge`` for one municipality, kept without what was erased."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    cutoff = models.DateField(_("last entry before"))
    participants = models.PositiveIntegerField(_("participants erased"))
    access_log_rows = models.PositiveIntegerField(_("access log rows removed"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.participants}"
