"""The access log: every page and export that reads or changes a participant's data is written
down (who, role, when, which participant, which page, from where), and reviewed.

Pages do not write the log themselves. The selectors that hand a page one participant's data
*note* the participant (``access_note``); :class:`AccessLogMiddleware` writes the notes once the
page has answered, so a refused or failed request writes nothing and an allowed one cannot
forget. A POST that ends in a redirect saved a change.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Max, Min, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Municipality, Role, User
from platsa.common.http import client_address
from platsa.placements.models import (
    AccessReview,
    Participant,
    ParticipantAccess,
    ReviewOutcome,
)

#: The review page shows at most this many rows; the user narrows the search for more.
REVIEW_LIMIT = 500
#: Rows drawn for the monthly review (all of them when the month has fewer).
SAMPLE_SIZE = 20

# participant id -> municipality id, for the request being answered (None outside a request).
_notes: ContextVar[dict[int, int] | None] = ContextVar("platsa_access_notes", default=None)
# participant id -> the reason this session stated for opening them (outside the caseload).
_grants: ContextVar[dict[str, dict[str, str]] | None] = ContextVar(
    "platsa_access_grants", default=None
)

#: The session key of the reasons stated, and how long one holds.
GRANTS = "platsa_access_reasons"
GRANT_HOURS = 8


class ReasonRequired(Exception):
    """A coach opens a participant of another coach's caseload: a reason comes first."""

    def __init__(self, participant_id: int) -> None:
        super().__init__(participant_id)
        self.participant_id = participant_id


def outside_caseload(user: User, participant: Participant) -> bool:
    """A coach opening another coach's participant. A participant without a responsible coach
    is the whole team's; supervisors, managers and administrators have no caseload."""
    return (
        user.role == Role.COACH
        and participant.responsible_coach_id is not None
        and participant.responsible_coach_id != user.pk
    )


def access_check(user: User, participant: Participant) -> None:
    """Refuse, until a reason is stated, a coach's opening outside their caseload."""
    if not outside_caseload(user, participant):
        return
    grant = (_grants.get() or {}).get(str(participant.pk))
    if grant is None or grant["until"] < timezone.now().isoformat():
        raise ReasonRequired(participant.pk)


def grant_record(session: Any, participant: Participant, reason: str) -> None:
    """The reason stated, kept in the session for ``GRANT_HOURS``."""
    grants = dict(session.get(GRANTS, {}))
    until = timezone.now() + dt.timedelta(hours=GRANT_HOURS)
    grants[str(participant.pk)] = {"reason": reason, "until": until.isoformat()}
    session[GRANTS] = grants


#: What each logged page is called on the review page; an unknown name is shown as it is.
PAGE_LABELS = {
    "participant_timeline": _("Journey"),
    "participant_profile": _("Interests and constraints"),
    "place_finder": _("Place finder"),
    "placement_detail": _("Placement"),
    "placement_new": _("Placing"),
    "placement_move": _("Moving the placement"),
    "placement_pause": _("Pausing the placement"),
    "placement_close": _("Closing the placement"),
    "attendance_week": _("Attendance week"),
    "team_week": _("Attendance for everyone"),
    "meeting_new": _("Follow-up meeting"),
    "exit_check": _("After-exit check"),
    "plan_edit": _("Plan"),
    "assessment_new": _("Assessment"),
    "referral_new": _("Referral"),
    "referral_withdraw": _("Withdrawing a referral"),
    "invoicing": _("Invoicing basis"),
    "invoicing_csv": _("Invoicing basis (CSV)"),
    "invoicing_xlsx": _("Invoicing basis (Excel)"),
    "placement_list": _("List of placements"),
    "referral_queue": _("Referral queue"),
    "home": _("Start page with the participants"),
    "placements_participant_change": _("Administration: participant"),
    "placements_placement_change": _("Administration: placement"),
}


def page_label(name: str) -> str:
    return str(PAGE_LABELS.get(name, name))


def access_note(participants: Iterable[Participant]) -> None:
    """Note that the page being answered shows these participants' data."""
    notes = _notes.get()
    if notes is None:
        return
    for p in participants:
        notes[p.pk] = p.municipality_id


#: The key under which a list of participants is noted: one row, no participant.
LIST = 0


def access_note_list(user: User) -> None:
    """Note that the page being answered lists participants (codes, dates, places): one row
    without a participant, so that the review sees who looked through lists, not one row for
    every participant on them."""
    notes = _notes.get()
    if notes is not None and user.municipality_id is not None:
        notes[LIST] = user.municipality_id


def access_note_ids(municipality_id: int, participant_ids: Iterable[int]) -> None:
    notes = _notes.get()
    if notes is None:
        return
    for pk in participant_ids:
        notes[pk] = municipality_id


def access_write(
    *,
    user: User,
    notes: dict[int, int],
    page: str,
    changed: bool,
    address: str | None,
    at: dt.datetime | None = None,
    reasons: dict[str, dict[str, str]] | None = None,
) -> None:
    """Append one row per noted participant, chained per municipality. ``at`` is now, except
    for the demo's synthetic history."""
    by_municipality: dict[int, list[int]] = {}
    for participant_id, municipality_id in sorted(notes.items()):
        by_municipality.setdefault(municipality_id, []).append(participant_id)
    with transaction.atomic():
        for municipality_id, participant_ids in by_municipality.items():
            # One writer at a time per municipality, so the chain never forks.
            list(Municipality.objects.select_for_update().filter(pk=municipality_id).values("pk"))
            last = (
                ParticipantAccess.objects.filter(municipality_id=municipality_id)
                .order_by("-pk")
                .values_list("digest", flat=True)
                .first()
            )
            previous = last or ""
            when = at or timezone.now()
            rows = []
            for participant_id in participant_ids:
                row = ParticipantAccess(
                    municipality_id=municipality_id,
                    participant_id=participant_id or None,
                    user=user,
                    role=user.role,
                    at=when,
                    page=page[:60],
                    changed=changed,
                    address=address,
                    reason=((reasons or {}).get(str(participant_id)) or {}).get("reason", "")[:300],
                    previous=previous,
                )
                row.digest = row.content_digest()
                previous = row.digest
                rows.append(row)
            ParticipantAccess.objects.bulk_create(rows)


class AccessLogMiddleware:
    """Writes what the page noted, once it has answered with something the user saw."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        notes: dict[int, int] = {}
        token = _notes.set(notes)
        session = getattr(request, "session", None)
        reasons = dict(session.get(GRANTS, {})) if session is not None else {}
        grants_token = _grants.set(reasons)
        try:
            response = self.get_response(request)
        finally:
            _notes.reset(token)
            _grants.reset(grants_token)
        user = getattr(request, "user", None)
        shown = response.status_code < 500 and response.status_code not in (401, 403, 404, 405)
        if notes and shown and isinstance(user, User) and user.is_authenticated:
            match = request.resolver_match
            access_write(
                user=user,
                notes=notes,
                page=(match.url_name or match.view_name) if match else request.path[:60],
                # A form saves with a redirect; the API's writes are PUTs that answer 2xx.
                changed=(request.method == "POST" and 300 <= response.status_code < 400)
                or (request.method in ("PUT", "PATCH", "DELETE") and response.status_code < 300),
                address=client_address(request),
                reasons=reasons,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ReasonRequired):
            url = reverse("access_reason", args=[exception.participant_id])
            return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return None


@dataclass(frozen=True)
class ChainCheck:
    """The result of walking one municipality's log: ``broken`` is the first row that does not
    match its digest or does not follow the row before it."""

    rows: int
    broken: ParticipantAccess | None


def access_chain_check(
    municipality_id: int, *, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> ChainCheck:
    """Recompute the digests of the rows written from ``start`` to ``end`` (all of them when
    not given), oldest first, each against the row before it (``platsa verify_access_log``
    walks the whole log; the review page the month it shows).

    The oldest row kept may follow rows removed by the log's retention: its ``previous`` is
    taken as given.
    """
    log = ParticipantAccess.objects.filter(municipality_id=municipality_id)
    span = log
    if start is not None:
        span = span.filter(at__gte=start)
    if end is not None:
        span = span.filter(at__lt=end)
    bounds = span.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return ChainCheck(rows=0, broken=None)
    previous: str | None = (
        log.filter(pk__lt=bounds["first"]).order_by("-pk").values_list("digest", flat=True).first()
    )
    count = 0
    rows = log.filter(pk__gte=bounds["first"], pk__lte=bounds["last"]).order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        count += 1
        if (previous is not None and row.previous != previous) or (
            row.digest != row.content_digest()
        ):
            return ChainCheck(rows=count, broken=row)
        previous = row.digest
    return ChainCheck(rows=count, broken=None)


@dataclass(frozen=True)
class AccessSearch:
    participant_code: str = ""
    username: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    protected_only: bool = False


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def access_list_for_user(user: User, search: AccessSearch) -> QuerySet[ParticipantAccess]:
    """The log of the user's own municipality, newest first, narrowed by ``search``."""
    rows = ParticipantAccess.objects.filter(municipality_id=user.municipality_id)
    if search.participant_code:
        rows = rows.filter(participant__code=search.participant_code)
    if search.username:
        rows = rows.filter(user__username=search.username)
    if search.start:
        rows = rows.filter(at__gte=_day_start(search.start))
    if search.end:
        rows = rows.filter(at__lt=_day_start(search.end + dt.timedelta(days=1)))
    if search.protected_only:
        rows = rows.filter(participant__protected_identity=True)
    return (
        rows.select_related("participant", "user")
        .prefetch_related("reviews__reviewer")
        .order_by("-at", "-pk")
    )


def month_span(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the month and of the next, in the municipality's time."""
    first = month.replace(day=1)
    return _day_start(first), _day_start((first + dt.timedelta(days=32)).replace(day=1))


def month_sample(municipality_id: int, month: dt.date) -> list[ParticipantAccess]:
    """The month's rows to review: a random draw of ``SAMPLE_SIZE``, the same every time it is
    asked for (seeded by municipality and month), plus every change saved by an administrator
    and every access to a person with protected personal data.
    """
    first, after = month_span(month)
    rows = ParticipantAccess.objects.filter(
        municipality_id=municipality_id, at__gte=first, at__lt=after
    )
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    drawn = set(
        random.Random(f"{municipality_id}:{month:%Y-%m}").sample(ids, min(SAMPLE_SIZE, len(ids)))
    )
    drawn |= set(rows.filter(role=Role.ADMIN, changed=True).values_list("pk", flat=True))
    drawn |= set(rows.filter(participant__protected_identity=True).values_list("pk", flat=True))
    drawn |= set(rows.exclude(reason="").values_list("pk", flat=True))
    return list(
        ParticipantAccess.objects.filter(pk__in=drawn)
        .select_related("participant", "user")
        .prefetch_related("reviews__reviewer")
        .order_by("at", "pk")
    )


def review_record(
    *, reviewer: User, access: ParticipantAccess, outcome: ReviewOutcome, note: str
) -> AccessReview:
    """The documented check of one sampled row; a later check is added, never overwrites."""
    return AccessReview.objects.create(
        access=access, outcome=outcome, note=note, reviewer=reviewer, reviewed_at=timezone.now()
    )


def previous_month(on: dt.date) -> dt.date:
    return (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def review_status(user: User, *, on: dt.date) -> tuple[dt.date, int, int]:
    """Last month's sample: the month, its rows, how many reviewed (the reviewer's start page)."""
    month = previous_month(on)
    sample = month_sample(user.municipality_id, month)  # type: ignore[arg-type]
    return month, len(sample), sum(1 for a in sample if a.review is not None)
