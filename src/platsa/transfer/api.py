"""The REST API under ``/api/v1/`` (django-ninja): agreements, places, occupancy, placements,
attendance and the checks after the end, for the municipality's own systems and the suppliers'.

Every call is made with a personal API key (``Authorization: Bearer …``) and answers as the
key's user: the same role table and the same selectors as the pages, so a key reaches exactly
what its user reaches in the app, and every call that reads or changes a participant's data
goes into the access log like a page would. Writes are idempotent: reporting a day again
updates it; a repeated ``Idempotency-Key`` gives the first answer again and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.security import HttpBearer
from ninja.throttling import UserRateThrottle
from pydantic import field_validator

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.permissions import count_threshold, require
from platsa.placements.access import ReasonRequired, access_note_list
from platsa.placements.models import ExitCheck, Placement
from platsa.placements.selectors import placement_get_for_user, placement_list_for_user, status_q
from platsa.placements.services import DayReport, attendance_report, exit_check_record
from platsa.procurement.selectors import agreement_get_for_user, agreement_list_for_user
from platsa.transfer.models import ApiToken, IdempotentRequest
from platsa.transfer.tokens import token_digest

#: The longest period one request may ask for.
MAX_DAYS = 366
MAX_PAGE = 500


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True, expires_on__gte=today())
            .first()
        )
        if found is None or not found.user.is_active or found.user.municipality_id is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user  # the access log and the throttle see who it is
        return found


api = NinjaAPI(
    title="platsa API",
    version="1",
    description=(
        "Agreements, places, occupancy, placements, attendance and after-exit answers of one "
        "municipality, as the key's user may see them. Make a key under *API-nycklar* in the "
        "app and send it as `Authorization: Bearer <key>`."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=TokenAuth(),
    throttle=[UserRateThrottle(settings.PLATSA_API_RATE)],
)


class Problem(Schema):
    detail: str | list[dict[str, Any]]


ERRORS: dict[int, type[Schema]] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}


def _problem(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _problem(request, 403, _("Your role may not do this."))


@api.exception_handler(ReasonRequired)
def _reason(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _problem(
        request,
        403,
        _(
            "The participant is in another coach's caseload: open the record in the app and say why."
        ),
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _problem(request, 404, _("Not found."))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = (
        [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
        if hasattr(exc, "error_dict")
        else list(exc.messages)
    )
    return _problem(request, 422, "; ".join(messages))


def _user(request: HttpRequest, *query: str) -> User:
    """The key's user; refuses query parameters the operation does not take (a typo in a
    filter must not silently return everything)."""
    unknown = sorted(set(request.GET) - set(query))
    if unknown:
        raise ValidationError(
            _("Unknown parameter(s): %(names)s") % {"names": ", ".join(unknown)[:200]}
        )
    user = request.user
    assert isinstance(user, User)
    return user


def _period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError(_("The end is before the start."))
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(_("Ask for at most %(n)s days at a time.") % {"n": MAX_DAYS})


# Agreements and places.


class AgreementOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    reference: str
    start: dt.date
    end: dt.date
    payment_model: str
    price_sek: float
    places_today: int


class PlaceOut(Schema):
    id: int
    label: str
    work_type: str | None
    location: str


@api.get("/agreements", response={200: list[AgreementOut], **ERRORS}, tags=["agreements"])
def agreements(request: HttpRequest) -> list[dict[str, Any]]:
    """The agreements the user may see (a supervisor: their organisation's)."""
    on = today()
    return [
        {
            "id": a.pk,
            "organisation_id": a.organisation_id,
            "organisation": a.organisation.name,
            "reference": a.reference,
            "start": a.start_date,
            "end": a.end_date,
            "payment_model": a.payment_model,
            "price_sek": float(a.price_sek),
            "places_today": a.places_on(on),
        }
        for a in agreement_list_for_user(_user(request)).select_related("organisation")
    ]


@api.get(
    "/agreements/{agreement_id}/places",
    response={200: list[PlaceOut], **ERRORS},
    tags=["agreements"],
)
def places(request: HttpRequest, agreement_id: int) -> list[dict[str, Any]]:
    agreement = agreement_get_for_user(_user(request), agreement_id)
    return [
        {
            "id": p.pk,
            "label": p.label,
            "work_type": p.work_type.code if p.work_type else None,
            "location": p.location,
        }
        for p in agreement.places.select_related("work_type")
    ]


# Occupancy.


class OccupancyRow(Schema):
    agreement_id: int
    organisation: str
    place_days: float
    occupied_place_days: float | None = Field(
        description="Null when the average is under the smallest group the user may see."
    )
    utilisation: float | None


class OccupancyOut(Schema):
    start: dt.date
    end: dt.date
    agreements: list[OccupancyRow]


class PeriodQuery(Schema):
    start: dt.date = Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    end: dt.date = Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))


@api.get("/occupancy", response={200: OccupancyOut, **ERRORS}, tags=["occupancy"])
def occupancy(request: HttpRequest, period: Query[PeriodQuery]) -> dict[str, Any]:
    """Places and occupied places per agreement over a period of at most 366 days."""
    from platsa.occupancy.selectors import scope_for_user
    from platsa.placements.occupancy import occupancy_for

    user = _user(request, "start", "end")
    _period(period.start, period.end)
    result, agreements_ = occupancy_for(
        scope_for_user(user), start=period.start, end=period.end, as_of=today()
    )
    threshold = count_threshold(user)
    days = max(1, (period.end - period.start).days + 1)
    rows = []
    for i, agreement in enumerate(agreements_):
        capacity = float(result.capacity[i].sum())
        occupied = float(result.occupied[i].sum())
        hidden = threshold > 1 and 0 < occupied / days < threshold
        rows.append(
            {
                "agreement_id": agreement.pk,
                "organisation": agreement.organisation.name,
                "place_days": capacity,
                "occupied_place_days": None if hidden else occupied,
                "utilisation": None if hidden or not capacity else occupied / capacity,
            }
        )
    return {"start": period.start, "end": period.end, "agreements": rows}


# Placements.


class PlacementOut(Schema):
    id: int
    participant: str
    organisation_id: int
    organisation: str
    agreement_id: int | None
    place_id: int | None
    start: dt.date
    planned_end: dt.date | None
    end: dt.date | None
    destination: str | None
    scope_percent: int | None


class PlacementPage(Schema):
    count: int
    items: list[PlacementOut]


class PlacementQuery(Schema):
    status: Literal["planned", "ongoing", "ended"] | None = None
    organisation_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    limit: int = Field(default=100, ge=1, le=MAX_PAGE)
    offset: int = Field(default=0, ge=0, le=10**6)


def _placement(p: Placement) -> dict[str, Any]:
    return {
        "id": p.pk,
        "participant": p.participant.code,
        "organisation_id": p.organisation_id,
        "organisation": p.organisation.name,
        "agreement_id": p.agreement_id,
        "place_id": p.place_id,
        "start": p.start_date,
        "planned_end": p.planned_end,
        "end": p.actual_end,
        "destination": p.destination or None,
        "scope_percent": p.scope_percent,
    }


@api.get("/placements", response={200: PlacementPage, **ERRORS}, tags=["placements"])
def placements(request: HttpRequest, query: Query[PlacementQuery]) -> dict[str, Any]:
    """Placements the user may list, newest first, a page at a time."""
    from platsa.engine.quality import PlacementStatus

    user = _user(request, "status", "organisation_id", "limit", "offset")
    qs = placement_list_for_user(user, organisation_id=query.organisation_id, on=today())
    if query.status is not None:
        qs = qs.filter(status_q(PlacementStatus(query.status), on=today()))
    qs = qs.order_by("-start_date", "-pk")
    access_note_list(user)
    page = list(qs[query.offset : query.offset + query.limit])
    return {"count": qs.count(), "items": [_placement(p) for p in page]}


@api.get("/placements/{placement_id}", response={200: PlacementOut, **ERRORS}, tags=["placements"])
def placement(request: HttpRequest, placement_id: int) -> dict[str, Any]:
    return _placement(placement_get_for_user(_user(request), placement_id, on=today()))


# Attendance.


class AttendanceIn(Schema):
    status: Literal["present", "absent"]
    hours: float | None = Field(default=None, ge=0, le=24)
    absence_reason: Literal["", "illness", "notified", "no_show", "other"] = ""

    @field_validator("hours")
    @classmethod
    def _quarter_hours(cls, value: float | None) -> float | None:
        if value is not None and round(value * 100) != value * 100:
            raise ValueError("hours have at most two decimals")
        return value


class AttendanceOut(Schema):
    placement_id: int
    date: dt.date
    status: str
    hours: float | None
    absence_reason: str


def _attendance(a: Any) -> dict[str, Any]:
    return {
        "placement_id": a.placement_id,
        "date": a.date,
        "status": a.status,
        "hours": None if a.hours is None else float(a.hours),
        "absence_reason": a.absence_reason,
    }


@api.get(
    "/placements/{placement_id}/attendance",
    response={200: list[AttendanceOut], **ERRORS},
    tags=["attendance"],
)
def attendance_list(
    request: HttpRequest, placement_id: int, period: Query[PeriodQuery]
) -> list[dict[str, Any]]:
    user = _user(request, "start", "end")
    require(user, "report_attendance")
    _period(period.start, period.end)
    p = placement_get_for_user(user, placement_id, on=today())
    days = p.attendance.filter(date__range=(period.start, period.end)).order_by("date")
    return [_attendance(a) for a in days]


def _replayed(
    request: HttpRequest, body: dict[str, Any]
) -> HttpResponse | IdempotentRequest | None:
    """With an ``Idempotency-Key``: the first answer again, a refusal for a different body
    under the same key, or a new record to fill in once the write is done."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > 200:
        return _problem(request, 400, _("The Idempotency-Key is longer than 200 characters."))
    token = request.auth  # type: ignore[attr-defined]
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    earlier = IdempotentRequest.objects.filter(token=token, key=key).first()
    if earlier is not None:
        if (earlier.method, earlier.path, earlier.body_digest) != (
            request.method,
            request.path,
            digest,
        ):
            return _problem(request, 422, _("This Idempotency-Key was used for another request."))
        return api.create_response(request, earlier.response, status=earlier.status)
    return IdempotentRequest(
        token=token, key=key, method=request.method or "", path=request.path, body_digest=digest
    )


def _remember(record: IdempotentRequest | None, status: int, response: dict[str, Any]) -> None:
    if record is None:
        return
    record.status, record.response = status, json.loads(json.dumps(response, default=str))
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        pass  # the same key, sent twice at once: the first one's answer stands


@api.put(
    "/placements/{placement_id}/attendance/{day}",
    response={200: AttendanceOut, **ERRORS},
    tags=["attendance"],
)
def attendance_put(
    request: HttpRequest, placement_id: int, day: dt.date, payload: AttendanceIn
) -> Any:
    """Report one day. Reporting the same day again updates it (keeping what it said before);
    there is never more than one row per placement and day."""
    user = _user(request)
    require(user, "report_attendance")
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise ValidationError(_("The day is outside the years 2000–2100."))
    replay = _replayed(request, {"day": day, **payload.dict()})
    if isinstance(replay, HttpResponse):
        return replay
    p = placement_get_for_user(user, placement_id, on=today())
    # The service validates the day as the week page does (a reason only for an absence…).
    (saved,) = attendance_report(
        placement=p,
        reports=[
            DayReport(
                day=day,
                status=payload.status,
                hours=None if payload.hours is None else Decimal(str(payload.hours)),
                absence_reason=payload.absence_reason,
            )
        ],
        by=user,
    )
    response = _attendance(saved)
    _remember(replay, 200, response)
    return response


# After-exit checks.


class ExitCheckOut(Schema):
    id: int
    placement_id: int
    months_after: int
    due_date: dt.date
    checked_on: dt.date | None
    status: str | None
    source: str | None


class ExitCheckIn(Schema):
    checked_on: dt.date = Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    status: Literal["employment", "studies", "social_assistance", "other_measure", "unknown"]
    source: Literal["", "participant", "supplier", "register", "case_system"] = ""


def _check(c: ExitCheck) -> dict[str, Any]:
    return {
        "id": c.pk,
        "placement_id": c.placement_id,
        "months_after": c.months_after,
        "due_date": c.due_date,
        "checked_on": c.checked_on,
        "status": c.status or None,
        "source": c.source or None,
    }


class DueQuery(Schema):
    due_before: dt.date | None = Field(
        default=None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31)
    )
    open_only: bool = True


@api.get("/exit-checks", response={200: list[ExitCheckOut], **ERRORS}, tags=["after the end"])
def exit_checks(request: HttpRequest, query: Query[DueQuery]) -> list[dict[str, Any]]:
    """The checks 3, 6 and 12 months after the end, of the placements the user follows up."""
    user = _user(request, "due_before", "open_only")
    require(user, "follow_up")
    qs = ExitCheck.objects.filter(placement__in=placement_list_for_user(user, on=today())).order_by(
        "due_date", "pk"
    )
    if query.open_only:
        qs = qs.filter(checked_on__isnull=True)
    if query.due_before is not None:
        qs = qs.filter(due_date__lte=query.due_before)
    access_note_list(user)
    return [_check(c) for c in qs[:MAX_PAGE]]


@api.put("/exit-checks/{check_id}", response={200: ExitCheckOut, **ERRORS}, tags=["after the end"])
def exit_check_put(request: HttpRequest, check_id: int, payload: ExitCheckIn) -> Any:
    """Record what a check found and where the answer comes from; sending it again updates it."""
    user = _user(request)
    require(user, "follow_up")
    replay = _replayed(request, {"check": check_id, **payload.dict()})
    if isinstance(replay, HttpResponse):
        return replay
    check = ExitCheck.objects.filter(pk=check_id).first()
    if check is None:
        raise Http404
    placement_get_for_user(user, check.placement_id, on=today())  # scoped, and logged
    # The service and the model refuse an answer without its source, as the page does.
    saved = exit_check_record(
        check=check,
        checked_on=payload.checked_on,
        status=payload.status,
        source=payload.source,
        by=user,
    )
    response = _check(saved)
    _remember(replay, 200, response)
    return response
