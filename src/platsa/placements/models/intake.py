"""The referral queue: a participant referred to the unit waits here until they are placed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.placements.models.core import Participant, Placement


class Referral(models.Model):
    """A referral (remiss) with the order the placement will carry: goal, planned months, scope.

    It waits in the queue until a placement is made from it; the waiting time is the days from
    the referral to the placement's start, and it feeds the need for places.
    """

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("participant"),
    )
    referred_on = models.DateField(_("referred on"))
    goals = models.TextField(_("goals"), blank=True)
    planned_months = models.PositiveSmallIntegerField(
        _("planned months"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    scope_percent = models.PositiveSmallIntegerField(
        _("scope at the start (percent of full time)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    hours_per_day = models.DecimalField(
        _("hours a day at the start"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    days_per_week = models.PositiveSmallIntegerField(
        _("days a week at the start"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    placement = models.OneToOneField(
        Placement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("placement"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["referred_on", "pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.participant.code} {self.referred_on:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.withdrawn_on and self.referred_on and self.withdrawn_on < self.referred_on:
            raise ValidationError({"withdrawn_on": _("The date must not be before the referral.")})
        if self.withdrawn_on and not self.withdrawn_reason.strip():
            raise ValidationError({"withdrawn_reason": _("Say why the referral is withdrawn.")})

    @property
    def waiting(self) -> bool:
        return self.placement_id is None and self.withdrawn_on is None

    @property
    def days_to_start(self) -> int | None:
        """Days from the referral to the placement's start; None until placed."""
        if self.placement is None:
            return None
        return max(0, (self.placement.start_date - self.referred_on).days)

    def days_waited(self, *, on: dt.date) -> int:
        """Days from the referral to the placement's start, or to ``on`` while it waits."""
        end = self.placement.start_date if self.placement_id else (self.withdrawn_on or on)
        return max(0, (end - self.referred_on).days)
