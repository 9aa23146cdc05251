"""The supervisor's week: every current participant on one page, saved in one go."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platsa.placements.models import Attendance, AttendanceChange, PlacementPause
from tests.conftest import World, client_for

WEDNESDAY = dt.datetime(2023, 5, 10, 12, tzinfo=dt.UTC)
WEEK = "2023-W19"  # 2023-05-08 – 2023-05-14; Hej Främling has OST-04, OST-06 and OST-07


def _key(world: World, code: str, day: str, field: str) -> str:
    return f"p{world.placement(code).pk}-{field}-{day}"


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_supervisor_sees_everyone_placed_this_week_and_no_one_else(world: World) -> None:
    response = client_for(world.supervisor_hf).get(reverse("team_week"))
    assert response.status_code == 200
    codes = [w.placement.participant.code for w in response.context["weeks"]]
    assert codes == ["OST-04", "OST-06", "OST-07"]
    # Monday to Wednesday can be reported; Thursday and Friday are in the future.
    rows = response.context["weeks"][0].rows
    assert [(r.day.isoformat(), r.reportable) for r in rows] == [
        ("2023-05-08", True),
        ("2023-05-09", True),
        ("2023-05-10", True),
        ("2023-05-11", False),
        ("2023-05-12", False),
    ]


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_whole_team_is_reported_in_one_post_and_a_correction_keeps_history(
    world: World,
) -> None:
    client = client_for(world.supervisor_hf)
    data = {
        "vecka": WEEK,
        "all_present": "1",
        "all_hours": "5",
        _key(world, "OST-06", "2023-05-09", "status"): "absent",
        _key(world, "OST-06", "2023-05-09", "reason"): "illness",
        _key(world, "OST-07", "2023-05-10", "hours"): "3,5",
    }
    response = client.post(reverse("team_week"), data)
    assert response.status_code == 302
    rows = Attendance.objects.filter(placement__organisation=world.org("Hej Främling"))
    assert rows.count() == 9  # 3 participants × Monday–Wednesday
    sick = rows.get(placement=world.placement("OST-06"), date=dt.date(2023, 5, 9))
    assert (sick.status, sick.absence_reason, sick.hours) == ("absent", "illness", None)
    assert rows.get(
        placement=world.placement("OST-07"), date=dt.date(2023, 5, 10)
    ).hours == Decimal("3.5")
    assert rows.get(placement=world.placement("OST-04"), date=dt.date(2023, 5, 8)).hours == 5
    page = client.get(reverse("team_week")).content.decode()
    assert page.count("✓") == 9
    client.post(
        reverse("team_week"),
        {"vecka": WEEK, _key(world, "OST-06", "2023-05-09", "status"): "present"},
    )
    sick.refresh_from_db()
    assert sick.status == "present"
    assert AttendanceChange.objects.get(attendance=sick).before["absence_reason"] == "illness"


@time_machine.travel(WEDNESDAY, tick=False)
def test_one_bad_day_saves_nothing_for_anyone_and_names_the_day(world: World) -> None:
    client = client_for(world.supervisor_hf)
    response = client.post(
        reverse("team_week"),
        {
            "vecka": WEEK,
            _key(world, "OST-04", "2023-05-08", "status"): "present",
            _key(world, "OST-04", "2023-05-08", "hours"): "4",
            _key(world, "OST-07", "2023-05-09", "status"): "absent",  # no reason
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Inget sparades" in text and "Ange orsak till frånvaron." in text
    assert not Attendance.objects.exists()
    # Hours feed the individual indicator: "everyone present" needs them.
    response = client.post(reverse("team_week"), {"vecka": WEEK, "all_present": "1"})
    assert "Ange timmar per dag" in response.content.decode()
    assert not Attendance.objects.exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_team_week_is_refused_to_roles_and_organisations_that_must_not_report(
    world: World,
) -> None:
    url = reverse("team_week")
    for user in (world.manager, world.analyst):
        assert client_for(user).get(url).status_code == 403
    # Another organisation's supervisor cannot report for Hej Främling's participants.
    client_for(world.supervisor_rk).post(
        url,
        {"vecka": WEEK, _key(world, "OST-06", "2023-05-08", "status"): "present"},
    )
    assert not Attendance.objects.exists()
    assert "OST-06" not in client_for(world.supervisor_rk).get(url).content.decode()
    # A coach chooses an organisation of their own municipality, never another's.
    coach = client_for(world.coach)
    hf = world.org("Hej Främling").pk
    chooser = coach.get(url)
    assert "weeks" not in chooser.context and "Hej Främling" in chooser.content.decode()
    assert coach.get(url, {"organisation": hf}).status_code == 200
    other = world.elsewhere_organisation.pk
    assert coach.get(url, {"organisation": other}).status_code == 404
    assert coach.get(url, {"vecka": "9999-W52"}).status_code == 404


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_team_week_asks_the_database_the_same_number_of_times_for_any_team_size(
    world: World,
) -> None:
    """Pauses, attendance and placements are read once for the whole team, not once a person."""
    PlacementPause.objects.create(
        placement=world.placement("OST-04"),
        start=dt.date(2023, 5, 8),
        end=dt.date(2023, 5, 9),
        reason="sjuk",
        recorded_by=world.coach,
    )
    counts, weeks = {}, {}
    for supervisor in (world.supervisor_hf, world.supervisor_rk):
        client = client_for(supervisor)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("team_week"))
        weeks[supervisor.username] = response.context["weeks"]
        counts[len(response.context["weeks"])] = len(queries.captured_queries)
    assert set(counts) == {3, 1}  # Hej Främling has three this week, Röda Korset one
    assert counts[3] == counts[1]
    not_reportable = {
        (w.placement.participant.code, r.day.isoformat())
        for w in weeks[world.supervisor_hf.username]
        for r in w.rows
        if not r.reportable and r.day < dt.date(2023, 5, 10)
    }
    assert not_reportable == {("OST-04", "2023-05-08"), ("OST-04", "2023-05-09")}
