from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Municipality
from platsa.engine.agreements import PlaceCount
from platsa.engine.occupancy import AgreementSpec, agreement_periods, occupancy


class WorkType(models.Model):
    """A kind of work a place offers (second-hand shop, café, outdoor services…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    indoor = models.BooleanField(_("indoor"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("work type")
        verbose_name_plural = _("work types")

    def __str__(self) -> str:
        return self.name


class LegalForm(models.TextChoices):
    ECONOMIC_ASSOCIATION = "economic_association", _("Economic association")
    NON_PROFIT = "non_profit", _("Non-profit association")
    LIMITED_COMPANY = "limited_company", _("Limited company")
    RESTRICTED_PROFIT_COMPANY = (
        "restricted_profit_company",
        _("Limited company with restricted profit distribution"),
    )
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")


class AsfCriterion(models.TextChoices):
    """The municipality's criteria for a work-integration social enterprise (report §2.2)."""

    INTEGRATION_PURPOSE = (
        "integration_purpose",
        _("Purpose to integrate people into work and society"),
    )
    SELLS_GOODS_OR_SERVICES = "sells_goods_or_services", _("Sells goods or services")
    INDEPENDENT = "independent", _("Independent of public ownership")
    STAFF_INVOLVED = "staff_involved", _("Staff involved through ownership or agreements")
    PROFITS_REINVESTED = "profits_reinvested", _("Profits reinvested")


class Organisation(models.Model):
    """A supplier: a social enterprise or non-profit the municipality buys places from."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    name = models.CharField(_("name"), max_length=150)
    legal_form = models.CharField(_("legal form"), max_length=40, choices=LegalForm.choices)
    meets_asf = models.BooleanField(
        _("meets the ASF criteria"),
        null=True,
        blank=True,
        help_text=_("Leave empty when it has not been assessed."),
    )
    asf_criteria = models.JSONField(
        _("ASF criteria met"),
        default=list,
        blank=True,
        help_text=_("Which of the municipality's ASF criteria the organisation meets."),
    )
    turnover_sek = models.DecimalField(
        _("turnover (SEK)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    turnover_year = models.PositiveSmallIntegerField(_("turnover year"), null=True, blank=True)
    turnover_note = models.CharField(_("turnover as reported"), max_length=255, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    employees_note = models.CharField(_("staff as reported"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    work_types = models.ManyToManyField(
        WorkType,
        verbose_name=_("work types offered"),
        blank=True,
        related_name="organisations",
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not a real supplier.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        criteria = self.asf_criteria
        if not isinstance(criteria, list) or any(c not in AsfCriterion.values for c in criteria):
            raise ValidationError(
                {
                    "asf_criteria": _("Use only these criteria: %(codes)s.")
                    % {"codes": ", ".join(AsfCriterion.values)}
                }
            )


class PaymentModel(models.TextChoices):
    FIXED_PER_PLACE_MONTH = "fixed_per_place_month", _("Fixed per place and month")
    PER_WEEKDAY = "per_weekday", _("Per scheduled weekday a week")
    PER_ATTENDED_DAY = "per_attended_day", _("Per attended day")
    HYBRID = "hybrid", _("Guaranteed base places plus places paid when used")


_EXTENSIONS = re.compile(r"^\d+(\+\d+)*$")


class ProcurementKind(models.TextChoices):
    DIRECT_AWARD = "direct_award", _("Direct award")
    RESERVED = "reserved", _("Reserved procurement (LOU 4 ch. 18 §)")
    IOP = "iop", _("Idea-driven public partnership (IOP)")
    OTHER = "other", _("Other")


class Procurement(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="procurements",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProcurementKind.choices)
    information_meetings = models.CharField(
        _("information meetings"),
        max_length=255,
        blank=True,
        help_text=_("When and how suppliers were informed, as recorded."),
    )
    tender_deadline = models.DateField(_("tender deadline"), null=True, blank=True)
    scale_min = models.PositiveSmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=5)
    scale_description = models.TextField(_("scale description"), blank=True)
    tenders_received = models.PositiveSmallIntegerField(
        _("tenders received"), null=True, blank=True
    )
    places_offered_note = models.CharField(_("places offered"), max_length=100, blank=True)
    minimum_score = models.PositiveSmallIntegerField(
        _("minimum score on each criterion"),
        null=True,
        blank=True,
        help_text=_("A tender whose average on any criterion is below it is not considered."),
    )
    places_to_buy = models.PositiveSmallIntegerField(
        _("places to buy"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
        help_text=_("Leave empty to allocate the number the need for places recommends."),
    )
    # The terms every agreement awarded in the procurement gets.
    contract_start = models.DateField(_("agreements start"), null=True, blank=True)
    contract_end = models.DateField(_("agreements end"), null=True, blank=True)
    extension_options = models.CharField(
        _("extension options (years)"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(_EXTENSIONS, _("Write the options as years joined by +, e.g. 1+1+1."))
        ],
    )
    auto_renew = models.BooleanField(_("renews automatically"), default=False)
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"), default=6, validators=[MaxValueValidator(60)]
    )
    payment_model = models.CharField(
        _("payment model"),
        max_length=40,
        choices=PaymentModel.choices,
        default=PaymentModel.FIXED_PER_PLACE_MONTH,
    )
    price_sek = models.DecimalField(
        _("price (SEK)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    awarded = models.BooleanField(_("awarded"), default=False)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded by"),
    )
    award_rationale = models.TextField(_("rationale for the award"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not a real procurement.")
    )

    class Meta:
        ordering = ["-tender_deadline", "title"]
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")
        constraints = [
            models.CheckConstraint(
                name="procurement_scale_ordered",
                condition=models.Q(scale_min__lt=models.F("scale_max")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if (
            self.scale_min is not None
            and self.scale_max is not None
            and self.scale_min >= self.scale_max
        ):
            raise ValidationError({"scale_max": _("The scale maximum must be above its minimum.")})
        errors: dict[str, object] = {}
        if self.minimum_score is not None and not (
            self.scale_min <= self.minimum_score <= self.scale_max
        ):
            errors["minimum_score"] = _("The minimum must lie on the scale (%(lo)s–%(hi)s).") % {
                "lo": self.scale_min,
                "hi": self.scale_max,
            }
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            errors["contract_end"] = _("The end must not be before the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def reserved(self) -> bool:
        return self.kind == ProcurementKind.RESERVED


class EvaluationCriterion(models.Model):
    procurement = models.ForeignKey(
        Procurement,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("procurement"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("criterion"))

    class Meta:
        ordering = ["procurement", "position"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "position"], name="criterion_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Agreement(models.Model):
    """A framework agreement (ramavtal) with one supplier."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    procurement = models.ForeignKey(
        Procurement,
        verbose_name=_("procurement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    extension_options = models.CharField(
        _("extension options (years)"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(_EXTENSIONS, _("Write the options as years joined by +, e.g. 1+1+1."))
        ],
    )
    auto_renew = models.BooleanField(_("renews automatically"), default=False)
    notice_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        default=6,
        validators=[MaxValueValidator(60)],
    )
    notice_given_on = models.DateField(_("notice given on"), null=True, blank=True)
    payment_model = models.CharField(
        _("payment model"),
        max_length=40,
        choices=PaymentModel.choices,
        default=PaymentModel.FIXED_PER_PLACE_MONTH,
    )
    price_sek = models.DecimalField(
        _("price (SEK)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Per place and month for the fixed model; see the payment model for others."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["organisation__name", "start_date"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                name="agreement_end_after_start",
                condition=models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="agreement_price_not_negative", condition=models.Q(price_sek__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end must not be before the start.")
        if (
            self.procurement_id is not None
            and self.organisation_id is not None
            and self.procurement.municipality_id != self.organisation.municipality_id
        ):
            errors["procurement"] = _("The procurement belongs to another municipality.")
        if errors:
            raise ValidationError(errors)

    @property
    def extension_years(self) -> tuple[int, ...]:
        return (
            tuple(int(y) for y in self.extension_options.split("+"))
            if self.extension_options
            else ()
        )

    def place_count_history(self) -> list[PlaceCount]:
        return [PlaceCount(p.valid_from, p.places) for p in self.place_counts.all()]

    def contract_value_sek(self) -> float | None:
        """The value of the first period under fixed pricing, computed as occupancy computes cost
        (pro rata per day), so the agreement page and the occupancy overview always agree."""
        if self.payment_model != PaymentModel.FIXED_PER_PLACE_MONTH:
            return None
        first_period = occupancy(
            agreements=[self.spec()],
            placements=[],
            start=self.start_date,
            end=self.end_date,
            as_of=self.end_date,
        )
        return first_period.cost_sek

    def spec(self) -> AgreementSpec:
        """The agreement as the engine sees it."""
        return AgreementSpec(
            key=self.pk,
            organisation=self.organisation.name,
            start=self.start_date,
            end=self.end_date,
            price_per_place_month=float(self.price_sek),
            place_counts=tuple(self.place_count_history()),
            extension_years=self.extension_years,
            auto_renew=self.auto_renew,
            notice_months=self.notice_months,
            notice_given_on=self.notice_given_on,
        )

    def periods(self) -> list[tuple[dt.date, dt.date]]:
        """The first period and every automatic renewal it has not been stopped from."""
        return agreement_periods(self.spec())

    @property
    def in_force_until(self) -> dt.date:
        return self.periods()[-1][1]

    def status_on(self, day: dt.date) -> str:
        if day < self.start_date:
            return "coming"
        return "ended" if day > self.in_force_until else "in_force"

    def places_on(self, day: dt.date) -> int:
        """The number of places in force on ``day`` (0 before the agreement starts)."""
        if day < self.start_date:
            return 0
        in_force = [p for p in self.place_counts.all() if p.valid_from <= day]
        return max(in_force, key=lambda p: p.valid_from).places if in_force else 0


class AgreementPlaces(models.Model):
    """The number of places an agreement buys, from a date on (places can change over its life)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="place_counts",
        verbose_name=_("agreement"),
    )
    valid_from = models.DateField(_("valid from"))
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        ordering = ["agreement", "valid_from"]
        verbose_name = _("number of places")
        verbose_name_plural = _("numbers of places")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "valid_from"], name="agreement_places_unique_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.places} från {self.valid_from:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if self.agreement_id is not None and self.valid_from is not None:
            agreement = self.agreement
            if not agreement.start_date <= self.valid_from:
                raise ValidationError(
                    {"valid_from": _("The date must be on or after the agreement's start.")}
                )


class AgreementSupervisor(models.Model):
    """A named supervisor on an agreement (a change must be approved by the municipality)."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="supervisor_links",
        verbose_name=_("agreement"),
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="supervised_agreements",
        verbose_name=_("supervisor"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    approved_on = models.DateField(_("approved by the municipality on"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "valid_from"]
        verbose_name = _("named supervisor")
        verbose_name_plural = _("named supervisors")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "user", "valid_from"], name="agreement_supervisor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.valid_from:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        if self.user_id is not None and self.agreement_id is not None:
            if self.user.organisation_id != self.agreement.organisation_id:
                raise ValidationError(
                    {"user": _("The supervisor must work for the agreement's organisation.")}
                )
        if (
            self.valid_to is not None
            and self.valid_from is not None
            and self.valid_to < self.valid_from
        ):
            raise ValidationError({"valid_to": _("The end must not be before the start.")})


class PhysicalDemand(models.TextChoices):
    LIGHT = "light", _("Light")
    MODERATE = "moderate", _("Moderate")
    HEAVY = "heavy", _("Heavy")


PHYSICAL_ORDER = {PhysicalDemand.LIGHT: 1, PhysicalDemand.MODERATE: 2, PhysicalDemand.HEAVY: 3}


class Place(models.Model):
    """One occupation place bought under an agreement."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("agreement"),
    )
    label = models.CharField(_("label"), max_length=100)
    work_type = models.ForeignKey(
        WorkType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("work type"),
    )
    location = models.CharField(_("location"), max_length=150, blank=True)
    demands = models.TextField(_("demands"), blank=True)
    physical_demand = models.CharField(
        _("physical demand"), max_length=10, choices=PhysicalDemand.choices, blank=True
    )
    public_transport = models.BooleanField(
        _("reachable by public transport"), null=True, blank=True
    )

    class Meta:
        ordering = ["agreement", "label"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "label"], name="place_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.organisation} – {self.label}"


class RenewalChoice(models.TextChoices):
    RENEW = "renew", _("Renew as it is")
    CHANGE_PLACES = "change_places", _("Renew with another number of places")
    GIVE_NOTICE = "give_notice", _("Give notice")


class RenewalDecision(models.Model):
    """What the unit decided before an agreement's notice deadline, and why. A decision for
    the running period clears the deadline's alert; giving notice records the notice, changing
    the places records the new number from the next period."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="renewal_decisions",
        verbose_name=_("agreement"),
    )
    period_end = models.DateField(_("end of the period decided on"))
    choice = models.CharField(_("decision"), max_length=20, choices=RenewalChoice.choices)
    places = models.PositiveSmallIntegerField(
        _("places from the next period"), null=True, blank=True
    )
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-period_end", "-recorded_at"]
        verbose_name = _("renewal decision")
        verbose_name_plural = _("renewal decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period_end"], name="one_renewal_decision_a_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.period_end} {self.choice}"
