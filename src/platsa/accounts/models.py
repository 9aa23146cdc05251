from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """The tenant: every row of people's data belongs to exactly one municipality."""

    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code is four digits."))],
        help_text=_("The four-digit code from Statistics Sweden, e.g. 2380 for Östersund."),
    )
    name = models.CharField(_("name"), max_length=100)
    alert_empty_days = models.PositiveSmallIntegerField(
        _("alert when places stand empty for (days)"), default=30
    )
    alert_review_days = models.PositiveSmallIntegerField(
        _("alert this many days before a review or planned end"), default=14
    )
    alert_attendance_gap_days = models.PositiveSmallIntegerField(
        _("alert when no attendance has been reported for (days)"), default=7
    )
    alert_notice_days = models.PositiveSmallIntegerField(
        _("alert this many days before an agreement's notice deadline"), default=90
    )
    alert_spinning_placements = models.PositiveSmallIntegerField(
        _("alert when a participant has had this many placements …"),
        default=3,
        validators=[MinValueValidator(2)],
    )
    alert_spinning_months = models.PositiveSmallIntegerField(
        _("… within this many months, without work or studies"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    data_retention_years = models.PositiveSmallIntegerField(
        _("erase a participant's data this many years after the last entry"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("The Social Services Act's default is five years (gallring)."),
    )
    access_log_retention_years = models.PositiveSmallIntegerField(
        _("keep the access log this many years"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made by platsa synth, not a real municipality.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COACH = "coach", _("Coach")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")
    REVIEWER = "reviewer", _("Log reviewer")
    REGION = "region", _("Regional analyst")


class Region(models.Model):
    """A region or a group of municipalities that compares aggregates across those of its
    municipalities that have agreed to share them (``RegionShare``). Kept by the platform
    operator; it sees no person and no row of people's data."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class RegionShare(models.Model):
    """A municipality's decision to let a region see its aggregates: who recorded it, when and
    with which decision. Withdrawing deletes it; the region sees the municipality no more."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="shares", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="region_shares",
        verbose_name=_("municipality"),
    )
    decision = models.CharField(
        _("decision"),
        max_length=200,
        help_text=_("The decision to share, e.g. the board's minute: KS 2026-11-02 § 14."),
    )
    agreed_on = models.DateField(_("agreed on"))
    recorded_by = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["region__name"]
        verbose_name = _("sharing with a region")
        verbose_name_plural = _("sharing with regions")
        constraints = [
            models.UniqueConstraint(fields=["region", "municipality"], name="region_share_once")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.region}"


class User(AbstractUser):
    """A person who logs in. Belongs to one municipality; a supervisor also to one organisation.

    Platform operators are superusers without a municipality; every other account has one.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "procurement.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Only for supervisors: the supplier they work for."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Only for regional analysts, who belong to a region, not a municipality."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_supervisor_has_organisation",
                condition=(
                    models.Q(role="supervisor", organisation__isnull=False)
                    | (~models.Q(role="supervisor") & models.Q(organisation__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="user_role_has_municipality",
                condition=models.Q(role="")
                | (~models.Q(role="region") & models.Q(municipality__isnull=False))
                | models.Q(role="region", municipality__isnull=True),
            ),
            models.CheckConstraint(
                name="user_regional_analyst_has_region",
                condition=models.Q(role="region", region__isnull=False)
                | (~models.Q(role="region") & models.Q(region__isnull=True)),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.role == Role.REGION:
            if self.region_id is None:
                errors["region"] = _("A regional analyst must belong to a region.")
            if self.municipality_id is not None:
                errors["municipality"] = _(
                    "A regional analyst belongs to a region, not to a municipality."
                )
        elif self.region_id is not None:
            errors["region"] = _("Only regional analysts belong to a region.")
        if self.role and self.role != Role.REGION and self.municipality_id is None:
            errors["municipality"] = _("A user with a role must belong to a municipality.")
        if self.role == Role.SUPERVISOR:
            if self.organisation_id is None:
                errors["organisation"] = _("A supervisor must belong to an organisation.")
            elif self.organisation.municipality_id != self.municipality_id:
                errors["organisation"] = _(
                    "The organisation must belong to the user's municipality."
                )
        elif self.organisation_id is not None:
            errors["organisation"] = _("Only supervisors belong to an organisation.")
        if not self.role and not self.is_superuser:
            errors["role"] = _("Choose a role.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_coach(self) -> bool:
        return self.role == Role.COACH

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def is_log_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_regional_analyst(self) -> bool:
        return self.role == Role.REGION and self.region_id is not None

    @property
    def is_municipal_admin(self) -> bool:
        return self.role == Role.ADMIN


class Guidance(models.Model):
    """The municipality's own words for what the report asks to define (§6): what counts as
    occupation and as close supervision, and the follow-up checklist. Shown to supervisors where
    they report; kept by the municipality's administrator."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="guidance",
        verbose_name=_("municipality"),
    )
    occupation = models.TextField(
        _("what counts as occupation (sysselsättning)"),
        blank=True,
        help_text=_("E.g. work that resembles regular work: selling goods or services."),
    )
    close_supervision = models.TextField(
        _("what close supervision (nära handledning) means"),
        blank=True,
        help_text=_("E.g. a named supervisor per 8 participants; demonstration, feedback…"),
    )
    follow_up_checklist = models.TextField(
        _("follow-up checklist"),
        blank=True,
        help_text=_("One point a line: what the monthly three-party meeting goes through."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("guidance")
        verbose_name_plural = _("guidance")

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def checklist(self) -> list[str]:
        return [
            line.strip(" -•\t") for line in self.follow_up_checklist.splitlines() if line.strip()
        ]

    @property
    def is_empty(self) -> bool:
        return not (self.occupation or self.close_supervision or self.follow_up_checklist)
