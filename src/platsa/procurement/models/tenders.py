"""A procurement's tenders, its named evaluators and their scores.

A tender is what one organisation offers: places, the work and what the places are like, the
evidence that it is a work-integration social enterprise (the ASF checklist) and, in a reserved
procurement, the share of its workforce that is disadvantaged. Each named evaluator scores each
tender on each criterion, with a written reason, after declaring no conflict of interest. The
award (``platsa.engine.award`` proposes it) turns tenders into agreements.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.procurement.models.core import (
    Agreement,
    AsfCriterion,
    EvaluationCriterion,
    Organisation,
    PhysicalDemand,
    Procurement,
    WorkType,
)

#: A reserved contract (LOU 4 kap. 18 §, 19 kap. 18 §): at least this share of the supplier's
#: workforce are persons with disabilities or disadvantaged persons.
RESERVED_MIN_SHARE = Decimal("30")


class ProcurementEvaluator(models.Model):
    """A member of the municipality's staff named to score a procurement's tenders."""

    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="evaluators",
        verbose_name=_("procurement"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("evaluator"),
    )
    no_conflict_declared_at = models.DateTimeField(
        _("declared no conflict of interest at"), null=True, blank=True
    )

    class Meta:
        ordering = ["procurement", "user__username"]
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "user"], name="evaluator_once_a_procurement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procurement}: {self.user}"


class Tender(models.Model):
    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="tenders",
        verbose_name=_("procurement"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="tenders",
        verbose_name=_("organisation"),
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    places_offered = models.PositiveSmallIntegerField(
        _("places offered"), null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    work_types = models.ManyToManyField(
        WorkType, verbose_name=_("work types"), blank=True, related_name="tenders"
    )
    location = models.CharField(_("location"), max_length=150, blank=True)
    physical_demand = models.CharField(
        _("physical demand"), max_length=10, choices=PhysicalDemand.choices, blank=True
    )
    public_transport = models.BooleanField(
        _("reachable by public transport"), null=True, blank=True
    )
    offer = models.TextField(_("what the tender offers"), blank=True)
    asf_evidence = models.JSONField(
        _("ASF criteria and their evidence"),
        default=dict,
        blank=True,
        help_text=_("For each criterion met: where it is shown (statutes, annual report …)."),
    )
    disadvantaged_share = models.DecimalField(
        _("share of the workforce disadvantaged (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    disadvantaged_evidence = models.CharField(
        _("evidence of the share"), max_length=500, blank=True
    )
    places_awarded = models.PositiveSmallIntegerField(_("places awarded"), null=True, blank=True)
    agreement = models.OneToOneField(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tender",
        verbose_name=_("agreement"),
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["procurement", "organisation__name"]
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "organisation"], name="tender_once_an_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.procurement})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if (
            self.procurement_id is not None
            and self.organisation_id is not None
            and self.procurement.municipality_id != self.organisation.municipality_id
        ):
            errors["organisation"] = _("The organisation belongs to another municipality.")
        evidence = self.asf_evidence
        if not isinstance(evidence, dict) or any(
            k not in AsfCriterion.values or not isinstance(v, str) or not v.strip()
            for k, v in evidence.items()
        ):
            errors["asf_evidence"] = _("Give the evidence for each ASF criterion met.")
        if errors:
            raise ValidationError(errors)

    @property
    def asf_met(self) -> list[str]:
        return [c for c in AsfCriterion.values if c in self.asf_evidence]


class TenderScore(models.Model):
    """One evaluator's score of one tender on one criterion, and why."""

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="scores", verbose_name=_("tender")
    )
    criterion = models.ForeignKey(
        EvaluationCriterion,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    evaluator = models.ForeignKey(
        ProcurementEvaluator,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("evaluator"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    reason = models.TextField(_("reason"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["tender", "criterion__position", "evaluator"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "criterion", "evaluator"], name="one_score_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tender} {self.criterion.position}: {self.score}"
