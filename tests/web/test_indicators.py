"""Indicators at three levels from recorded data, and who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from platsa.placements.models import ExitCheck, ScopeStep
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

WHOLE = {"fran": "", "till": ""}  # both fields emptied: the whole history


def test_ostersund_s_indicators_as_recorded(world: World) -> None:
    response = client_for(world.manager).get(reverse("indicators"), WHOLE)
    m = response.context["m"]
    assert (m.placements, m.ended, m.exits_to_work, m.exits_to_studies) == (17, 15, 2, 0)
    assert m.cohort_exits_to_studies == 1 and m.unknown_destination == 13
    assert m.self_support_6_months == (0, 0) and m.hours_change is None
    orgs = {o.organisation: o for o in response.context["organisations"]}
    assert (orgs["Hej Främling"].placements, orgs["Hej Främling"].places) == (6, 3)
    assert orgs["Hej Främling"].placements_per_place == 2.0
    page = response.content.decode()
    assert "inte som en rangordning" in page and "+ 1 kända för kohorten" in page


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_checks_after_the_end_give_self_support_and_returns(world: World) -> None:
    employed = world.placement("OST-02")  # ended 2023-06-30 with a job at A-laget
    ExitCheck.objects.create(
        placement=employed,
        months_after=6,
        due_date=dt.date(2023, 12, 30),
        checked_on=dt.date(2024, 1, 5),
        status="employment",
    )
    ExitCheck.objects.create(
        placement=employed,
        months_after=12,
        due_date=dt.date(2024, 6, 30),
        checked_on=dt.date(2024, 7, 1),
        status="social_assistance",
    )
    ScopeStep.objects.create(
        placement=world.placement("OST-06"), valid_from=dt.date(2023, 2, 13), percent=25
    )
    ScopeStep.objects.create(
        placement=world.placement("OST-06"),
        valid_from=dt.date(2023, 4, 1),
        hours_per_day=5,
        days_per_week=4,
    )
    m = client_for(world.coach).get(reverse("indicators"), WHOLE).context["m"]
    assert m.self_support_6_months == (1, 1) and m.self_support_12_months == (0, 1)
    assert m.returns_to_assistance == 1
    assert m.hours_change == (20 - 10, 1)  # 25 % of 40 hours = 10; 5 × 4 = 20


def test_the_analyst_sees_small_groups_hidden(world: World) -> None:
    response = client_for(world.analyst).get(reverse("indicators"), WHOLE)
    assert response.status_code == 200 and response.context["threshold"] == 5
    page = response.content.decode()
    assert "Antal och grupper under 5 döljs." in page
    assert "dolt" in page and "OST-" not in page


def test_who_may_see_the_indicators(world: World) -> None:
    assert client_for(world.supervisor_rk).get(reverse("indicators")).status_code == 403
    response = client_for(world.elsewhere_coach).get(reverse("indicators"), WHOLE)
    assert response.context["m"].placements == 1  # Ånge's own, nothing of Östersund


def test_self_support_after_the_start_follows_the_placement_and_its_checks() -> None:
    from platsa.engine.indicators import PlacementRecord, status_after_start

    today = dt.date(2024, 7, 1)
    job = PlacementRecord(
        "A",
        dt.date(2022, 9, 26),
        dt.date(2023, 6, 30),
        "employed_at_organisation",
        checks={6: "social_assistance"},
    )
    assert status_after_start(job, 6, today=today) == "placed"  # 2023-03-26: still placed
    assert status_after_start(job, 12, today=today) == "work"  # 2023-09-26: the destination
    assert status_after_start(job, 18, today=today) == "other"  # 2024-03-26: the 6-month check
    assert status_after_start(job, 24, today=today) is None  # not yet
    unknown = PlacementRecord("A", dt.date(2022, 9, 19), dt.date(2023, 1, 10), "unknown")
    assert status_after_start(unknown, 6, today=today) == "unknown"


def test_ostersund_after_the_start(world: World) -> None:
    with time_machine.travel(dt.datetime(2023, 11, 15, 12, tzinfo=dt.UTC), tick=False):
        m = client_for(world.manager).get(reverse("indicators")).context["m"]
    # 6 months after the start, OST-02, -04, -06 and -15 were still placed (not yet self-supporting);
    # the others had ended with an unknown destination, or their day had not come (OST-08, -14).
    assert m.self_support_6_months_after_start == (0, 4)
    # 12 months after the start the two employed (OST-02, -04) count by their destination.
    assert m.self_support_12_months_after_start == (2, 2)
    assert m.in_work_6_months_after_start == (0, 4)


def test_the_indicators_of_the_placements_that_started_in_a_period(world: World) -> None:
    """The page counts the placements that started between two days when asked (the last three
    years untouched, the whole history with both fields emptied), says which, and refuses a
    period that ends before it starts."""
    from platsa.placements.models import Placement

    client = client_for(world.manager)
    started = Placement.objects.filter(
        participant__municipality=world.ostersund,
        start_date__range=(dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ).count()
    assert 0 < started < 17
    response = client.get(reverse("indicators"), {"fran": "2023-01-01", "till": "2023-12-31"})
    assert response.context["m"].placements == started
    page = response.content.decode()
    assert "Placeringar som påbörjades från 2023-01-01 till och med 2023-12-31." in page
    assert 'value="2023-01-01"' in page and 'value="2023-12-31"' in page  # shown again
    only_from = client.get(reverse("indicators"), {"fran": "2023-01-01"}).context["m"]
    assert (
        only_from.placements
        == Placement.objects.filter(
            participant__municipality=world.ostersund, start_date__gte=dt.date(2023, 1, 1)
        ).count()
    )
    # An end before the start is refused with a message, and the last three years are shown.
    with time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        wrong = client.get(reverse("indicators"), {"fran": "2023-12-31", "till": "2023-01-01"})
        last_three = Placement.objects.filter(
            participant__municipality=world.ostersund,
            start_date__range=(dt.date(2021, 7, 2), dt.date(2024, 7, 1)),
        ).count()
        assert wrong.context["m"].placements == last_three
        assert "Slutet får inte ligga före starten." in wrong.content.decode()
        # Untouched, the page reads the last three years, says so and shows them in the fields.
        untouched = client.get(reverse("indicators"))
        assert untouched.context["m"].placements == last_three
        page = untouched.content.decode()
        assert "Placeringar som påbörjades från 2021-07-02 till och med 2024-07-01." in page
        assert 'value="2021-07-02"' in page and 'value="2024-07-01"' in page
        assert "töm båda fälten för hela historiken" in page
    client = client_for(world.manager)  # signed in again: the session above dates from 2024
    for bad in ({"fran": "0001-01-01"}, {"till": "x"}, {"fran": "9999-12-31"}):
        assert client.get(reverse("indicators"), bad).status_code == 200
    # Both fields emptied: the whole history, and the page says so.
    whole = client.get(reverse("indicators"), WHOLE)
    assert whole.context["m"].placements == 17
    assert "hela historiken" in whole.content.decode()
    # Today the Östersund case (2022–2023) lies mostly outside the last three years.
    assert client.get(reverse("indicators")).context["m"].placements < 17


def test_the_default_period_is_the_last_three_years() -> None:
    from platsa.placements.forms import default_indicator_period

    assert default_indicator_period(dt.date(2026, 11, 28)) == (
        dt.date(2023, 11, 29),
        dt.date(2026, 11, 28),
    )
    assert default_indicator_period(dt.date(2028, 2, 29)) == (
        dt.date(2025, 3, 1),
        dt.date(2028, 2, 29),
    )
