"""Progression: instruments of anchored scales, and assessments of a participant over time.

An instrument is data: the default (platsa-steg) is loaded by a migration from
``placements/instruments/platsa-steg.yaml``; a municipality with a licence for another
instrument adds its own in the administration.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Municipality
from platsa.placements.models.core import Placement


class Instrument(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("municipality"),
        help_text=_("Empty: available to every municipality."),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    scale_min = models.PositiveSmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=10)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.CheckConstraint(
                name="instrument_scale_ordered",
                condition=models.Q(scale_min__lt=models.F("scale_max")),
            )
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentScale(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="scales", verbose_name=_("instrument")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    anchors = models.JSONField(
        _("anchored steps"),
        default=dict,
        help_text=_("The text of each anchored step, keyed by its value."),
    )
    meaningful_change = models.PositiveSmallIntegerField(
        _("meaningful change (steps)"),
        default=2,
        help_text=_("Set in advance: a change of at least this many steps counts as meaningful."),
    )

    class Meta:
        ordering = ["instrument", "position"]
        verbose_name = _("scale")
        verbose_name_plural = _("scales")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="scale_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Occasion(models.TextChoices):
    START = "start", _("At the start")
    INTERVAL = "interval", _("Follow-up")
    END = "end", _("At the end")


class Assessment(models.Model):
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("placement")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    date = models.DateField(_("date"))
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion.choices)
    with_supervisor = models.BooleanField(_("filled in with the supervisor"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["placement", "date"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.placement.participant.code} {self.date:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.placement_id and self.date and self.date < self.placement.start_date:
            raise ValidationError(
                {"date": _("The assessment cannot be before the placement starts.")}
            )


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    scale = models.ForeignKey(
        InstrumentScale, on_delete=models.PROTECT, related_name="+", verbose_name=_("scale")
    )
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        ordering = ["assessment", "scale__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "scale"], name="score_once_per_scale")
        ]

    def __str__(self) -> str:
        return f"{self.scale}: {self.value}"

    def clean(self) -> None:
        super().clean()
        instrument = self.scale.instrument
        if not instrument.scale_min <= self.value <= instrument.scale_max:
            raise ValidationError(
                {
                    "value": _("%(scale)s: %(value)s is off the scale %(lo)s–%(hi)s.")
                    % {
                        "scale": self.scale.name,
                        "value": self.value,
                        "lo": instrument.scale_min,
                        "hi": instrument.scale_max,
                    }
                }
            )
