"""Alerts for each role's start page and for ``platsa alerts`` (cron or a systemd timer).

Thresholds are per municipality (Municipality.alert_*_days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platsa.accounts.models import Role, User
from platsa.engine.quality import PlacementFlag, PlacementStatus, placement_flags
from platsa.occupancy.selectors import Scope, agreements_in_scope, notice_status, occupancy_for
from platsa.placements.models import ExitCheck, Placement
from platsa.placements.selectors import placement_list_for_user, status_q


@dataclass(frozen=True)
class Alert:
    kind: str  # empty_places | notice_deadline | review_due | planned_end_due | no_destination |
    # no_show | attendance_gap | exit_check_due | assessment_due
    message: str
    url: str
    due: dt.date | None = None


def _empty_places(scope: Scope, *, today: dt.date, days: int) -> list[Alert]:
    start = today - dt.timedelta(days=days - 1)
    result, agreements = occupancy_for(scope, start=start, end=today, as_of=today)
    alerts = []
    for i, agreement in enumerate(agreements):
        empty = result.capacity[i] - result.occupied[i]
        if len(empty) and result.capacity[i, -1] > 0 and np.all(empty > 0):
            n = int(empty.min())
            alerts.append(
                Alert(
                    "empty_places",
                    ngettext(
                        "%(n)s place at %(org)s has stood empty for at least %(days)s days.",
                        "%(n)s places at %(org)s have stood empty for at least %(days)s days.",
                        n,
                    )
                    % {"n": n, "org": agreement.organisation.name, "days": days},
                    reverse("occupancy_overview") + f"?organisation={agreement.organisation_id}",
                )
            )
    return alerts


def _notice_deadlines(scope: Scope, *, today: dt.date, days: int) -> list[Alert]:
    alerts = []
    for agreement in agreements_in_scope(scope):
        status = notice_status(agreement, today=today)
        if status.deadline is not None and 0 <= (status.days_left or 0) <= days:
            alerts.append(
                Alert(
                    "notice_deadline",
                    _(
                        "The agreement with %(org)s renews automatically unless notice is given by %(date)s "
                        "(%(days)s days left)."
                    )
                    % {
                        "org": agreement.organisation.name,
                        "date": status.deadline.isoformat(),
                        "days": status.days_left,
                    },
                    reverse("agreement_detail", args=[agreement.pk]),
                    status.deadline,
                )
            )
    return alerts


def _placement_alerts(user: User, *, today: dt.date, days: int) -> list[Alert]:
    horizon = today + dt.timedelta(days=days)
    current = placement_list_for_user(user, on=today).exclude(
        status_q(PlacementStatus.ENDED, on=today)
    )
    alerts = []
    for p in current:
        url = reverse("placement_detail", args=[p.pk])
        if p.review_date and today <= p.review_date <= horizon:
            alerts.append(
                Alert(
                    "review_due",
                    _("%(code)s: review on %(date)s.")
                    % {"code": p.participant.code, "date": p.review_date.isoformat()},
                    url,
                    p.review_date,
                )
            )
        if p.actual_end is None and p.planned_end and today <= p.planned_end <= horizon:
            alerts.append(
                Alert(
                    "planned_end_due",
                    _("%(code)s: the placement is planned to end on %(date)s.")
                    % {"code": p.participant.code, "date": p.planned_end.isoformat()},
                    url,
                    p.planned_end,
                )
            )
    return alerts


def _attendance_alerts(user: User, *, today: dt.date, gap_days: int) -> list[Alert]:
    """No-shows in the last week, and ongoing placements with no attendance reported for a while."""
    since = today - dt.timedelta(days=gap_days)
    current = placement_list_for_user(user, status=PlacementStatus.ONGOING, on=today)
    alerts = []
    for p in current.prefetch_related("attendance"):
        url = reverse("attendance_week", args=[p.pk])
        recent = [a for a in p.attendance.all() if a.date > since]
        no_shows = [a.date for a in recent if a.absence_reason == "no_show"]
        if no_shows:
            alerts.append(
                Alert(
                    "no_show",
                    _("%(code)s did not come and sent no word on %(date)s.")
                    % {"code": p.participant.code, "date": max(no_shows).isoformat()},
                    url,
                    max(no_shows),
                )
            )
        if p.start_date <= since and not recent:
            alerts.append(
                Alert(
                    "attendance_gap",
                    _("%(code)s: no attendance reported for %(days)s days.")
                    % {"code": p.participant.code, "days": gap_days},
                    url,
                )
            )
    return alerts


ASSESSMENT_INTERVAL_DAYS = 91  # about every three months


def _assessments_due(user: User, *, today: dt.date) -> list[Alert]:
    """Ongoing placements with no assessment yet, or none for about three months."""
    current = placement_list_for_user(
        user, status=PlacementStatus.ONGOING, on=today
    ).prefetch_related("assessments")
    alerts = []
    for p in current:
        dates = [a.date for a in p.assessments.all()]
        last = max(dates) if dates else None
        if last is None and (today - p.start_date).days >= 14:
            message = _("%(code)s: no assessment of progression yet.") % {
                "code": p.participant.code
            }
        elif last is not None and (today - last).days >= ASSESSMENT_INTERVAL_DAYS:
            message = _("%(code)s: the last assessment of progression was on %(date)s.") % {
                "code": p.participant.code,
                "date": last.isoformat(),
            }
        else:
            continue
        alerts.append(Alert("assessment_due", message, reverse("assessment_new", args=[p.pk])))
    return alerts


def _exit_checks_due(user: User, *, today: dt.date, days: int) -> list[Alert]:
    horizon = today + dt.timedelta(days=days)
    due = ExitCheck.objects.filter(
        placement__participant__municipality_id=user.municipality_id,
        checked_on__isnull=True,
        due_date__lte=horizon,
    ).select_related("placement__participant")
    return [
        Alert(
            "exit_check_due",
            _("%(code)s: the check %(n)s months after the end is due %(date)s.")
            % {
                "code": c.placement.participant.code,
                "n": c.months_after,
                "date": c.due_date.isoformat(),
            },
            reverse("participant_timeline", args=[c.placement.participant_id]),
            c.due_date,
        )
        for c in due.order_by("due_date")
    ]


def _without_destination(user: User, *, today: dt.date) -> list[Alert]:
    placements: list[Placement] = list(
        placement_list_for_user(user, status=PlacementStatus.ENDED, on=today)
    )
    missing = [
        p
        for p in placements
        if PlacementFlag.ENDED_WITHOUT_DESTINATION in placement_flags(p.facts(), as_of=today)
    ]
    if not missing:
        return []
    return [
        Alert(
            "no_destination",
            ngettext(
                "%(n)s ended placement has no recorded destination.",
                "%(n)s ended placements have no recorded destination.",
                len(missing),
            )
            % {"n": len(missing)},
            reverse("placement_list") + "?status=ended",
        )
    ]


def alerts_for_user(user: User, *, today: dt.date) -> list[Alert]:
    """The alerts this user's role acts on, within their scope."""
    municipality = user.municipality
    if municipality is None or user.role == Role.ANALYST:
        return []
    scope = Scope(municipality.pk, user.organisation_id if user.role == Role.SUPERVISOR else None)
    alerts: list[Alert] = []
    if user.role in (Role.COACH, Role.MANAGER, Role.ADMIN):
        alerts += _empty_places(scope, today=today, days=municipality.alert_empty_days)
    if user.role in (Role.MANAGER, Role.ADMIN):
        alerts += _notice_deadlines(scope, today=today, days=municipality.alert_notice_days)
    if user.role in (Role.COACH, Role.SUPERVISOR):
        alerts += _placement_alerts(user, today=today, days=municipality.alert_review_days)
    if user.role == Role.COACH:
        alerts += _attendance_alerts(
            user, today=today, gap_days=municipality.alert_attendance_gap_days
        )
        alerts += _exit_checks_due(user, today=today, days=municipality.alert_review_days)
        alerts += _assessments_due(user, today=today)
    if user.role in (Role.COACH, Role.MANAGER, Role.ADMIN):
        alerts += _without_destination(user, today=today)
    return alerts
