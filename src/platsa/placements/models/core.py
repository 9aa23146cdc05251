from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Municipality
from platsa.engine.quality import PlacementFacts
from platsa.procurement.models import (
    Agreement,
    Organisation,
    PhysicalDemand,
    Place,
    Procurement,
    WorkType,
)

PSEUDONYM = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{1,30}$",
    _(
        "A participant code is 2–31 letters, digits or hyphens; never a name or a personal "
        "identity number."
    ),
)


#: A Swedish personal identity number (or co-ordination number), with or without the century.
IDENTITY_NUMBER = re.compile(r"(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def _not_identity_number(value: str) -> None:
    """A case reference must not be shaped like a Swedish personal identity number."""
    if IDENTITY_NUMBER.search(value):
        raise ValidationError(
            _("This looks like a personal identity number; write the case number instead."),
            code="identity_number",
        )


def _code_not_identity_number(value: str) -> None:
    """A participant code is a pseudonym: twelve digits pass the pattern, so say so here."""
    if IDENTITY_NUMBER.search(value):
        raise ValidationError(
            _("This looks like a personal identity number; give the participant's code."),
            code="identity_number",
        )


CASE_REFERENCE = _not_identity_number


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other or not stated")


class Participant(models.Model):
    """A person placed by the municipality, known here only by a pseudonymous code."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    code = models.CharField(
        _("participant code"),
        max_length=31,
        validators=[PSEUDONYM, _code_not_identity_number],
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    interests = models.ManyToManyField(
        WorkType,
        verbose_name=_("work types of interest"),
        blank=True,
        related_name="+",
    )
    interests_note = models.TextField(_("interests"), blank=True)
    excluded_work_types = models.ManyToManyField(
        WorkType,
        verbose_name=_("work types the participant will not do"),
        blank=True,
        related_name="+",
    )
    setting = models.CharField(
        _("indoor or outdoor"),
        max_length=10,
        blank=True,
        choices=[("indoor", _("Indoor")), ("outdoor", _("Outdoor"))],
        help_text=_("Leave empty if either will do."),
    )
    max_physical_demand = models.CharField(
        _("most physical demand the participant can take"),
        max_length=10,
        blank=True,
        choices=PhysicalDemand.choices,
    )
    needs_public_transport = models.BooleanField(
        _("needs public transport to get there"), default=False
    )
    language_note = models.CharField(
        _("language"),
        max_length=200,
        blank=True,
        help_text=_("Languages spoken and any need of support in Swedish."),
    )
    case_reference = models.CharField(
        _("case reference"),
        max_length=40,
        blank=True,
        validators=[CASE_REFERENCE],
        help_text=_(
            "The case system's reference, if you want to find the case there. Never a personal identity number."
        ),
    )
    constraints_note = models.TextField(
        _("constraints"),
        blank=True,
        help_text=_("Indoor/outdoor, physical demands, travel: what a placement must respect."),
    )
    responsible_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        limit_choices_to={"role": "coach"},
        help_text=_(
            "The coach whose caseload the participant is in. Another coach states a reason "
            "before opening the record; empty: the whole team's."
        ),
    )
    protected_identity = models.BooleanField(
        _("protected personal data"),
        default=False,
        help_text=_(
            "The person has protected personal data (sekretessmarkering or skyddad "
            "folkbokföring): every access is reviewed."
        ),
    )
    synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        help_text=_("Generated demo data, not a real person."),
    )
    erased_on = models.DateField(
        _("erased on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Purged after the retention period: only dates, places and outcomes remain."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="participant_unique_code_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Destination(models.TextChoices):
    EMPLOYED_AT_ORGANISATION = "employed_at_organisation", _("Employment at the organisation")
    EMPLOYED_ELSEWHERE = "employed_elsewhere", _("Employment elsewhere")
    STUDIES = "studies", _("Studies")
    OTHER_MEASURE = "other_measure", _("Other measure")
    ENDED_EARLY = "ended_early", _("Ended early")
    MOVED = "moved", _("Moved to another placement")
    UNKNOWN = "unknown", _("Unknown: could not be reached")


class Placement(models.Model):
    """A participant's placement at an organisation, with the order (plan) behind it."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    # The order (beställning): the plan made by the municipality with the participant.
    goals = models.TextField(_("goals"), blank=True)
    scope_percent = models.PositiveSmallIntegerField(
        _("scope (percent of full time)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    planned_months = models.PositiveSmallIntegerField(
        _("planned months"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    start_date = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(
        _("actual end"),
        null=True,
        blank=True,
        help_text=_("The last day of the placement; empty while it is ongoing."),
    )
    destination = models.CharField(
        _("destination"),
        max_length=30,
        choices=Destination.choices,
        blank=True,
        help_text=_("Where the participant went when the placement ended."),
    )
    end_reason = models.TextField(
        _("reason for the ending"),
        blank=True,
        help_text=_("Why the placement ended, in the coach's words."),
    )
    over_capacity_reason = models.TextField(
        _("reason for placing over capacity"),
        blank=True,
        help_text=_("Recorded when a participant is placed although every place is taken."),
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the record comes from, e.g. the row of an imported table."),
    )
    source_note = models.CharField(
        _("note on the source"),
        max_length=255,
        blank=True,
        help_text=_("How the record differs from its source, e.g. a date written irregularly."),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["organisation__name", "start_date", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                name="placement_end_not_before_start",
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_end__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="placement_planned_end_not_before_start",
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_end__gte=models.F("start_date")),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "start_date"])]

    def __str__(self) -> str:
        return f"{self.participant.code} {self.start_date:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.start_date:
            if self.actual_end and self.actual_end < self.start_date:
                errors["actual_end"] = _("The end must not be before the start.")
            if self.planned_end and self.planned_end < self.start_date:
                errors["planned_end"] = _("The planned end must not be before the start.")
        if self.organisation_id and self.participant_id:
            if self.organisation.municipality_id != self.participant.municipality_id:
                errors["organisation"] = _("The organisation belongs to another municipality.")
        if self.agreement_id and self.organisation_id:
            if self.agreement.organisation_id != self.organisation_id:
                errors["agreement"] = _("The agreement is with another organisation.")
        if self.place_id and self.agreement_id and self.place.agreement_id != self.agreement_id:
            errors["place"] = _("The place belongs to another agreement.")
        if self.destination and not self.actual_end:
            errors["destination"] = _("Record a destination only when the placement has ended.")
        if errors:
            raise ValidationError(errors)

    def facts(self) -> PlacementFacts:
        agreement = self.agreement
        return PlacementFacts(
            start=self.start_date,
            planned_end=self.planned_end,
            actual_end=self.actual_end,
            destination=self.destination or None,
            agreement_start=agreement.start_date if agreement else None,
            agreement_end=agreement.end_date if agreement else None,
            source_note=self.source_note,
        )


class ScopeStep(models.Model):
    """The scope of a placement from a date on: it usually steps up (e.g. 25 % → 50 %, 3 → 5 hours)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="scope_steps", verbose_name=_("placement")
    )
    valid_from = models.DateField(_("from"))
    hours_per_day = models.DecimalField(
        _("hours a day"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    days_per_week = models.PositiveSmallIntegerField(
        _("days a week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    percent = models.PositiveSmallIntegerField(
        _("percent of full time"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["placement", "valid_from"]
        verbose_name = _("scope step")
        verbose_name_plural = _("scope steps")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "valid_from"], name="scope_step_one_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.valid_from:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.hours_per_day is None and self.days_per_week is None and self.percent is None:
            raise ValidationError(_("Give hours a day, days a week or a percentage."))
        if self.placement_id and self.valid_from and self.valid_from < self.placement.start_date:
            raise ValidationError({"valid_from": _("A step cannot start before the placement.")})


class CohortOutcome(models.Model):
    """An outcome known for a cohort but not for a placement.

    The report says one participant of Östersund's first year went on to studies without saying
    which placement: it is recorded here, counted in the cohort's outcomes, attached to none.
    """

    procurement = models.ForeignKey(
        Procurement,
        verbose_name=_("procurement"),
        on_delete=models.CASCADE,
        related_name="cohort_outcomes",
    )
    destination = models.CharField(_("destination"), max_length=30, choices=Destination.choices)
    count = models.PositiveSmallIntegerField(_("number of participants"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cohort outcome without a placement")
        verbose_name_plural = _("cohort outcomes without a placement")

    def __str__(self) -> str:
        return f"{self.count} × {self.get_destination_display()}"

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end must not be before the start.")})
