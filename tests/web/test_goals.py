"""Goals: the report's "1 in 5 has a job after 6 months", set by a manager, tracked for everyone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from platsa.impact.models import Goal
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_the_report_s_goal_is_loaded_and_tracked(world: World) -> None:
    goal = Goal.objects.get(municipality=world.ostersund)
    assert (goal.kind, goal.target) == ("in_work_6_months_after_start", Decimal("0.200"))
    status = client_for(world.manager).get(reverse("goals")).context["statuses"][0]
    # Placements that started 2022-09-01 – 2023-08-31 and were known 6 months on: all still placed.
    assert (status.numerator, status.denominator) == (0, 5)
    assert status.actual == 0 and status.met is False


@time_machine.travel(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_manager_sets_a_utilisation_goal_and_bad_input_is_refused(world: World) -> None:
    client = client_for(world.manager)
    client.post(
        reverse("goals"),
        {
            "kind": "utilisation",
            "target": "0.8",
            "period_start": "2022-09-01",
            "period_end": "2023-08-31",
        },
    )
    goal = Goal.objects.get(kind="utilisation")
    status = next(s for s in client.get(reverse("goals")).context["statuses"] if s.goal == goal)
    assert status.actual == pytest.approx(0.4623, abs=1e-3) and status.met is False
    response = client.post(
        reverse("goals"),
        {
            "kind": "utilisation",
            "target": "80",
            "period_start": "2023-01-01",
            "period_end": "2022-01-01",
        },
    )
    page = response.content.decode()
    assert "Slutet får inte ligga före starten." in page and Goal.objects.count() == 2
    for typed, stored in (
        ("85 %", "0.850"),
        ("1 av 5", "0.200"),
        ("0,85", "0.850"),
        ("85", "0.850"),
    ):
        client.post(
            reverse("goals"),
            {
                "kind": "utilisation",
                "target": typed,
                "period_start": "2023-09-01",
                "period_end": "2024-08-31",
                "note": typed,
            },
        )
        assert str(Goal.objects.get(note=typed).target) == stored, typed
    response = client.post(
        reverse("goals"),
        {
            "kind": "utilisation",
            "target": "150 %",
            "period_start": "2023-09-01",
            "period_end": "2024-08-31",
        },
    )
    assert "En andel är högst 100 %" in response.content.decode()
    response = client.post(
        reverse("goals"),
        {"kind": "utilisation", "target": "mycket", "period_start": "2023-09-01"},
    )
    assert "Skriv målet som t.ex. 20 %" in response.content.decode()


def test_who_may_see_and_set_goals(world: World) -> None:
    assert client_for(world.supervisor_rk).get(reverse("goals")).status_code == 403
    analyst = client_for(world.analyst)
    response = analyst.get(reverse("goals"))
    assert response.status_code == 200 and response.context["form"] is None
    assert (
        analyst.post(
            reverse("goals"),
            {
                "kind": "utilisation",
                "target": "0.5",
                "period_start": "2023-01-01",
                "period_end": "2023-12-31",
            },
        ).status_code
        == 403
    )
    assert client_for(world.elsewhere_coach).get(reverse("goals")).context["statuses"] == []


@time_machine.travel(dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_the_analyst_sees_a_small_group_hidden(world: World) -> None:
    status = client_for(world.analyst).get(reverse("goals")).context["statuses"][0]
    assert status.hidden is False and status.denominator == 5  # exactly at the threshold of 5
