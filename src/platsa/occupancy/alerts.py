"""Alerts for each role's start page and for ``platsa alerts`` (cron or a systemd timer).

Thresholds are per municipality (Municipality.alert_*_days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platsa.accounts.models import Role, User
from platsa.engine.occupancy import add_months
from platsa.engine.quality import PlacementFlag, PlacementStatus, placement_flags
from platsa.placements.models import Attendance, ExitCheck, Placement, PlacementPause
from platsa.placements.occupancy import Scope, agreements_in_scope, occupancy_for
from platsa.placements.selectors import placement_facts, placement_list_for_user, status_q
from platsa.procurement.models import Agreement, RenewalDecision
from platsa.procurement.selectors import notice_status


@dataclass(frozen=True)
class Alert:
    kind: str  # empty_places | notice_deadline | agreement_ending | agreement_expired |
    # review_due | planned_end_due | planned_end_passed | no_destination | no_show |
    # attendance_gap | exit_check_due | assessment_due | spinning_around
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
    agreements = agreements_in_scope(scope)
    decided = set(
        RenewalDecision.objects.filter(agreement__in=agreements).values_list(
            "agreement_id", "period_end"
        )
    )
    for agreement in agreements:
        status = notice_status(agreement, today=today)
        if status.running is not None and (agreement.pk, status.running[1]) in decided:
            continue  # decided: the alert clears
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
                    reverse("agreement_renewal", args=[agreement.pk]),
                    status.deadline,
                )
            )
    return alerts


def _agreements_ending(scope: Scope, *, today: dt.date, days: int) -> list[Alert]:
    """An agreement in its last period that ends soon, or has ended with placements still running."""
    agreements = agreements_in_scope(scope)
    alerts = []
    for agreement in agreements:
        until = agreement.in_force_until
        status = notice_status(agreement, today=today)
        if (
            status.running is not None
            and status.deadline is None
            and 0 <= (until - today).days <= days
        ):
            alerts.append(
                Alert(
                    "agreement_ending",
                    _(
                        "The agreement with %(org)s ends on %(date)s and will not renew: make a new "
                        "one or plan where its participants go."
                    )
                    % {"org": agreement.organisation.name, "date": until.isoformat()},
                    reverse("agreement_detail", args=[agreement.pk]),
                    until,
                )
            )
    running = _running_after_expiry(agreements, today=today)
    for agreement in agreements:
        n = running.get(agreement.pk, 0)
        if n:
            until = agreement.in_force_until
            alerts.append(
                Alert(
                    "agreement_expired",
                    ngettext(
                        "The agreement with %(org)s ended on %(date)s but %(n)s placement under "
                        "it still runs: move or close it.",
                        "The agreement with %(org)s ended on %(date)s but %(n)s placements under "
                        "it still run: move or close them.",
                        n,
                    )
                    % {"org": agreement.organisation.name, "date": until.isoformat(), "n": n},
                    reverse("agreement_detail", args=[agreement.pk]),
                    until,
                )
            )
    return alerts


def _running_after_expiry(agreements: list[Agreement], *, today: dt.date) -> dict[int, int]:
    """Placements still running under each agreement that has ended: one query for them all.

    An agreement's end (with its renewals) is computed in Python, so each expired agreement adds
    its own condition to the one query rather than a query of its own.
    """
    condition = Q()
    for a in agreements:
        until = a.in_force_until
        if until < today:
            condition |= Q(agreement_id=a.pk) & ~Q(actual_end__lte=until)
    if not condition:
        return {}
    rows = (
        Placement.objects.filter(condition, start_date__lte=today)
        .values("agreement_id")
        .annotate(n=Count("pk"))
    )
    return {r["agreement_id"]: r["n"] for r in rows}


def _spinning_around(user: User, *, today: dt.date, placements: int, months: int) -> list[Alert]:
    """Participants placed again and again without getting anywhere (report §6): ``placements``
    or more started within ``months`` months, none ended in work or studies. A move to another
    place continues the same placement and is not counted."""
    since = add_months(today, -months)
    counts = (
        Placement.objects.filter(
            participant__municipality_id=user.municipality_id, start_date__gte=since
        )
        .exclude(destination="moved")
        .values("participant_id", "participant__code")
        .annotate(n=Count("pk"))
        .filter(n__gte=placements)
    )
    exited = set(
        Placement.objects.filter(
            participant__municipality_id=user.municipality_id,
            start_date__gte=since,
            destination__in=("employed_at_organisation", "employed_elsewhere", "studies"),
        ).values_list("participant_id", flat=True)
    )
    return [
        Alert(
            "spinning_around",
            _(
                "%(code)s has had %(n)s placements in %(months)s months without work or studies: "
                "review the plan with them."
            )
            % {"code": row["participant__code"], "n": row["n"], "months": months},
            reverse("participant_timeline", args=[row["participant_id"]]),
        )
        for row in counts.order_by("participant__code")
        if row["participant_id"] not in exited
    ]


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
        if p.actual_end is None and p.planned_end and p.planned_end < today:
            alerts.append(
                Alert(
                    "planned_end_passed",
                    _(
                        "%(code)s: the planned end %(date)s has passed; extend the placement or "
                        "close it."
                    )
                    % {"code": p.participant.code, "date": p.planned_end.isoformat()},
                    reverse("plan_edit", args=[p.pk]) if user.role != Role.SUPERVISOR else url,
                    p.planned_end,
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
    recent_rows = Attendance.objects.filter(date__gt=since, date__lte=today)
    paused = set(
        PlacementPause.objects.filter(
            placement__in=current, start__lte=today, end__gt=since
        ).values_list("placement_id", flat=True)
    )
    for p in current.prefetch_related(Prefetch("attendance", queryset=recent_rows)):
        url = reverse("attendance_week", args=[p.pk])
        recent = list(p.attendance.all())
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
        if p.start_date <= since and not recent and p.pk not in paused:
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
    # SQL narrows to the ended placements whose destination could be missing; the engine's flag
    # decides (the rows it reads no longer grow with every placement that ended well).
    candidates = placement_list_for_user(user, status=PlacementStatus.ENDED, on=today).filter(
        Q(destination__in=("", "unknown")) | Q(destination__isnull=True)
    )
    placements = placement_facts(candidates)
    missing = [
        pk
        for pk, _org, facts in placements
        if PlacementFlag.ENDED_WITHOUT_DESTINATION in placement_flags(facts, as_of=today)
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
    if user.role in (Role.COACH, Role.MANAGER, Role.ADMIN):
        alerts += _agreements_ending(scope, today=today, days=municipality.alert_notice_days)
    if user.role in (Role.COACH, Role.SUPERVISOR):
        alerts += _placement_alerts(user, today=today, days=municipality.alert_review_days)
    if user.role == Role.COACH:
        alerts += _attendance_alerts(
            user, today=today, gap_days=municipality.alert_attendance_gap_days
        )
        alerts += _exit_checks_due(user, today=today, days=municipality.alert_review_days)
        alerts += _assessments_due(user, today=today)
        alerts += _spinning_around(
            user,
            today=today,
            placements=municipality.alert_spinning_placements,
            months=municipality.alert_spinning_months,
        )
    if user.role in (Role.COACH, Role.MANAGER, Role.ADMIN):
        alerts += _without_destination(user, today=today)
    return alerts
