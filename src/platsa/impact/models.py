from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Municipality
from platsa.engine.alternatives import InHouse


class GoalKind(models.TextChoices):
    IN_WORK_6_MONTHS = "in_work_6_months_after_start", _("Share in work 6 months after the start")
    SELF_SUPPORT_12_MONTHS = (
        "self_support_12_months_after_start",
        _("Share in work or studies 12 months after the start"),
    )
    UTILISATION = "utilisation", _("Utilisation of the places bought")
    AVERAGE_LENGTH = "average_length_days", _("Average length of ended placements (days)")


SHARE_KINDS = {GoalKind.IN_WORK_6_MONTHS, GoalKind.SELF_SUPPORT_12_MONTHS, GoalKind.UTILISATION}


class Goal(models.Model):
    """A goal the municipality sets for the activity, tracked against what is recorded."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="goals", verbose_name=_("municipality")
    )
    kind = models.CharField(_("goal"), max_length=40, choices=GoalKind.choices)
    target = models.DecimalField(
        _("target"),
        max_digits=8,
        decimal_places=3,
        validators=[MinValueValidator(0)],
        help_text=_("A share as a fraction (0.2 for 1 in 5), or a number of days."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("set by"),
    )

    class Meta:
        ordering = ["municipality", "period_start", "kind"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                name="goal_period_ordered",
                condition=models.Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥ {self.target}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The end must not be before the start.")
        if self.kind in SHARE_KINDS and self.target is not None and self.target > 1:
            errors["target"] = _("A share is at most 100 % (1 in 5 is 20 %).")
        if errors:
            raise ValidationError(errors)


class Scenario(models.Model):
    """A saved set of assumptions with everything needed to reproduce its figures later.

    ``recorded`` keeps what the records and the parameter set gave when it was saved (exits,
    each actor's monthly value, the cost of the places), ``assumptions`` what the user chose
    (including the random seed), ``results`` the figures as computed then; with the parameter
    set's digest and the engine version, the same figures come out again.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="scenarios",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=120)
    note = models.TextField(_("note"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    assumptions = models.JSONField(_("assumptions"))
    recorded = models.JSONField(_("recorded inputs"))
    results = models.JSONField(_("results"))
    parameters_digest = models.CharField(_("parameter set"), max_length=64)
    engine_version = models.CharField(_("engine version"), max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["municipality", "-created_at"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(
                name="scenario_period_ordered",
                condition=models.Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AlternativeKind(models.TextChoices):
    IN_HOUSE = "in_house", _("Places run in-house")
    OTHER_MEASURE = "other_measure", _("Another measure")


class Alternative(models.Model):
    """What the municipality would compare the procured places with, entered with its source.

    In-house places are entered as their cost parts (staff, premises, materials); another measure
    as its cost per place and month.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="alternatives",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AlternativeKind.choices)
    name = models.CharField(_("name"), max_length=120)
    places = models.PositiveIntegerField(_("places"), null=True, blank=True)
    staff_fte = models.DecimalField(
        _("staff (full-time equivalents)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    staff_cost_per_fte_month_sek = models.PositiveIntegerField(
        _("monthly cost per full-time employee (SEK, with employer contributions)"),
        null=True,
        blank=True,
    )
    premises_per_year_sek = models.PositiveIntegerField(
        _("premises a year (SEK)"), null=True, blank=True
    )
    materials_per_year_sek = models.PositiveIntegerField(
        _("materials and equipment a year (SEK)"), null=True, blank=True
    )
    other_per_year_sek = models.PositiveIntegerField(
        _("other costs a year (SEK)"), null=True, blank=True
    )
    cost_per_place_month_sek = models.PositiveIntegerField(
        _("cost per place and month (SEK)"), null=True, blank=True
    )
    share_to_work = models.DecimalField(
        _("share of participants who go on to work (0–1, if known)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        ordering = ["municipality", "kind", "name"]
        verbose_name = _("alternative")
        verbose_name_plural = _("alternatives")

    def __str__(self) -> str:
        return self.name

    IN_HOUSE_FIELDS = (
        "places",
        "staff_fte",
        "staff_cost_per_fte_month_sek",
        "premises_per_year_sek",
        "materials_per_year_sek",
    )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.kind == AlternativeKind.IN_HOUSE:
            for name in self.IN_HOUSE_FIELDS:
                if getattr(self, name) is None:
                    errors[name] = _("Needed for places run in-house.")
            if self.places == 0:
                errors["places"] = _("At least one place.")
        elif self.kind == AlternativeKind.OTHER_MEASURE and self.cost_per_place_month_sek is None:
            errors["cost_per_place_month_sek"] = _("Needed for another measure.")
        if errors:
            raise ValidationError(errors)

    def per_place_month_sek(self) -> float:
        if self.kind == AlternativeKind.IN_HOUSE:
            return self.in_house().cost_per_place_month_sek
        return float(self.cost_per_place_month_sek or 0)

    def in_house(self) -> InHouse:
        return InHouse(
            places=int(self.places or 0),
            staff_fte=float(self.staff_fte or 0),
            staff_cost_per_fte_month_sek=float(self.staff_cost_per_fte_month_sek or 0),
            premises_per_year_sek=float(self.premises_per_year_sek or 0),
            materials_per_year_sek=float(self.materials_per_year_sek or 0),
            other_per_year_sek=float(self.other_per_year_sek or 0),
        )


class FullCosts(models.Model):
    """What the places cost beyond their price, entered by the municipality with a source each:
    its own staff's time (coaches), the state's support to the jobs obtained (wage subsidies),
    and the organisations' own inputs. Left empty, only the purchase is counted, and the pages
    say so."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="full_costs",
        verbose_name=_("municipality"),
    )
    coach_hours_per_placement = models.DecimalField(
        _("coach hours per placement"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10_000)],
        help_text=_("Mapping, the order, follow-up meetings and the ending, all told."),
    )
    coach_hour_cost_sek = models.DecimalField(
        _("cost of a coach hour (SEK, with overheads)"),
        max_digits=9,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000)],
    )
    staff_source = models.CharField(_("source of the staff figures"), max_length=255, blank=True)
    wage_subsidy_share = models.DecimalField(
        _("share of jobs obtained with a wage subsidy (0–1)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    wage_subsidy_per_month_sek = models.DecimalField(
        _("wage subsidy a month (SEK, paid by the state)"),
        max_digits=9,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
    )
    wage_subsidy_months = models.PositiveSmallIntegerField(
        _("months the subsidy is paid"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
    )
    subsidy_source = models.CharField(
        _("source of the subsidy figures"), max_length=255, blank=True
    )
    organisation_inputs_per_place_month_sek = models.DecimalField(
        _("the organisations' own inputs per place and month (SEK)"),
        max_digits=9,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
        help_text=_("Supervision and premises beyond what the price pays for, if known."),
    )
    organisation_source = models.CharField(
        _("source of the organisations' figures"), max_length=255, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("full costs")
        verbose_name_plural = _("full costs")

    def __str__(self) -> str:
        return str(self.municipality)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        staff = (self.coach_hours_per_placement, self.coach_hour_cost_sek)
        if any(v is not None for v in staff):
            if None in staff:
                errors["coach_hour_cost_sek"] = _("Give both the hours and the cost of an hour.")
            if not self.staff_source.strip():
                errors["staff_source"] = _("Say where the figures come from.")
        subsidy = (
            self.wage_subsidy_share,
            self.wage_subsidy_per_month_sek,
            self.wage_subsidy_months,
        )
        if any(v is not None for v in subsidy):
            if None in subsidy:
                errors["wage_subsidy_months"] = _("Give the share, the amount and the months.")
            if not self.subsidy_source.strip():
                errors["subsidy_source"] = _("Say where the figures come from.")
        if self.organisation_inputs_per_place_month_sek is not None and not (
            self.organisation_source.strip()
        ):
            errors["organisation_source"] = _("Say where the figures come from.")
        if errors:
            raise ValidationError(errors)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """A board report asked for: made in the background by ``platsa worker``, kept for a day
    for the one who asked (``platsa purge`` removes it)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    scenario = models.ForeignKey(
        Scenario, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("format"), max_length=4, choices=[("pdf", "PDF"), ("xlsx", "Excel")])
    as_of = models.DateField(_("as of"))
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    file_name = models.CharField(_("file name"), max_length=100, blank=True)
    content = models.BinaryField(_("content"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.municipality.code} {self.period_start}–{self.period_end} {self.status}"


class YearFigures(models.Model):
    """One municipality's calendar year, read from its records by the engine's own functions and
    kept for the regional view, so that comparing many municipalities reads one row each rather
    than their whole history (``platsa figures`` refreshes them; ``impact.regional``).

    Counts of people are stored as they are; whoever shows them applies the small-cell rule."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))
    capacity_place_months = models.FloatField(_("place-months bought"))
    occupied_place_months = models.FloatField(_("place-months used"))
    cost_sek = models.FloatField(_("cost (SEK)"))
    placements = models.PositiveIntegerField(_("placements"))
    participants = models.PositiveIntegerField(_("participants"))
    exits_to_work = models.PositiveIntegerField(_("exits to work"))
    exits_to_studies = models.PositiveIntegerField(_("exits to studies"))
    #: What the value engine needs of the records (``ValueOverTimeInput`` without the assumed
    #: rates); None when nothing in the year can be valued.
    value_inputs = models.JSONField(_("value inputs"), null=True, blank=True)
    parameters_digest = models.CharField(_("parameters"), max_length=64)

    class Meta:
        ordering = ["municipality__name", "year"]
        verbose_name = _("figures of a year")
        verbose_name_plural = _("figures of years")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="year_figures_once")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}"


#: The parameters a municipality may give its own dated values (the rest are national).
MUNICIPAL_PARAMETERS: tuple[str, ...] = (
    "social_assistance_per_month",
    "municipal_tax_rate",
    "regional_tax_rate",
    "municipal_tax_kept_share",
    "monthly_salary",
)


class ParameterValue(models.Model):
    """A municipality's own dated value of a parameter, with its source: its social assistance
    per person and month, its tax rates, the share of a tax krona it keeps after the income
    equalisation, the salary it assumes for the jobs obtained. Spliced over the shipped values by
    date (``impact.parameters.municipality_parameters``), never edited into them; stored in the
    parameter's own unit (a share as a fraction)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="parameter_values",
        verbose_name=_("municipality"),
    )
    name = models.CharField(
        _("parameter"), max_length=64, choices=[(n, n) for n in MUNICIPAL_PARAMETERS]
    )
    effective_from = models.DateField(_("applies from"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=6)
    reference = models.CharField(_("source"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "effective_from"]
        verbose_name = _("the municipality's own parameter value")
        verbose_name_plural = _("the municipality's own parameter values")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "effective_from"],
                name="parameter_value_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.name} {self.effective_from}"
