"""Two-sided attendance: the participant's own account of a week, given on the supervisor's
phone or on their own with a one-time code, set against what the supplier reported; and the
explanation of each day where the two differ."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.placements.models.core import Placement


class ConfirmedVia(models.TextChoices):
    SUPERVISOR_PHONE = "supervisor_phone", _("On the supervisor's or coach's phone")
    OWN_PHONE = "own_phone", _("On their own phone, with a one-time code")


class WeekConfirmation(models.Model):
    """The participant's account of one week: for each day, there or not there."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="week_confirmations",
        verbose_name=_("placement"),
    )
    week = models.DateField(_("week (its Monday)"))
    answers = models.JSONField(_("the participant's answers"))  # {"2023-05-08": "present", …}
    via = models.CharField(_("confirmed"), max_length=20, choices=ConfirmedVia.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("on whose phone"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now=True)

    class Meta:
        ordering = ["placement", "week"]
        verbose_name = _("week confirmed by the participant")
        verbose_name_plural = _("weeks confirmed by participants")
        constraints = [
            models.UniqueConstraint(fields=["placement", "week"], name="one_confirmation_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.week:%G-W%V}"


class ConfirmationCode(models.Model):
    """A one-time code that lets a participant confirm one week on their own phone, without an
    account. Stored hashed; used once; valid a week."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="+", verbose_name=_("placement")
    )
    week = models.DateField(_("week (its Monday)"))
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.placement} {self.week:%G-W%V}"


class DifferenceNote(models.Model):
    """Why the supplier's report and the participant's account of a day differ, as the unit
    found out: an explained difference is settled before invoicing."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="difference_notes",
        verbose_name=_("placement"),
    )
    date = models.DateField(_("date"))
    explanation = models.TextField(_("explanation"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["placement", "date"]
        verbose_name = _("explained difference")
        verbose_name_plural = _("explained differences")
        constraints = [models.UniqueConstraint(fields=["placement", "date"], name="one_note_a_day")]

    def __str__(self) -> str:
        return f"{self.placement} {self.date}"
