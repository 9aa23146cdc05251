"""Two-sided attendance: the participant confirms their week, and the month's differences
between what the supplier reported and what the participant said are listed for invoicing.

A week is confirmed day by day (there / not there), never by a preselected "all correct": an
untouched form records nothing. On the supervisor's phone the supervisor hands the phone over;
on the participant's own phone a one-time code opens that one week and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.placements.models import (
    Attendance,
    ConfirmationCode,
    DifferenceNote,
    Participant,
    Placement,
    WeekConfirmation,
)
from platsa.placements.selectors import paused_days
from platsa.placements.weeks import week_code

#: Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31^10 ≈ 8·10^14
CODE_DAYS = 7
ANSWERS = ("present", "absent")


def confirmable_days(placement: Placement, monday: dt.date, *, today: dt.date) -> list[dt.date]:
    """The weekdays of the week the participant can speak for: within the placement, not in
    the future, not paused."""
    last = min(placement.actual_end or today, today)
    days = [monday + dt.timedelta(days=i) for i in range(5)]
    paused = paused_days(placement, days)
    return [d for d in days if placement.start_date <= d <= last and d not in paused]


@transaction.atomic
def week_confirm(
    *,
    placement: Placement,
    monday: dt.date,
    answers: dict[dt.date, str],
    via: str,
    by: User | None,
    today: dt.date,
) -> WeekConfirmation:
    """Record the participant's account of the week; every day must be answered."""
    days = confirmable_days(placement, monday, today=today)
    if not days:
        raise ValidationError(_("There is no day of this week to confirm."))
    missing = [d for d in days if answers.get(d) not in ANSWERS]
    if missing:
        raise ValidationError(
            {d.isoformat(): [_("Answer whether you were there this day.")] for d in missing}
        )
    confirmation, _created = WeekConfirmation.objects.update_or_create(
        placement=placement,
        week=monday,
        defaults={
            "answers": {d.isoformat(): answers[d] for d in days},
            "via": via,
            "recorded_by": by,
        },
    )
    return confirmation


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").upper().encode()).hexdigest()


def code_create(*, placement: Placement, monday: dt.date, by: User) -> tuple[ConfirmationCode, str]:
    """A one-time code for the week, valid for a week: the record and the code, shown once."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    shown = f"{raw[:5]}-{raw[5:]}"
    code = ConfirmationCode.objects.create(
        placement=placement,
        week=monday,
        digest=_digest(raw),
        created_by=by,
        expires_at=timezone.now() + dt.timedelta(days=CODE_DAYS),
    )
    return code, shown


def code_find(text: str) -> ConfirmationCode | None:
    """The unused, unexpired code written, or None."""
    cleaned = text.replace("-", "").replace(" ", "").upper()
    if len(cleaned) != CODE_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return (
        ConfirmationCode.objects.select_related("placement__organisation", "placement__participant")
        .filter(digest=_digest(cleaned), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@dataclass(frozen=True)
class Difference:
    placement: Placement
    date: dt.date
    supplier: str  # "present" | "absent" | "" (not reported)
    participant: str  # "present" | "absent"
    note: DifferenceNote | None

    @property
    def explained(self) -> bool:
        return self.note is not None

    @property
    def week(self) -> str:
        return week_code(self.date - dt.timedelta(days=self.date.weekday()))


@dataclass(frozen=True)
class MonthDifferences:
    start: dt.date
    end: dt.date
    differences: list[Difference]
    confirmed_weeks: int
    reported_weeks: int  # placement-weeks with a supplier report in the month

    @property
    def unexplained(self) -> int:
        return sum(1 for d in self.differences if not d.explained)


def month_differences(
    placements: QuerySet[Placement], *, start: dt.date, end: dt.date
) -> MonthDifferences:
    """Every day of the month where the participant's confirmed account differs from the
    supplier's report (a day not reported by the supplier counts as "absent")."""
    first_monday = start - dt.timedelta(days=start.weekday())
    confirmations = list(
        WeekConfirmation.objects.filter(
            placement__in=placements, week__gte=first_monday, week__lte=end
        ).select_related("placement__participant", "placement__organisation")
    )
    ids = {c.placement_id for c in confirmations}
    reported = {
        (a.placement_id, a.date): a.status
        for a in Attendance.objects.filter(placement_id__in=ids, date__range=(start, end)).only(
            "placement_id", "date", "status"
        )
    }
    notes = {
        (n.placement_id, n.date): n
        for n in DifferenceNote.objects.filter(placement_id__in=ids, date__range=(start, end))
    }
    differences = []
    for c in confirmations:
        for day_text, said in sorted(c.answers.items()):
            day = dt.date.fromisoformat(day_text)
            if not start <= day <= end:
                continue
            supplier = reported.get((c.placement_id, day), "")
            if (supplier or "absent") != said:
                differences.append(
                    Difference(c.placement, day, supplier, said, notes.get((c.placement_id, day)))
                )
    weeks_reported = {
        (pid, day - dt.timedelta(days=day.weekday()))
        for pid, day in Attendance.objects.filter(
            placement__in=placements, date__range=(start, end)
        ).values_list("placement_id", "date")
    }
    confirmed = {(c.placement_id, c.week) for c in confirmations}
    differences.sort(key=lambda d: (d.placement.participant.code, d.date))
    return MonthDifferences(
        start,
        end,
        differences,
        confirmed_weeks=len(weeks_reported & confirmed),
        reported_weeks=len(weeks_reported),
    )


@transaction.atomic
def difference_explain(
    *, placement: Placement, day: dt.date, explanation: str, by: User
) -> DifferenceNote:
    text = explanation.strip()
    if len(text) < 5:
        raise ValidationError({"explanation": [_("Say in a few words what was found out.")]})
    note, _created = DifferenceNote.objects.update_or_create(
        placement=placement, date=day, defaults={"explanation": text, "recorded_by": by}
    )
    return note


def participants_of(differences: Iterable[Difference]) -> list[Participant]:
    return [d.placement.participant for d in differences]
