"""Renewal decisions: before the notice deadline the manager sees what the agreement gave and
what is needed, records a decision with its reason, and the alert clears."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from platsa.occupancy.alerts import alerts_for_user
from platsa.procurement.models import Agreement, RenewalDecision
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
# 2023-01-20: the first period ends 2023-08-31, notice is due six months before: 2023-02-28.
JANUARY = dt.datetime(2023, 1, 20, 12, tzinfo=dt.UTC)


def _agreement(world: World) -> Agreement:
    return Agreement.objects.get(organisation=world.org("Röda Korset"))


@time_machine.travel(JANUARY, tick=False)
def test_the_decision_page_shows_what_the_agreement_gave_and_records_a_decision(
    world: World,
) -> None:
    agreement = _agreement(world)
    client = client_for(world.manager)
    url = reverse("agreement_renewal", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert "2023-02-28" in page and "Platser som används" in page
    assert 'type="radio"' in page and "checked" not in page  # no decision preselected
    untouched = client.post(url, {})
    assert untouched.status_code == 200 and not RenewalDecision.objects.exists()
    client.post(
        url,
        {
            "choice": "change_places",
            "places": "3",
            "reason": "Kön växer; Röda Korset har tagit emot alla som remitterats.",
            "decided_on": "2023-01-19",
        },
    )
    decision = RenewalDecision.objects.get()
    assert (decision.choice, decision.places, decision.period_end, decision.recorded_by) == (
        "change_places",
        3,
        dt.date(2023, 8, 31),
        world.manager,
    )
    agreement.refresh_from_db()
    assert (
        agreement.places_on(dt.date(2023, 9, 1)) == 3
        and agreement.places_on(dt.date(2023, 8, 31)) == 2
    )
    shown = client.get(url).content.decode()
    assert "Kön växer" in shown and "Beslutat 2023-01-19" in shown


@time_machine.travel(JANUARY, tick=False)
def test_giving_notice_records_it_and_the_alert_clears(world: World) -> None:
    agreement = _agreement(world)

    def deadline_alerts() -> list[object]:
        return [
            a
            for a in alerts_for_user(world.manager, today=JANUARY.date())
            if a.kind == "notice_deadline" and "Röda Korset" in a.message
        ]

    assert deadline_alerts()
    client_for(world.manager).post(
        reverse("agreement_renewal", args=[agreement.pk]),
        {
            "choice": "give_notice",
            "reason": "Platserna har stått tomma halva året.",
            "decided_on": "2023-01-20",
        },
    )
    agreement.refresh_from_db()
    assert agreement.notice_given_on == dt.date(2023, 1, 20)
    assert deadline_alerts() == []


@time_machine.travel(JANUARY, tick=False)
def test_a_change_without_places_or_a_short_reason_is_refused_whole(world: World) -> None:
    agreement = _agreement(world)
    page = client_for(world.manager).post(
        reverse("agreement_renewal", args=[agreement.pk]),
        {"choice": "change_places", "reason": "kort", "decided_on": "2023-01-20"},
    )
    text = page.content.decode()
    assert page.status_code == 200 and text.count('class="field-error"') == 2
    assert not RenewalDecision.objects.exists()
    for user in (world.coach, world.analyst, world.supervisor_rk):
        assert (
            client_for(user).get(reverse("agreement_renewal", args=[agreement.pk])).status_code
            == 403
        )


@time_machine.travel(JANUARY, tick=False)
def test_places_with_another_decision_are_refused_not_dropped(world: World) -> None:
    agreement = _agreement(world)
    page = client_for(world.manager).post(
        reverse("agreement_renewal", args=[agreement.pk]),
        {
            "choice": "renew",
            "places": "4",
            "reason": "Fungerar väl; samma antal platser.",
            "decided_on": "2023-01-20",
        },
    )
    assert "Ett antal platser hör bara till en ändring av platserna." in page.content.decode()
    assert not RenewalDecision.objects.exists()
