"""Recording and reviewing who opened which participant's record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from platsa.accounts.models import User
from platsa.placements.models import AccessKind, Participant, ParticipantAccess

#: The review page shows at most this many rows; the user narrows the search for more.
REVIEW_LIMIT = 500


def access_record(
    *, user: User, participant: Participant, kind: AccessKind, changed: bool = False
) -> None:
    """Write one line of the access log. Called by the page after it has been allowed."""
    ParticipantAccess.objects.create(
        municipality_id=participant.municipality_id,
        participant=participant,
        user=user,
        kind=kind,
        changed=changed,
    )


@dataclass(frozen=True)
class AccessSearch:
    participant_code: str = ""
    username: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def access_list_for_user(user: User, search: AccessSearch) -> QuerySet[ParticipantAccess]:
    """The log of the user's own municipality, newest first, narrowed by ``search``."""
    rows = ParticipantAccess.objects.filter(municipality_id=user.municipality_id)
    if search.participant_code:
        rows = rows.filter(participant__code=search.participant_code)
    if search.username:
        rows = rows.filter(user__username=search.username)
    tz = timezone.get_current_timezone()
    if search.start:
        rows = rows.filter(at__gte=dt.datetime.combine(search.start, dt.time.min, tzinfo=tz))
    if search.end:
        after = search.end + dt.timedelta(days=1)
        rows = rows.filter(at__lt=dt.datetime.combine(after, dt.time.min, tzinfo=tz))
    return rows.select_related("participant", "user").order_by("-at", "-pk")
