"""What is recorded while a participant is placed and after: attendance, follow-up meetings,
the checks 3, 6 and 12 months after the end."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.placements.models.core import Placement


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", _("Ill")
    NOTIFIED = "notified", _("Notified absence")
    NO_SHOW = "no_show", _("Did not come, no word")
    OTHER = "other", _("Other")


class Attendance(models.Model):
    """One day of one placement, as the supervisor reported it (one row per day: a constraint)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("placement")
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    absence_reason = models.CharField(
        _("reason for absence"), max_length=10, choices=AbsenceReason.choices, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)

    class Meta:
        ordering = ["placement", "date"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "date"], name="attendance_one_row_per_day"
            ),
            models.CheckConstraint(
                name="attendance_hours_within_a_day",
                condition=models.Q(hours__isnull=True)
                | (models.Q(hours__gte=0) & models.Q(hours__lte=24)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement.participant.code} {self.date:%Y-%m-%d} {self.status}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.status == AttendanceStatus.ABSENT and not self.absence_reason:
            errors["absence_reason"] = _("Give a reason for the absence.")
        if self.status == AttendanceStatus.PRESENT and self.absence_reason:
            errors["absence_reason"] = _("A reason is only for an absence.")
        if self.placement_id and self.date:
            p = self.placement
            if self.date < p.start_date or (p.actual_end and self.date > p.actual_end):
                errors["date"] = _("The day is outside the placement (%(start)s – %(end)s).") % {
                    "start": p.start_date.isoformat(),
                    "end": p.actual_end.isoformat() if p.actual_end else "…",
                }
        if errors:
            raise ValidationError(errors)


class AttendanceChange(models.Model):
    """A correction of a reported day: who changed it, when, and what it said before."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="changes", verbose_name=_("attendance")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    before = models.JSONField(_("before"))

    class Meta:
        ordering = ["attendance", "changed_at"]
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")

    def __str__(self) -> str:
        return f"{self.attendance} ({self.changed_at:%Y-%m-%d %H:%M})"


class FollowUpMeeting(models.Model):
    """A follow-up meeting with the report's checklist (tasks, attendance, wellbeing, next steps)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("placement")
    )
    date = models.DateField(_("date"))
    coach_took_part = models.BooleanField(_("coach took part"), default=True)
    participant_took_part = models.BooleanField(_("participant took part"), default=True)
    supervisor_took_part = models.BooleanField(_("supervisor took part"), default=False)
    tasks = models.TextField(_("tasks"), blank=True)
    attendance_notes = models.TextField(_("attendance"), blank=True)
    wellbeing = models.TextField(_("wellbeing"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["placement", "date"]
        verbose_name = _("follow-up meeting")
        verbose_name_plural = _("follow-up meetings")

    def __str__(self) -> str:
        return f"{self.placement.participant.code} {self.date:%Y-%m-%d}"

    @property
    def parties(self) -> int:
        return sum((self.coach_took_part, self.participant_took_part, self.supervisor_took_part))

    def clean(self) -> None:
        super().clean()
        if self.parties == 0:
            raise ValidationError(_("Tick who took part."))
        if self.placement_id and self.date and self.date < self.placement.start_date:
            raise ValidationError({"date": _("The meeting cannot be before the placement starts.")})


class ExitCheckStatus(models.TextChoices):
    EMPLOYMENT = "employment", _("In employment")
    STUDIES = "studies", _("Studying")
    SOCIAL_ASSISTANCE = "social_assistance", _("On social assistance")
    OTHER_MEASURE = "other_measure", _("In another measure")
    UNKNOWN = "unknown", _("Unknown: could not be reached")


class ExitCheckSource(models.TextChoices):
    """Where an after-exit answer comes from: it decides how much the answer can be trusted."""

    PARTICIPANT = "participant", _("The participant")
    SUPPLIER = "supplier", _("The supplier")
    REGISTER = "register", _("A register")
    CASE_SYSTEM = "case_system", _("The case system")


class ExitCheck(models.Model):
    """Where a participant is 3, 6 and 12 months after the placement ended."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="exit_checks", verbose_name=_("placement")
    )
    months_after = models.PositiveSmallIntegerField(_("months after the end"))
    due_date = models.DateField(_("due"))
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ExitCheckStatus.choices, blank=True
    )
    source = models.CharField(
        _("source of the answer"), max_length=20, choices=ExitCheckSource.choices, blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("checked by"),
    )

    class Meta:
        ordering = ["placement", "months_after"]
        verbose_name = _("after-exit check")
        verbose_name_plural = _("after-exit checks")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "months_after"], name="exit_check_once_per_interval"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement.participant.code} +{self.months_after}"

    def clean(self) -> None:
        super().clean()
        if bool(self.checked_on) != bool(self.status):
            raise ValidationError(
                {"status": _("Give both the date of the check and what it found.")}
            )
        if self.status and self.status != ExitCheckStatus.UNKNOWN and not self.source:
            raise ValidationError({"source": _("Say where the answer comes from.")})


class PlacementPause(models.Model):
    """A pause in a placement (illness, a course, parental leave): the place is held, no days are
    expected, and no attendance is asked for."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("placement")
    )
    start = models.DateField(_("first day of the pause"))
    end = models.DateField(_("last day of the pause"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["placement", "start"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.CheckConstraint(
                name="pause_end_not_before_start", condition=models.Q(end__gte=models.F("start"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end must not be before the start.")
        if self.placement_id and self.start:
            p = self.placement
            if self.start < p.start_date:
                errors["start"] = _("A pause cannot start before the placement.")
            if p.actual_end and self.end and self.end > p.actual_end:
                errors["end"] = _("A pause cannot go on after the placement ended.")
            if self.end and (self.end - self.start).days > 366:
                errors["end"] = _("A pause is at most a year; close the placement instead.")
        if errors:
            raise ValidationError(errors)

    def covers(self, day: object) -> bool:
        return bool(self.start <= day <= self.end)  # type: ignore[operator]
