"""A week of attendance as a form: which week, its day rows, and the posted days read back.

Shared by one placement's week (``views_followup.attendance_week``) and a supervisor's team week
(``views_week.team_week``); the fields of a placement are prefixed there so one post holds many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.http import Http404
from django.utils.translation import gettext as _

from platsa.placements.models import Attendance, AttendanceStatus
from platsa.placements.services import DayReport

# Weeks further from today than this are not offered (and cannot overflow the calendar).
WEEKS_REACH = 52 * 10
FIELDS = ("status", "hours", "reason")


def week_start(value: str | None, *, fallback: dt.date, today: dt.date) -> dt.date:
    """The Monday of ``value`` (``YYYY-Www``), or of ``fallback``'s week; 404 for a week that
    does not exist or lies more than ten years from ``today``."""
    if value:
        try:
            year, week = value.split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
        except (ValueError, TypeError):
            raise Http404 from None
        if abs((monday - today).days) > WEEKS_REACH * 7:
            raise Http404
        return monday
    return fallback - dt.timedelta(days=fallback.weekday())


def week_code(monday: dt.date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@dataclass
class DayRow:
    day: dt.date
    reportable: bool
    weekend: bool
    existing: Attendance | None
    errors: list[str]
    posted: dict[str, str]

    @classmethod
    def build(
        cls,
        day: dt.date,
        *,
        reportable: bool,
        existing: Attendance | None,
        errors: dict[str, list[str]],
        posted: Mapping[str, str] | None,
        prefix: str = "",
    ) -> DayRow:
        """The row for ``day``: its own errors, and what was posted for it (``None`` on a GET)."""
        key = day.isoformat()
        return cls(
            day,
            reportable,
            day.weekday() >= 5,
            existing,
            [m for k, v in errors.items() if k.startswith(key) for m in v],
            {} if posted is None else {f: posted.get(f"{prefix}{f}-{key}", "") for f in FIELDS},
        )

    @property
    def current(self) -> dict[str, str]:
        """What the form shows: what was just posted, else what is saved."""
        if self.posted:
            return self.posted
        if self.existing is None:
            return {"status": "", "hours": "", "reason": ""}
        hours = (
            ""
            if self.existing.hours is None
            else f"{self.existing.hours.normalize():f}".replace(".", ",")
        )
        return {
            "status": self.existing.status,
            "hours": hours,
            "reason": self.existing.absence_reason,
        }


def general_errors(errors: dict[str, list[str]]) -> list[str]:
    """The errors that belong to no one day (day errors are keyed ``YYYY-MM-DD.field``)."""
    return [m for k, v in errors.items() if "." not in k for m in v]


def parse_week(
    posted: Mapping[str, str],
    first: dt.date,
    last: dt.date,
    days: list[dt.date],
    *,
    prefix: str = "",
    paused: frozenset[dt.date] = frozenset(),
) -> tuple[list[DayReport], dict[str, list[str]]]:
    """The days of one placement's week from the posted fields ``{prefix}status-YYYY-MM-DD`` …

    "Every weekday present" fills the weekdays left unmarked, with the hours given for it: hours
    feed the individual indicator, so it is refused without them.
    """
    reports: list[DayReport] = []
    errors: dict[str, list[str]] = {}
    all_present = posted.get("all_present") == "1"
    all_hours = posted.get("all_hours", "").strip().replace(",", ".")
    if all_present and not all_hours:
        errors["all_hours"] = [_("Give the hours a day for the days marked present at once.")]
        return reports, errors
    for d in days:
        key = d.isoformat()
        status = posted.get(f"{prefix}status-{key}", "")
        hours_text = posted.get(f"{prefix}hours-{key}", "").strip().replace(",", ".")
        reason = posted.get(f"{prefix}reason-{key}", "")
        if all_present and d.weekday() < 5 and first <= d <= last and d not in paused:
            status = status or AttendanceStatus.PRESENT
            if status == AttendanceStatus.PRESENT:
                hours_text = hours_text or all_hours
        if not status:
            continue
        if not first <= d <= last:
            errors[f"{key}.date"] = [_("The day is outside the placement or in the future.")]
            continue
        if d in paused:
            errors[f"{key}.date"] = [_("The placement is paused that day.")]
            continue
        if status not in AttendanceStatus.values:
            errors[f"{key}.status"] = [_("Choose present or absent.")]
            continue
        hours = None
        if hours_text:
            try:
                hours = Decimal(hours_text)
            except InvalidOperation:
                hours = None
            if hours is None or not hours.is_finite():
                errors[f"{key}.hours"] = [_("Write the hours as a number, e.g. 4 or 4,5.")]
                continue
        reports.append(
            DayReport(d, status, hours, reason if status == AttendanceStatus.ABSENT else "")
        )
    return reports, errors
