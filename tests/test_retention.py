"""Retention and erasure (gallring): ``platsa purge --dry-run`` lists, ``platsa purge`` erases a
participant's data a set time after the last entry, keeps the figures for past periods, removes
access-log rows past the log's retention, and records how many, never whom. Dates are moved with
time-machine."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from platsa.placements.models import (
    Attendance,
    Erasure,
    FollowUpMeeting,
    Participant,
    ParticipantAccess,
    Placement,
    Referral,
)
from platsa.placements.occupancy import Scope, occupancy_for
from platsa.placements.retention import ERASED_PREFIX, purge_plan
from platsa.procurement.models import WorkType
from tests.conftest import World

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2028, 6, 1, 12, tzinfo=dt.UTC)  # cutoff after five years: 2023-06-01


def _purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue()


def _figures(world: World) -> tuple[float, float, list[tuple[str, str]]]:
    result, _agreements = occupancy_for(
        Scope(world.ostersund.pk),
        start=dt.date(2022, 9, 1),
        end=dt.date(2023, 8, 31),
        as_of=dt.date(2023, 8, 31),
    )
    outcomes = sorted(
        Placement.objects.filter(participant__municipality=world.ostersund).values_list(
            "start_date", "destination"
        )
    )
    return (
        result.capacity_place_days,
        result.occupied_place_days,
        [(str(s), d) for s, d in outcomes],
    )


def _with_records(world: World) -> Placement:
    """One early participant with attendance, a meeting, a profile and free text."""
    placement = world.placement("OST-03")  # 2022-09-19 – 2022-12-09
    participant = placement.participant
    participant.birth_year, participant.gender = 1980, "woman"
    participant.constraints_note = "Tål inte damm."
    participant.responsible_coach = world.coach
    participant.save()
    participant.interests.set(WorkType.objects.all()[:2])
    placement.end_reason = "Flyttade."
    placement.save()
    Attendance.objects.create(
        placement=placement,
        date=dt.date(2022, 10, 3),
        status="absent",
        absence_reason="ill",
        reported_by=world.supervisor_rk,
    )
    FollowUpMeeting.objects.create(
        placement=placement, date=dt.date(2022, 10, 20), wellbeing="Trött.", recorded_by=world.coach
    )
    return placement


def test_the_dry_run_lists_what_would_go_and_changes_nothing(world: World) -> None:
    _with_records(world)
    before = list(Participant.objects.order_by("pk").values_list("code", "birth_year"))
    with time_machine.travel(LATER, tick=False):
        printed = _purge("--dry-run")
    assert "Östersund: " in printed and "skulle gallras" in printed
    assert "senaste anteckning före 2023-06-01" in printed
    assert "OST-03  2022-12-09" in printed
    assert "ANG-01" not in printed  # Ånge's placement has no end: kept
    assert list(Participant.objects.order_by("pk").values_list("code", "birth_year")) == before
    assert not Erasure.objects.exists() and Attendance.objects.exists()


def test_nothing_is_due_within_the_retention(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 27, tzinfo=dt.UTC), tick=False):
        plan = purge_plan(world.ostersund, today=dt.date(2026, 11, 27))
    assert plan.due == []


def test_the_purge_erases_the_person_and_keeps_the_figures(world: World) -> None:
    placement = _with_records(world)
    figures = _figures(world)
    open_codes = set(
        Placement.objects.filter(
            participant__municipality=world.ostersund, actual_end__isnull=True
        ).values_list("participant__code", flat=True)
    )
    assert open_codes
    with time_machine.travel(LATER, tick=False):
        printed = _purge()
    participant = Participant.objects.get(pk=placement.participant_id)
    assert participant.code == f"{ERASED_PREFIX}{participant.pk}"
    assert (participant.birth_year, participant.gender, participant.constraints_note) == (
        None,
        "",
        "",
    )
    assert participant.erased_on == dt.date(2028, 6, 1)
    assert not participant.interests.exists() and participant.responsible_coach is None
    assert not Attendance.objects.filter(placement=placement).exists()
    assert not FollowUpMeeting.objects.filter(placement=placement).exists()
    placement.refresh_from_db()
    assert placement.end_reason == "" and placement.actual_end == dt.date(2022, 12, 9)
    # What the figures of past periods are made of is still there, and they do not move.
    assert _figures(world) == figures
    # Running placements and everything after the cutoff are kept.
    kept = set(
        Participant.objects.filter(
            municipality=world.ostersund, erased_on__isnull=True
        ).values_list("code", flat=True)
    )
    assert open_codes <= kept
    erased = Participant.objects.filter(municipality=world.ostersund, erased_on__isnull=False)
    erasure = Erasure.objects.get(municipality=world.ostersund)
    assert erasure.participants == erased.count() > 0
    assert erasure.cutoff == dt.date(2023, 6, 1)
    assert f"{erasure.participants} deltagare gallrade" in printed
    # A second run finds nothing more.
    with time_machine.travel(LATER, tick=False):
        _purge()
    assert Erasure.objects.filter(municipality=world.ostersund).order_by("-pk")[0].participants == 0


def test_a_waiting_referral_keeps_its_participant(world: World) -> None:
    participant = world.placement("OST-03").participant
    Referral.objects.create(
        participant=participant, referred_on=dt.date(2022, 12, 20), created_by=world.coach
    )
    with time_machine.travel(LATER, tick=False):
        plan = purge_plan(world.ostersund, today=LATER.date())
    assert participant.pk not in {d.participant_id for d in plan.due}
    assert plan.kept_running >= 1


def test_access_log_rows_past_the_log_s_retention_go_in_the_same_run(world: World) -> None:
    participant = world.placement("OST-03").participant
    for at in (timezone.now() - dt.timedelta(days=5 * 365), timezone.now()):
        ParticipantAccess.objects.create(
            municipality=world.ostersund,
            participant=participant,
            user=world.coach,
            role="coach",
            at=at,
            page="placement_detail",
            digest="0" * 64,
        )
    printed = _purge("--municipality", "2380")
    assert ParticipantAccess.objects.count() == 1
    assert Erasure.objects.get().access_log_rows == 1
    assert "1 rader i åtkomstloggen borttagna" in printed


def test_an_unknown_municipality_is_named() -> None:
    with pytest.raises(CommandError, match="9999"):
        _purge("--municipality", "9999")
