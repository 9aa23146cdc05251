"""The API as its users meet it: keys made and revoked in the app, the same scoping as the pages,
idempotent attendance, the access log, clear refusals and a rate limit."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from platsa.accounts.models import User
from platsa.placements.models import Attendance, AttendanceChange, ExitCheck, ParticipantAccess
from platsa.transfer.api import api
from platsa.transfer.models import ApiToken
from platsa.transfer.tokens import token_create
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2023, 5, 12, 12, tzinfo=dt.UTC)


def _key(user: User, days: int = 30) -> str:
    _token, secret = token_create(user, name="test", days=days, today=dt.date.today())
    return secret


def _api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_key_is_made_in_the_app_shown_once_stored_hashed_and_revoked(world: World) -> None:
    web = client_for(world.coach)
    page = web.post(
        reverse("api_tokens"), {"name": "Verksamhetssystemet", "days": "90"}, follow=True
    )
    text = page.content.decode()
    start = text.index('id="new-key">') + len('id="new-key">')
    secret = text[start : text.index("<", start)]
    assert secret.startswith("platsa_") and len(secret) > 40
    token = ApiToken.objects.get()
    assert (token.name, token.user) == ("Verksamhetssystemet", world.coach)
    assert token.expires_on == dt.date.today() + dt.timedelta(days=90)
    assert secret not in (token.digest, token.prefix) and secret.startswith(token.prefix)
    # Shown once: the list afterwards has its start only.
    listed = web.get(reverse("api_tokens")).content.decode()
    assert secret not in listed and token.prefix in listed and "Verksamhetssystemet" in listed
    assert _api(secret).get("/api/v1/agreements").status_code == 200
    web.post(reverse("api_token_revoke", args=[token.pk]))
    assert _api(secret).get("/api/v1/agreements").status_code == 401
    # Another user cannot revoke (or see) it.
    other = _key(world.manager)
    mine = ApiToken.objects.get(user=world.manager)
    assert web.post(reverse("api_token_revoke", args=[mine.pk])).status_code == 404
    assert _api(other).get("/api/v1/agreements").status_code == 200


def test_an_untouched_key_form_makes_no_key(world: World) -> None:
    response = client_for(world.coach).post(reverse("api_tokens"), {})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    assert response.content.decode().count('class="field-error"') == 2


def test_the_log_reviewer_makes_no_keys(world: World) -> None:
    assert client_for(world.reviewer).get(reverse("api_tokens")).status_code == 403
    secret = _key(world.reviewer)  # even a key made behind the app's back reaches nothing
    assert _api(secret).get("/api/v1/agreements").status_code == 403


def test_an_expired_or_wrong_key_is_refused(world: World) -> None:
    secret = _key(world.coach, days=1)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=3)):
        assert _api(secret).get("/api/v1/agreements").status_code == 401
    assert _api(secret + "x").get("/api/v1/agreements").status_code == 401
    assert Client().get("/api/v1/agreements").status_code == 401


@time_machine.travel(NOW, tick=False)
def test_a_supervisor_s_key_reaches_their_organisation_only(world: World) -> None:
    client = _api(_key(world.supervisor_rk))
    agreements = client.get("/api/v1/agreements").json()
    assert [a["organisation"] for a in agreements] == ["Röda Korset"]
    placements = client.get("/api/v1/placements").json()
    assert {p["organisation"] for p in placements["items"]} == {"Röda Korset"}
    hej = world.placement("OST-06")  # Hej Främling
    assert client.get(f"/api/v1/placements/{hej.pk}").status_code == 404
    elsewhere = world.elsewhere_placement
    assert client.get(f"/api/v1/placements/{elsewhere.pk}").status_code == 404
    assert (
        client.put(
            f"/api/v1/placements/{hej.pk}/attendance/2023-05-10",
            {"status": "present"},
            content_type="application/json",
        ).status_code
        == 404
    )


@time_machine.travel(NOW, tick=False)
def test_an_analyst_s_key_reads_no_placements_and_small_occupancy_is_hidden(
    world: World,
) -> None:
    client = _api(_key(world.analyst))
    assert client.get("/api/v1/placements").status_code == 403
    occupancy = client.get("/api/v1/occupancy", {"start": "2023-05-01", "end": "2023-05-31"})
    rows = occupancy.json()["agreements"]
    assert len(rows) == 5 and all(r["place_days"] > 0 for r in rows)
    # No agreement had five people on average: the analyst sees the places, not the people.
    assert all(r["occupied_place_days"] is None and r["utilisation"] is None for r in rows)
    manager = _api(_key(world.manager)).get(
        "/api/v1/occupancy", {"start": "2023-05-01", "end": "2023-05-31"}
    )
    assert sum(r["occupied_place_days"] for r in manager.json()["agreements"]) > 0


@time_machine.travel(NOW, tick=False)
def test_attendance_is_reported_once_per_day_and_an_idempotency_key_replays(
    world: World,
) -> None:
    client = _api(_key(world.supervisor_rk))
    placement = world.placement("OST-17")  # Röda Korset, from 2023-04-11
    url = f"/api/v1/placements/{placement.pk}/attendance/2023-05-10"
    first = client.put(url, {"status": "present", "hours": 6.5}, content_type="application/json")
    assert first.status_code == 200
    assert first.json() == {
        "placement_id": placement.pk,
        "date": "2023-05-10",
        "status": "present",
        "hours": 6.5,
        "absence_reason": "",
    }
    again = client.put(
        url,
        {"status": "absent", "absence_reason": "illness"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="vecka-19-rad-1",
    )
    assert again.json()["status"] == "absent"
    assert Attendance.objects.filter(placement=placement, date="2023-05-10").count() == 1
    assert AttendanceChange.objects.count() == 1  # the first answer is kept as history
    replay = client.put(
        url,
        {"status": "absent", "absence_reason": "illness"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="vecka-19-rad-1",
    )
    assert replay.status_code == 200 and replay.json() == again.json()
    assert AttendanceChange.objects.count() == 1
    reused = client.put(
        url,
        {"status": "present"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="vecka-19-rad-1",
    )
    assert reused.status_code == 422 and "Idempotency-Key" in reused.json()["detail"]
    # Every write is in the access log, as a change by the key's user.
    logged = ParticipantAccess.objects.filter(
        participant=placement.participant, user=world.supervisor_rk, changed=True
    )
    assert logged.count() == 2


@time_machine.travel(NOW, tick=False)
def test_bad_attendance_is_refused_with_a_clear_message(world: World) -> None:
    client = _api(_key(world.supervisor_rk))
    placement = world.placement("OST-17")

    def put(day: str, body: dict[str, object]) -> tuple[int, object]:
        response = client.put(
            f"/api/v1/placements/{placement.pk}/attendance/{day}",
            json.dumps(body),
            content_type="application/json",
        )
        return response.status_code, response.json()["detail"]

    assert put("2023-05-20", {"status": "present"}) == (
        422,
        "2023-05-20.date: En dag i framtiden kan inte rapporteras.",
    )
    assert put("2023-04-01", {"status": "present"})[0] == 422  # before the placement
    status, detail = put("2023-05-10", {"status": "absent"})
    assert status == 422 and "frånvaro" in str(detail).lower()
    assert put("2023-05-10", {"status": "present", "hours": 25})[0] == 422
    status, detail = put("2023-05-10", {"status": "present", "absence_reason": "illness"})
    assert status == 422 and "absence_reason" in str(detail)
    assert put("2023-05-10", {"status": "maybe"})[0] == 422
    assert not Attendance.objects.filter(placement=placement).exists()
    assert client.get("/api/v1/placements", {"statuss": "ongoing"}).status_code == 422


@time_machine.travel(dt.datetime(2023, 11, 20, 12, tzinfo=dt.UTC), tick=False)
def test_an_after_exit_answer_is_recorded_through_the_api(world: World) -> None:
    placement = world.placement("OST-16")  # ended 2023-02-01
    check = ExitCheck.objects.create(placement=placement, months_after=6, due_date="2023-08-01")
    client = _api(_key(world.coach))
    due = client.get("/api/v1/exit-checks", {"due_before": "2023-09-01"}).json()
    assert [c["id"] for c in due] == [check.pk]
    response = client.put(
        f"/api/v1/exit-checks/{check.pk}",
        {"checked_on": "2023-08-03", "status": "studies", "source": "participant"},
        content_type="application/json",
    )
    assert response.status_code == 200
    check.refresh_from_db()
    assert (check.checked_on, check.status, check.checked_by) == (
        dt.date(2023, 8, 3),
        "studies",
        world.coach,
    )
    no_source = client.put(
        f"/api/v1/exit-checks/{check.pk}",
        {"checked_on": "2023-08-03", "status": "employment"},
        content_type="application/json",
    )
    assert no_source.status_code == 422


def test_calls_past_the_rate_are_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    (throttle,) = api.throttle  # type: ignore[misc]
    monkeypatch.setattr(throttle, "num_requests", 3)
    client = _api(_key(world.manager))
    statuses = [client.get("/api/v1/agreements").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    cache.clear()


def test_the_schema_and_the_docs_are_served(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "platsa API"
    assert "/api/v1/placements/{placement_id}/attendance/{day}" in schema["paths"]
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()  # served from our own static files


def test_remembered_answers_go_with_the_daily_purge(world: World) -> None:
    from django.core.management import call_command

    from platsa.transfer.models import IdempotentRequest

    with time_machine.travel(NOW, tick=False):
        placement = world.placement("OST-17")
        _api(_key(world.supervisor_rk, days=30)).put(
            f"/api/v1/placements/{placement.pk}/attendance/2023-05-10",
            {"status": "present"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )
        assert IdempotentRequest.objects.count() == 1
        call_command("purge", "--municipality", "2380", stdout=io.StringIO())
        assert IdempotentRequest.objects.count() == 1  # a retry the same day still replays
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        call_command("purge", "--municipality", "2380", stdout=io.StringIO())
    assert not IdempotentRequest.objects.exists()
