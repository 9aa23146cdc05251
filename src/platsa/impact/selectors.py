"""Goals against what is recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from platsa.accounts.models import User
from platsa.common.permissions import count_threshold, require
from platsa.impact.models import SHARE_KINDS, Goal, GoalKind
from platsa.placements.indicators import indicators_for
from platsa.placements.occupancy import Scope, occupancy_for


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    actual: float | None  # None: not known yet
    numerator: int | None  # for shares: how many, of ``denominator``
    denominator: int | None
    hidden: bool  # a small group shown to someone who may not see individuals

    @property
    def met(self) -> bool | None:
        if self.actual is None or self.hidden:
            return None
        return self.actual >= float(self.goal.target)


def goal_list_for_user(user: User) -> QuerySet[Goal]:
    require(user, "view_aggregates")
    return Goal.objects.filter(municipality_id=user.municipality_id)


def goal_statuses(user: User, *, today: dt.date, threshold: int | None = None) -> list[GoalStatus]:
    if threshold is None:
        threshold = count_threshold(user)
    out = []
    for goal in goal_list_for_user(user):
        numerator = denominator = None
        actual: float | None = None
        if goal.kind == GoalKind.UTILISATION:
            end = min(goal.period_end, today)
            if end >= goal.period_start:
                result, _ = occupancy_for(
                    Scope(goal.municipality_id), start=goal.period_start, end=end, as_of=today
                )
                actual = result.utilisation
        else:
            m, organisations = indicators_for(
                user, started_from=goal.period_start, started_to=goal.period_end
            )
            if goal.kind == GoalKind.AVERAGE_LENGTH:
                ended = [o for o in organisations if o.average_length_days is not None]
                total = sum(o.ended for o in ended)
                denominator = total
                actual = (
                    None
                    if total == 0
                    else sum(o.average_length_days * o.ended for o in ended) / total
                )  # type: ignore[operator]
            else:
                pair = (
                    m.in_work_6_months_after_start
                    if goal.kind == GoalKind.IN_WORK_6_MONTHS
                    else m.self_support_12_months_after_start
                )
                numerator, denominator = pair
                actual = None if denominator == 0 else numerator / denominator
        hidden = (
            goal.kind in SHARE_KINDS and denominator is not None and 0 < denominator < threshold
        )
        out.append(GoalStatus(goal, actual, numerator, denominator, hidden))
    return out
