"""Two-sided attendance: the participant confirms the week on the supervisor's phone or on their
own with a one-time code; the month's differences are listed, explained, and counted on the
invoicing basis."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from platsa.placements.models import (
    Attendance,
    DifferenceNote,
    ParticipantAccess,
    WeekConfirmation,
)
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
FRIDAY = dt.datetime(2023, 5, 12, 15, tzinfo=dt.UTC)  # week 19: Monday 8 May – Friday 12 May


def _report_monday_to_wednesday(world: World) -> None:
    placement = world.placement("OST-17")  # Röda Korset
    for day in (8, 9, 10):
        Attendance.objects.create(
            placement=placement,
            date=dt.date(2023, 5, day),
            status="present",
            hours=6,
            reported_by=world.supervisor_rk,
        )


ANSWERS = {
    "answer-2023-05-08": "present",
    "answer-2023-05-09": "absent",  # the supplier said present
    "answer-2023-05-10": "present",
    "answer-2023-05-11": "absent",  # not reported: the same as absent
    "answer-2023-05-12": "present",  # not reported, but the participant was there
}


@time_machine.travel(FRIDAY, tick=False)
def test_the_participant_confirms_the_week_on_the_supervisor_s_phone(world: World) -> None:
    _report_monday_to_wednesday(world)
    placement = world.placement("OST-17")
    client = client_for(world.supervisor_rk)
    url = reverse("week_confirm", args=[placement.pk]) + "?vecka=2023-W19"
    page = client.get(url).content.decode()
    assert "Din vecka 19 hos Röda Korset" in page
    assert page.count('type="radio"') == 10 and "checked" not in page  # nothing preselected
    untouched = client.post(url, {"vecka": "2023-W19"})
    assert untouched.status_code == 200 and "svara för varje dag" in untouched.content.decode()
    assert not WeekConfirmation.objects.exists()
    client.post(url, {"vecka": "2023-W19", **ANSWERS})
    confirmation = WeekConfirmation.objects.get()
    assert confirmation.answers == {k.removeprefix("answer-"): v for k, v in ANSWERS.items()}
    assert (confirmation.via, confirmation.recorded_by) == ("supervisor_phone", world.supervisor_rk)
    # What was answered is shown again.
    again = client.get(url).content.decode()
    assert again.count("checked") == 5 and "Bekräftad" in again


@time_machine.travel(FRIDAY, tick=False)
def test_the_month_s_differences_are_listed_and_explained(world: World) -> None:
    _report_monday_to_wednesday(world)
    placement = world.placement("OST-17")
    client_for(world.supervisor_rk).post(
        reverse("week_confirm", args=[placement.pk]), {"vecka": "2023-W19", **ANSWERS}
    )
    manager = client_for(world.manager)
    url = reverse("attendance_differences")
    page = manager.get(url, {"month": "2023-05"}).content.decode()
    # Tuesday (present vs not there) and Friday (not reported vs there) differ.
    assert re.search(r"Oförklarade skillnader</dt><dd>2<", page)
    assert "2023-05-09" in page and "2023-05-12" in page and "2023-05-11" not in page
    manager.post(
        url,
        {
            "month": "2023-05",
            "placement": placement.pk,
            "date": "2023-05-09",
            "explanation": "Gick hem efter en timme; leverantören rättar.",
        },
    )
    note = DifferenceNote.objects.get()
    assert (note.date, note.recorded_by) == (dt.date(2023, 5, 9), world.manager)
    page = manager.get(url, {"month": "2023-05"}).content.decode()
    assert re.search(r"Oförklarade skillnader</dt><dd>1<", page)
    assert "Gick hem efter en timme" in page
    # The supplier sees its own differences but does not explain them; another supplier
    # sees none of them.
    supervisor = client_for(world.supervisor_rk)
    assert "2023-05-12" in supervisor.get(url, {"month": "2023-05"}).content.decode()
    refused = supervisor.post(
        url,
        {
            "month": "2023-05",
            "placement": placement.pk,
            "date": "2023-05-12",
            "explanation": "x" * 10,
        },
    )
    assert refused.status_code == 403
    other = client_for(world.supervisor_hf).get(url, {"month": "2023-05"}).content.decode()
    assert "OST-17" not in other
    # The invoicing basis says how many are unexplained before anything is paid.
    invoicing = (
        client_for(world.manager)
        .get(
            reverse("invoicing"),
            {"organisation": placement.organisation_id, "month": "2023-05"},
        )
        .content.decode()
    )
    assert "deltagarnas egna bekräftelser: 1" in invoicing


@time_machine.travel(FRIDAY, tick=False)
def test_a_one_time_code_lets_the_participant_confirm_on_their_own_phone(world: World) -> None:
    cache.clear()
    _report_monday_to_wednesday(world)
    placement = world.placement("OST-17")
    page = client_for(world.supervisor_rk).post(
        reverse("week_confirm", args=[placement.pk]),
        {"vecka": "2023-W19", "action": "code"},
        follow=True,
    )
    code = re.search(r'class="code-big"><code>([A-Z0-9-]+)<', page.content.decode()).group(1)
    phone = Client()
    start = phone.get(reverse("confirm_with_code")).content.decode()
    assert "Skriv koden" in start and "OST-17" not in start
    wrong = phone.post(reverse("confirm_with_code"), {"code": "AAAAA-AAAAA"}).content.decode()
    assert "Koden är fel" in wrong
    phone.post(reverse("confirm_with_code"), {"code": code.lower()})  # as it is typed
    week = phone.get(reverse("confirm_with_code")).content.decode()
    assert "Vecka 19 hos Röda Korset" in week and "OST-17" not in week
    done = phone.post(reverse("confirm_with_code"), ANSWERS).content.decode()
    assert "din vecka är bekräftad" in done
    confirmation = WeekConfirmation.objects.get()
    assert (confirmation.via, confirmation.recorded_by) == ("own_phone", None)
    logged = ParticipantAccess.objects.filter(page="confirm_with_code").get()
    assert (logged.participant_id, logged.user, logged.changed) == (
        placement.participant_id,
        world.supervisor_rk,
        True,
    )
    # Used once.
    again = Client().post(reverse("confirm_with_code"), {"code": code}).content.decode()
    assert "Koden är fel" in again


def test_guessing_codes_is_stopped(world: World) -> None:
    cache.clear()
    phone = Client()
    for _ in range(10):
        phone.post(reverse("confirm_with_code"), {"code": "BBBBB-BBBBB"})
    assert phone.post(reverse("confirm_with_code"), {"code": "BBBBB-BBBBB"}).status_code == 429
    cache.clear()
