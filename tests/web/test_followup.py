"""Attendance, closing, after-exit checks, meetings and the journey: who may, and what is kept."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platsa.occupancy.alerts import _running_after_expiry
from platsa.placements.models import Attendance, AttendanceChange, ExitCheck, FollowUpMeeting
from platsa.placements.occupancy import Scope, agreements_in_scope
from platsa.placements.services import DayReport, attendance_report
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.datetime(2023, 5, 10, 12, tzinfo=dt.UTC)  # OST-17 is placed at Röda Korset
WEEK = "2023-W19"  # 2023-05-08 – 2023-05-14


def _week_post(**days: str) -> dict[str, str]:
    data = {"vecka": WEEK}
    data.update(days)
    return data


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_supervisor_reports_a_week_in_one_post_and_again_updates_with_history(
    world: World,
) -> None:
    placement = world.placement("OST-17")
    client = client_for(world.supervisor_rk)
    url = reverse("attendance_week", args=[placement.pk])
    page = client.get(url, {"vecka": WEEK})
    assert page.status_code == 200 and "Måndag 2023-05-08" in page.content.decode()
    response = client.post(
        url,
        _week_post(
            **{
                "status-2023-05-08": "present",
                "hours-2023-05-08": "4,5",
                "status-2023-05-09": "absent",
                "reason-2023-05-09": "illness",
                "status-2023-05-10": "present",
                "hours-2023-05-10": "5",
            }
        ),
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(placement=placement).count() == 3
    assert Attendance.objects.get(placement=placement, date=dt.date(2023, 5, 8)).hours == Decimal(
        "4.5"
    )
    client.post(url, _week_post(**{"status-2023-05-09": "present", "hours-2023-05-09": "3"}))
    corrected = Attendance.objects.get(placement=placement, date=dt.date(2023, 5, 9))
    assert (
        corrected.status == "present"
        and Attendance.objects.filter(placement=placement).count() == 3
    )
    change = AttendanceChange.objects.get(attendance=corrected)
    assert change.before["status"] == "absent" and change.before["absence_reason"] == "illness"
    assert change.changed_by == world.supervisor_rk


@time_machine.travel(WEDNESDAY, tick=False)
def test_every_weekday_present_fills_the_week_up_to_today(world: World) -> None:
    placement = world.placement("OST-17")
    client_for(world.supervisor_rk).post(
        reverse("attendance_week", args=[placement.pk]), _week_post(all_present="1", all_hours="6")
    )
    days = sorted(a.date.isoformat() for a in Attendance.objects.filter(placement=placement))
    assert days == ["2023-05-08", "2023-05-09", "2023-05-10"]  # not Thursday: it is in the future


@time_machine.travel(WEDNESDAY, tick=False)
def test_bad_hours_are_refused_naming_the_day_and_nothing_is_saved(world: World) -> None:
    placement = world.placement("OST-17")
    response = client_for(world.supervisor_rk).post(
        reverse("attendance_week", args=[placement.pk]),
        _week_post(
            **{
                "status-2023-05-08": "present",
                "hours-2023-05-08": "4",
                "status-2023-05-09": "present",
                "hours-2023-05-09": "25",
            }
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Inget sparades" in page and "24" in page
    assert "2023-05-09.hours" in response.context["errors"]
    assert not Attendance.objects.filter(placement=placement).exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_an_absence_needs_a_reason(world: World) -> None:
    placement = world.placement("OST-17")
    response = client_for(world.supervisor_rk).post(
        reverse("attendance_week", args=[placement.pk]),
        _week_post(**{"status-2023-05-08": "absent"}),
    )
    assert "Ange orsak till frånvaron." in response.content.decode()
    assert not Attendance.objects.exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_days_outside_the_placement_or_in_the_future_are_refused(world: World) -> None:
    placement = world.placement("OST-17")  # starts 2023-04-11
    with pytest.raises(ValidationError) as info:
        attendance_report(
            placement=placement,
            reports=[DayReport(dt.date(2023, 4, 10), "present")],
            by=world.supervisor_rk,
        )
    assert "2023-04-10.date" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        attendance_report(
            placement=placement,
            reports=[DayReport(dt.date(2023, 5, 11), "present")],
            by=world.supervisor_rk,
        )
    assert "2023-05-11.date" in info.value.message_dict


@time_machine.travel(WEDNESDAY, tick=False)
def test_one_row_per_day_is_a_database_constraint(world: World) -> None:
    placement = world.placement("OST-17")
    Attendance.objects.create(
        placement=placement,
        date=dt.date(2023, 5, 8),
        status="present",
        reported_by=world.supervisor_rk,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            placement=placement, date=dt.date(2023, 5, 8), status="absent", reported_by=world.coach
        )
    # The service meets the existing row and updates it instead, keeping the history.
    attendance_report(
        placement=placement,
        reports=[DayReport(dt.date(2023, 5, 8), "absent", None, "no_show")],
        by=world.coach,
    )
    assert (
        Attendance.objects.get(placement=placement, date=dt.date(2023, 5, 8)).absence_reason
        == "no_show"
    )
    assert AttendanceChange.objects.count() == 1


@time_machine.travel(WEDNESDAY, tick=False)
def test_who_may_report_attendance(world: World) -> None:
    rk, hej = world.placement("OST-17"), world.placement("OST-06")
    assert (
        client_for(world.supervisor_rk).get(reverse("attendance_week", args=[hej.pk])).status_code
        == 404
    )
    assert (
        client_for(world.manager).get(reverse("attendance_week", args=[rk.pk])).status_code == 403
    )
    assert (
        client_for(world.analyst).get(reverse("attendance_week", args=[rk.pk])).status_code == 403
    )
    assert (
        client_for(world.elsewhere_coach).get(reverse("attendance_week", args=[rk.pk])).status_code
        == 404
    )
    assert client_for(world.coach).get(reverse("attendance_week", args=[rk.pk])).status_code == 200
    ended = world.placement("OST-15")
    assert (
        client_for(world.supervisor_rk).get(reverse("attendance_week", args=[ended.pk])).status_code
        == 404
    )


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_coach_closes_a_placement_and_checks_are_scheduled(world: World) -> None:
    placement = world.placement("OST-06")
    response = client_for(world.coach).post(
        reverse("placement_close", args=[placement.pk]),
        {"end": "2023-05-10", "destination": "studies", "reason": "Började på komvux."},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.actual_end, placement.destination) == (dt.date(2023, 5, 10), "studies")
    assert [
        (c.months_after, c.due_date) for c in ExitCheck.objects.filter(placement=placement)
    ] == [(3, dt.date(2023, 8, 10)), (6, dt.date(2023, 11, 10)), (12, dt.date(2024, 5, 10))]
    # The supplier sees where the participant went.
    rows = client_for(world.supervisor_hf).get(reverse("placement_list")).context["rows"]
    assert any(
        r.placement.pk == placement.pk and r.placement.destination == "studies" for r in rows
    )


@time_machine.travel(WEDNESDAY, tick=False)
def test_closing_is_refused_for_a_supervisor_and_for_an_end_before_the_start(world: World) -> None:
    placement = world.placement("OST-06")
    assert (
        client_for(world.supervisor_hf)
        .get(reverse("placement_close", args=[placement.pk]))
        .status_code
        == 403
    )
    response = client_for(world.coach).post(
        reverse("placement_close", args=[placement.pk]),
        {"end": "2023-01-01", "destination": "unknown"},
    )
    assert "Slutet får inte ligga före starten." in response.content.decode()
    placement.refresh_from_db()
    assert placement.actual_end is None and not ExitCheck.objects.exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_closing_before_reported_attendance_is_refused(world: World) -> None:
    placement = world.placement("OST-06")
    attendance_report(
        placement=placement,
        reports=[DayReport(dt.date(2023, 5, 9), "present")],
        by=world.supervisor_hf,
    )
    response = client_for(world.coach).post(
        reverse("placement_close", args=[placement.pk]),
        {"end": "2023-05-08", "destination": "unknown"},
    )
    assert "närvaro rapporterad efter 2023-05-08" in response.content.decode()
    placement.refresh_from_db()
    assert placement.actual_end is None


@time_machine.travel(WEDNESDAY, tick=False)
def test_after_exit_checks_are_recorded_and_remind_the_coach(world: World) -> None:
    placement = world.placement("OST-06")
    client_for(world.coach).post(
        reverse("placement_close", args=[placement.pk]),
        {"end": "2023-05-10", "destination": "unknown"},
    )
    check = ExitCheck.objects.get(placement=placement, months_after=3)
    with time_machine.travel(dt.datetime(2023, 8, 1, 12, tzinfo=dt.UTC), tick=False):
        alerts = client_for(world.coach).get(reverse("home")).context["alerts"]
        assert any(a.kind == "exit_check_due" and "OST-06" in a.message for a in alerts)
        answer = {
            f"check-{check.pk}-checked_on": "2023-08-01",
            f"check-{check.pk}-status": "employment",
            f"check-{check.pk}-source": "participant",
        }
        assert (
            client_for(world.elsewhere_coach)
            .post(reverse("exit_check", args=[check.pk]), answer)
            .status_code
            == 404
        )
        client_for(world.coach).post(reverse("exit_check", args=[check.pk]), answer)
        page = client_for(world.coach).get(
            reverse("participant_timeline", args=[placement.participant_id])
        )
    check.refresh_from_db()
    assert (check.checked_on, check.status, check.source, check.checked_by) == (
        dt.date(2023, 8, 1),
        "employment",
        "participant",
        world.coach,
    )
    assert "I anställning (2023-08-01; källa: Deltagaren)" in page.content.decode()


@time_machine.travel(WEDNESDAY, tick=False)
def test_an_untouched_closing_form_records_nothing_and_says_what_is_missing(
    world: World,
) -> None:
    placement = world.placement("OST-06")
    url = reverse("placement_close", args=[placement.pk])
    form = client_for(world.coach).get(url).content.decode()
    # Nothing is preselected: no destination option is selected, no date filled in.
    chunk = form.split('name="destination"')[1].split("</select>")[0]
    assert re.search(r'value="[^"]+" selected', chunk) is None
    assert 'name="end" value=' not in form
    response = client_for(world.coach).post(url, {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ange placeringens sista dag." in page
    assert "Välj vart deltagaren gick" in page
    placement.refresh_from_db()
    assert (placement.actual_end, placement.destination) == (None, "")
    assert not ExitCheck.objects.filter(placement=placement).exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_every_field_of_the_closing_form_is_stored_and_shown(world: World) -> None:
    placement = world.placement("OST-06")
    client_for(world.coach).post(
        reverse("placement_close", args=[placement.pk]),
        {"end": "2023-05-10", "destination": "unknown", "reason": "Flyttade från orten."},
    )
    placement.refresh_from_db()
    assert (placement.actual_end, placement.destination, placement.end_reason) == (
        dt.date(2023, 5, 10),
        "unknown",
        "Flyttade från orten.",
    )
    page = client_for(world.coach).get(
        reverse("participant_timeline", args=[placement.participant_id])
    )
    text = page.content.decode()
    assert "Avslutad 2023-05-10; gick vidare till: Okänt: gick inte att nå." in text
    assert "Flyttade från orten." in text


@time_machine.travel(WEDNESDAY, tick=False)
def test_an_untouched_after_exit_check_records_nothing(world: World) -> None:
    placement = world.placement("OST-06")
    client_for(world.coach).post(
        reverse("placement_close", args=[placement.pk]),
        {"end": "2023-05-10", "destination": "unknown"},
    )
    check = ExitCheck.objects.get(placement=placement, months_after=3)
    with time_machine.travel(dt.datetime(2023, 8, 14, 12, tzinfo=dt.UTC), tick=False):
        timeline = reverse("participant_timeline", args=[placement.participant_id])
        form = client_for(world.coach).get(timeline).content.decode()
        chunk = form.split(f'id="id_check-{check.pk}-status"')[1].split("</select>")[0]
        assert re.search(r'value="[^"]+" selected', chunk) is None
        assert f'name="check-{check.pk}-checked_on" value=' not in form
        response = client_for(world.coach).post(reverse("exit_check", args=[check.pk]), {})
        assert response.status_code == 400
        text = response.content.decode()
        assert "Välj vad uppföljningen visade" in text and "Ange dagen för uppföljningen." in text
        # A job needs the source of the answer; "could not be reached" does not.
        response = client_for(world.coach).post(
            reverse("exit_check", args=[check.pk]),
            {
                f"check-{check.pk}-checked_on": "2023-08-14",
                f"check-{check.pk}-status": "employment",
            },
        )
        assert "Ange varifrån svaret kommer." in response.content.decode()
        check.refresh_from_db()
        assert (check.checked_on, check.status) == (None, "")
        client_for(world.coach).post(
            reverse("exit_check", args=[check.pk]),
            {f"check-{check.pk}-checked_on": "2023-08-14", f"check-{check.pk}-status": "unknown"},
        )
    check.refresh_from_db()
    assert (check.checked_on, check.status, check.source) == (dt.date(2023, 8, 14), "unknown", "")


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_coach_records_a_three_party_meeting(world: World) -> None:
    placement = world.placement("OST-17")
    url = reverse("meeting_new", args=[placement.pk])
    response = client_for(world.coach).post(
        url,
        {
            "date": "2023-05-10",
            "coach_took_part": "on",
            "participant_took_part": "on",
            "supervisor_took_part": "on",
            "tasks": "Kassan",
            "next_steps": "Öka till 75 %",
        },
    )
    assert response.status_code == 302
    meeting = FollowUpMeeting.objects.get()
    assert meeting.parties == 3 and meeting.recorded_by == world.coach
    response = client_for(world.coach).post(url, {"date": "2023-05-10"})
    assert "Markera vilka som deltog." in response.content.decode()
    assert client_for(world.supervisor_rk).get(url).status_code == 403


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_journey_is_the_coach_s(world: World) -> None:
    placement = world.placement("OST-17")
    attendance_report(
        placement=placement,
        reports=[
            DayReport(dt.date(2023, 5, 8), "present", Decimal("4")),
            DayReport(dt.date(2023, 5, 9), "absent", None, "no_show"),
        ],
        by=world.supervisor_rk,
    )
    url = reverse("participant_timeline", args=[placement.participant_id])
    response = client_for(world.coach).get(url)
    strip = response.context["placements"][0]["strip"]
    assert (strip.present, strip.absent, strip.no_shows, strip.hours) == (1, 1, 1, 4.0)
    assert strip.weekdays == 22 and strip.unreported_weekdays == 20
    assert "Resan för OST-17" in response.content.decode()
    assert client_for(world.supervisor_rk).get(url).status_code == 403
    assert client_for(world.manager).get(url).status_code == 403
    assert client_for(world.elsewhere_coach).get(url).status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_no_shows_and_reporting_gaps_alert_the_coach(world: World) -> None:
    placement = world.placement("OST-17")
    attendance_report(
        placement=placement,
        reports=[DayReport(dt.date(2023, 5, 9), "absent", None, "no_show")],
        by=world.supervisor_rk,
    )
    alerts = client_for(world.coach).get(reverse("home")).context["alerts"]
    kinds = {(a.kind, a.message.split(" ")[0].rstrip(":")) for a in alerts}
    assert ("no_show", "OST-17") in kinds
    assert ("attendance_gap", "OST-13") in kinds  # ongoing at PMU with nothing reported
    assert ("attendance_gap", "OST-17") not in kinds


def test_a_placement_past_its_planned_end_alerts_the_coach_and_the_supervisor(
    world: World,
) -> None:
    with time_machine.travel(dt.datetime(2024, 1, 15, 12, tzinfo=dt.UTC), tick=False):
        for user in (world.coach, world.supervisor_hf):
            alerts = client_for(user).get(reverse("home")).context["alerts"]
            passed = [a for a in alerts if a.kind == "planned_end_passed"]
            assert [a.message.split(":")[0] for a in passed] == ["OST-08"], user
            assert "2023-12-31" in passed[0].message
        assert not [
            a
            for a in client_for(world.supervisor_rk).get(reverse("home")).context["alerts"]
            if a.kind == "planned_end_passed"
        ]


def test_agreements_ending_or_ended_with_placements_running_alert_the_unit(world: World) -> None:
    # The case's agreements renew 1+1+1 and end 2026-08-31; OST-06 and OST-08 were never closed.
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        alerts = client_for(world.manager).get(reverse("home")).context["alerts"]
        ending = [a for a in alerts if a.kind == "agreement_ending"]
        assert len(ending) == 5 and "2026-08-31" in ending[0].message
    with time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        for user in (world.manager, world.coach):
            alerts = client_for(user).get(reverse("home")).context["alerts"]
            expired = [a for a in alerts if a.kind == "agreement_expired"]
            assert [a.message.split(" ")[3] for a in expired] == ["Främling"], user
            assert "2 placeringar" in expired[0].message  # OST-06 and OST-08
        others = client_for(world.elsewhere_coach).get(reverse("home")).context["alerts"]
        assert [a.message.split(" ")[2] for a in others if a.kind == "agreement_expired"] == [
            "Annan"  # their own agreement, never Östersund's
        ]


def test_placements_running_past_every_ended_agreement_are_counted_in_one_query(
    world: World,
) -> None:
    agreements = agreements_in_scope(Scope(world.coach.municipality_id))  # as the home page
    assert len(agreements) == 5
    with CaptureQueriesContext(connection) as queries:
        running = _running_after_expiry(agreements, today=dt.date(2026, 10, 1))
    assert len(queries.captured_queries) == 1
    assert running == {world.org("Hej Främling").agreements.get().pk: 2}  # OST-06 and OST-08
    assert _running_after_expiry(agreements, today=dt.date(2026, 8, 31)) == {}  # still in force


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_participant_spinning_around_alerts_the_coach(world: World) -> None:
    from platsa.placements.models import Participant, Placement

    participant = Participant.objects.create(municipality=world.ostersund, code="AME-9")
    org = world.org("PMU (Pingstkyrkan)")
    spans = [
        ("2021-09-01", "2021-11-30", "other_measure"),
        ("2022-01-10", "2022-03-31", "ended_early"),
    ]
    for start, end, destination in spans:
        Placement.objects.create(
            participant=participant,
            organisation=org,
            start_date=dt.date.fromisoformat(start),
            actual_end=dt.date.fromisoformat(end),
            destination=destination,
        )
    moved = Placement.objects.create(
        participant=participant,
        organisation=org,
        start_date=dt.date(2022, 4, 1),
        actual_end=dt.date(2022, 4, 30),
        destination="moved",
    )

    def spinning() -> list[str]:
        alerts = client_for(world.coach).get(reverse("home")).context["alerts"]
        return [a.message for a in alerts if a.kind == "spinning_around"]

    assert spinning() == []  # two placements and a move: not yet three
    latest = Placement.objects.create(
        participant=participant, organisation=org, start_date=dt.date(2023, 3, 1)
    )
    assert spinning() == [
        "AME-9 har haft 3 placeringar på 24 månader utan arbete eller studier: gå igenom planen "
        "med deltagaren."
    ]
    world.ostersund.alert_spinning_placements = 4
    world.ostersund.save()
    assert spinning() == []
    world.ostersund.alert_spinning_placements = 3
    world.ostersund.save()
    latest.actual_end, latest.destination = dt.date(2023, 4, 30), "studies"
    latest.save()
    assert spinning() == []
    assert moved.pk  # kept: a move is part of the placement before it
    assert all(
        a.kind != "spinning_around"
        for a in client_for(world.supervisor_hf).get(reverse("home")).context["alerts"]
    )
