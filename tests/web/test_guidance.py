"""The municipality's guidance: kept by its administrator, shown where supervisors report."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from platsa.accounts.models import Guidance
from tests.conftest import World, client_for

WEDNESDAY = dt.datetime(2023, 5, 10, 12, tzinfo=dt.UTC)


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_administrator_writes_the_guidance_and_supervisors_see_it_where_they_report(
    world: World,
) -> None:
    client_for(world.admin).post(
        reverse("guidance_edit"),
        {
            "occupation": "Arbete som liknar ett vanligt arbete.",
            "close_supervision": "En handledare per åtta deltagare.",
            "follow_up_checklist": "Arbetsuppgifter\n- Närvaro\n\nMående",
        },
    )
    guidance = Guidance.objects.get(municipality=world.ostersund)
    assert guidance.updated_by == world.admin
    assert guidance.checklist == ["Arbetsuppgifter", "Närvaro", "Mående"]
    supervisor = client_for(world.supervisor_hf)
    placement = world.placement("OST-06")
    for url in (
        reverse("team_week"),
        reverse("attendance_week", args=[placement.pk]),
        reverse("guidance"),
    ):
        text = supervisor.get(url).content.decode()
        for shown in (
            "Arbete som liknar ett vanligt arbete.",
            "En handledare per åtta deltagare.",
            "<li>Närvaro</li>",
        ):
            assert shown in text, (url, shown)
    meeting = client_for(world.coach).get(reverse("meeting_new", args=[placement.pk]))
    assert "<li>Mående</li>" in meeting.content.decode()
    # Another municipality has its own (none yet), never Östersund's.
    other = client_for(world.elsewhere_coach).get(reverse("guidance")).content.decode()
    assert "Arbete som liknar" not in other and "har inte skrivit" in other


@time_machine.travel(WEDNESDAY, tick=False)
def test_only_the_administrator_edits_the_guidance_of_their_own_municipality(
    world: World,
) -> None:
    for user in (world.coach, world.manager, world.analyst, world.supervisor_rk):
        assert client_for(user).get(reverse("guidance_edit")).status_code == 403
        assert (
            client_for(user).post(reverse("guidance_edit"), {"occupation": "x"}).status_code == 403
        )
    client_for(world.elsewhere_admin).post(reverse("guidance_edit"), {"occupation": "Ånges text"})
    assert Guidance.objects.get(municipality=world.elsewhere).occupation == "Ånges text"
    assert not Guidance.objects.filter(municipality=world.ostersund, occupation="Ånges text")
