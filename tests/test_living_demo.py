"""The demo lives today: a seeded synthetic continuation after the case, the case unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse

from platsa.accounts.models import Municipality, Role, User
from platsa.impact.report import build_report
from platsa.occupancy.selectors import default_period
from platsa.placements.access import access_chain_check
from platsa.placements.models import (
    Attendance,
    FollowUpMeeting,
    Participant,
    ParticipantAccess,
    Placement,
    Referral,
)
from platsa.placements.occupancy import Scope, free_places, occupancy_for
from platsa.placements.selectors import place_suggestions
from platsa.procurement.models import Procurement, ProcurementEvaluator, TenderScore
from platsa.site.demo import demo_load
from platsa.site.demo_tenders import TITLE as TENDER_ROUND
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2022, 9, 1), dt.date(2023, 8, 31))


def _figures(municipality: Municipality, today: dt.date) -> dict[str, object]:
    """The case's known answers, as the board report computes them."""
    report = build_report(municipality, start=YEAR[0], end=YEAR[1], today=today, threshold=1)
    on_may_10, _ = occupancy_for(
        Scope(municipality.pk), start=dt.date(2023, 5, 10), end=dt.date(2023, 5, 10), as_of=today
    )
    payback = report.payback_as_report
    assert payback is not None
    return {
        "utilisation": round(report.occupancy.utilisation, 4),
        "cost": report.occupancy.cost_sek,
        "occupied_may_10": int(on_may_10.occupied.sum()),
        "placements": report.recorded.placements,
        "exits": report.recorded.exits,
        "annual_value": payback.annual_value_sek,
        "payback_years": round(payback.payback_years, 2),
        "breakeven": payback.breakeven_employments_one_year,
        "in_work_6_months": report.indicators.in_work_6_months_after_start,
    }


def test_the_continuation_leaves_the_case_s_known_answers_unchanged() -> None:
    today = dt.date(2026, 11, 27)
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        report, _accounts, _living = demo_load()
        before = _figures(report.municipality, today)
        demo_load(living_until=today)
        after = _figures(report.municipality, today)
    assert before == after
    assert after["utilisation"] == 0.4623 and after["cost"] == 864_000
    assert after["occupied_may_10"] == 7
    assert (after["placements"], after["exits"]) == (17, {"employment": 2, "studies": 1})
    assert (after["annual_value"], after["payback_years"], after["breakeven"]) == (
        456_000,
        1.89,
        5,
    )


@pytest.mark.parametrize("day", [dt.date(2024, 6, 17), dt.date(2026, 11, 27), dt.date(2028, 2, 1)])
def test_on_the_day_it_is_loaded_the_municipality_is_working(day: dt.date) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        report, _accounts, living = demo_load(living_until=day)
        municipality = report.municipality
        assert living is not None and living.placements > 20
        scope = Scope(municipality.pk)
        # The occupancy page opens on the agreement year running today, with places in use.
        start, end = default_period(scope, today=day)
        assert start <= day <= end
        result, _agreements = occupancy_for(scope, start=day, end=day, as_of=day)
        assert result.occupied.sum() >= 4
        # Every supervisor has someone to report for this week.
        for supervisor in User.objects.filter(municipality=municipality, role=Role.SUPERVISOR):
            placed = Placement.objects.filter(
                organisation_id=supervisor.organisation_id, start_date__lte=day
            ).exclude(actual_end__lt=day - dt.timedelta(days=day.weekday()))
            in_force = any(
                a.status_on(day) == "in_force" for a in supervisor.organisation.agreements.all()
            )
            assert placed.exists() or not in_force, supervisor.username
        # Attendance up to yesterday, never today or later.
        latest = Attendance.objects.order_by("-date").first()
        assert latest is not None and latest.date < day
        assert day - latest.date <= dt.timedelta(days=4)
        # The place finder has places in agreements in force; the queue and free places exist.
        assert free_places(scope, today=day)
        waiting = Referral.objects.filter(placement__isnull=True, withdrawn_on__isnull=True)
        participant = waiting.first().participant if waiting.exists() else None
        if participant is not None:
            assert place_suggestions(participant, on=day)
        coach = User.objects.get(username="coach")
        home = client_for(coach).get(reverse("home"))
        assert home.context["rows"] and home.context["alerts"]
        # The synthetic people are the first coach's caseload; a few have protected data.
        synthetic = Participant.objects.filter(synthetic=True, municipality=municipality)
        assert not synthetic.exclude(responsible_coach=coach).exists()
        assert 0 < synthetic.filter(protected_identity=True).count() < synthetic.count() / 10
        # The second coach states a reason before opening one of them.
        one = synthetic.first()
        second = client_for(User.objects.get(username="coach-2"))
        response = second.get(reverse("participant_timeline", args=[one.pk]))
        assert response["Location"].startswith(reverse("access_reason", args=[one.pk]))
        # The log reviewer has last month's sample to review, and the chain is whole.
        reviewer = client_for(User.objects.get(username="reviewer")).get(reverse("home"))
        assert reviewer.context["review_size"] >= 10 and reviewer.context["review_done"] == 0
        assert access_chain_check(municipality.pk).broken is None
        # A tender round is open: the analyst has scored every tender, the coach is named but
        # has not begun, and the manager's award page proposes places from the need.
        round_ = Procurement.objects.get(municipality=municipality, title=TENDER_ROUND)
        assert round_.tender_deadline < day < round_.contract_start
        assert TenderScore.objects.filter(tender__procurement=round_).count() == 6 * 3
        assert not ProcurementEvaluator.objects.get(
            procurement=round_, user=coach
        ).no_conflict_declared_at
        assert "Upphandlingar" in home.content.decode()
        manager = client_for(User.objects.get(username="manager"))
        award = manager.get(reverse("procurement_award", args=[round_.pk]))
        assert award.status_code == 200 and award.context["target"]
        assert "behovsberäkningen rekommenderar" in award.context["source"]


def test_loading_again_later_moves_forward_and_duplicates_nothing() -> None:
    first = dt.date(2026, 9, 14)
    later = dt.date(2026, 11, 27)
    with time_machine.travel(dt.datetime(2026, 9, 14, 12, tzinfo=dt.UTC), tick=False):
        demo_load(living_until=first)
        demo_load(living_until=first)  # the same day twice: nothing new
        assert ParticipantAccess.objects.filter(page="meeting_new").count() == (
            FollowUpMeeting.objects.filter(placement__synthetic=True).count()
        )
        counts = (
            Participant.objects.count(),
            Placement.objects.count(),
            Attendance.objects.count(),
            ParticipantAccess.objects.count(),
        )
        open_then = set(
            Placement.objects.filter(synthetic=True, actual_end__isnull=True).values_list(
                "pk", flat=True
            )
        )
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False):
        demo_load(living_until=later)
        demo_load(living_until=first)  # an older day adds nothing and removes nothing
    assert Participant.objects.count() > counts[0]
    assert Placement.objects.count() > counts[1]
    assert Attendance.objects.count() > counts[2]
    assert ParticipantAccess.objects.count() > counts[3]
    assert ParticipantAccess.objects.filter(page="meeting_new").count() == (
        FollowUpMeeting.objects.filter(placement__synthetic=True).count()
    )
    duplicated = (
        Placement.objects.values("participant", "start_date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicated.exists()
    # What was open then and has ended since is now closed, with a destination.
    closed = Placement.objects.filter(pk__in=open_then, actual_end__isnull=False)
    assert closed.exists()
    assert all(p.destination for p in closed)
    # Synthetic data is labelled as such.
    assert not Participant.objects.filter(code__startswith="SYN-", synthetic=False).exists()
    assert not Placement.objects.filter(participant__code__startswith="SYN-", synthetic=False)
