"""The faster reads give the same figures as the raw rows: each one recomputed the slow way (every
placement of the history as a model object) and compared, on the Östersund case and on a
synthetic municipality of some years."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from platsa.accounts.models import Municipality, User
from platsa.engine.occupancy import PlacementSpec, occupancy
from platsa.placements.models import Attendance, Placement, ScopeStep
from platsa.placements.occupancy import Scope, agreements_in_scope, occupancy_for
from platsa.placements.selectors import placement_facts
from platsa.site.synth import synth
from tests.conftest import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def _raw_occupancy(scope: Scope, start: dt.date, end: dt.date, as_of: dt.date):  # type: ignore[no-untyped-def]
    """Every placement of the municipality, every attendance row, as the page once read them."""
    agreements = agreements_in_scope(scope)
    keys = {a.pk for a in agreements}
    specs = []
    for p in Placement.objects.filter(participant__municipality_id=scope.municipality_id):
        if p.agreement_id not in keys and p.agreement_id is not None:
            continue
        steps = tuple(
            (s.valid_from, float(s.days_per_week))
            for s in ScopeStep.objects.filter(placement=p, days_per_week__isnull=False)
        )
        attendance = tuple(
            (a.date, a.status == "present")
            for a in Attendance.objects.filter(placement=p, date__range=(start, end))
        )
        specs.append(
            PlacementSpec(
                p.pk,
                p.agreement_id,
                p.start_date,
                p.actual_end,
                p.planned_end,
                p.place_id,
                scope_days_per_week=steps,
                attendance=attendance,
            )
        )
    return occupancy(
        agreements=[a.spec() for a in agreements],
        placements=specs,
        start=start,
        end=end,
        as_of=as_of,
    )


def _same(scope: Scope, start: dt.date, end: dt.date, as_of: dt.date) -> None:
    fast, _agreements = occupancy_for(scope, start=start, end=end, as_of=as_of)
    raw = _raw_occupancy(scope, start, end, as_of)
    for name in (
        "capacity",
        "occupied",
        "daily_cost",
        "scheduled_days_sum",
        "scope_known",
        "present",
        "attendance_known",
    ):
        np.testing.assert_array_equal(getattr(fast, name), getattr(raw, name), err_msg=name)
    assert fast.agreement_keys == raw.agreement_keys


def test_the_period_s_occupancy_equals_the_raw_computation(world: World) -> None:
    scope = Scope(world.ostersund.pk)
    _same(scope, dt.date(2022, 9, 1), dt.date(2023, 8, 31), dt.date(2023, 11, 30))
    _same(scope, dt.date(2023, 2, 1), dt.date(2023, 2, 28), dt.date(2023, 11, 30))


def test_on_synthetic_years_too() -> None:
    synth(municipalities=1, participants=60, years=2, seed=3, today=TODAY)
    synthetic = Municipality.objects.get(code="9001")
    for start, end in (
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (TODAY - dt.timedelta(days=30), TODAY),
    ):
        _same(Scope(synthetic.pk), start, end, TODAY)
        organisation = synthetic.organisations.order_by("name").first()
        _same(Scope(synthetic.pk, organisation_id=organisation.pk), start, end, TODAY)


def test_placement_facts_read_as_tuples_equal_the_model_s(world: World) -> None:
    placements = Placement.objects.filter(participant__municipality=world.ostersund)
    fast = {pk: (org, facts) for pk, org, facts in placement_facts(placements)}
    assert len(fast) == placements.count() == 17
    for p in placements.select_related("organisation", "agreement"):
        assert fast[p.pk] == (p.organisation.name, p.facts())


def _raw_records(placements):  # type: ignore[no-untyped-def]
    """The indicators' records the way the page once read them: model objects and prefetches."""
    from platsa.engine.indicators import PlacementRecord
    from platsa.engine.progression import progression

    out = []
    for p in placements.select_related("organisation").prefetch_related(
        "scope_steps", "exit_checks", "assessments__scores__scale"
    ):
        hours = []
        for s in sorted(p.scope_steps.all(), key=lambda s: (s.valid_from, s.pk)):
            if s.hours_per_day is not None and s.days_per_week is not None:
                hours.append(float(s.hours_per_day) * s.days_per_week)
            elif s.percent is not None:
                hours.append(40.0 * s.percent / 100)
        series = [
            (a.date, {s.scale.code: s.value for s in a.scores.all()})
            for a in sorted(p.assessments.all(), key=lambda a: (a.date, a.pk))
        ]
        skills = [
            x for x in progression(series, thresholds={"work_skills": 2}) if len(x.points) >= 2
        ]
        out.append(
            PlacementRecord(
                organisation=p.organisation.name,
                start=p.start_date,
                end=p.actual_end,
                destination=p.destination,
                checks={c.months_after: c.status for c in p.exit_checks.all() if c.status},
                hours_first=hours[0] if hours else None,
                hours_latest=hours[-1] if len(hours) > 1 else None,
                work_skills_improved=(skills[0].change >= skills[0].threshold) if skills else None,
            )
        )
    return out


def test_the_indicators_records_equal_the_raw_computation() -> None:
    from platsa.placements.indicators import _records
    from platsa.placements.models import Assessment, AssessmentScore, Instrument

    synth(municipalities=1, participants=40, years=2, seed=4, today=TODAY)
    placements = Placement.objects.filter(participant__municipality__code="9001").order_by("pk")
    instrument = Instrument.objects.get(code="platsa-steg")
    skills = instrument.scales.get(code="work_skills")
    coach = User.objects.get(username="coach-9001")
    for p, values in zip(placements[:3], ((1, 3), (2, 2), (1, 4)), strict=True):
        for days, value in zip((10, 60), values, strict=True):
            a = Assessment.objects.create(
                placement=p,
                instrument=instrument,
                date=p.start_date + dt.timedelta(days=days),
                occasion="start" if days == 10 else "interval",
                recorded_by=coach,
            )
            AssessmentScore.objects.create(assessment=a, scale=skills, value=value)
    fast = sorted(_records(placements), key=repr)
    raw = sorted(_raw_records(placements), key=repr)
    assert fast == raw
    assert sum(r.work_skills_improved is True for r in fast) == 2
    assert any(r.hours_latest for r in fast) and any(r.checks for r in fast)


def test_the_no_destination_alert_counts_what_the_engine_flags_over_every_placement() -> None:
    """SQL narrows the ended placements to those whose destination could be missing; the
    count must be the engine's flag over every placement, read one by one."""
    from platsa.engine.quality import PlacementFlag, placement_flags
    from platsa.occupancy.alerts import _without_destination

    synth(municipalities=1, participants=40, years=2, seed=6, today=TODAY)
    placements = Placement.objects.filter(participant__municipality__code="9001").order_by("pk")
    ended = [p for p in placements if p.actual_end is not None and p.actual_end < TODAY]
    ended[0].destination = "unknown"
    ended[1].destination = ""
    for p in ended[:2]:
        p.save(update_fields=["destination"])
    expected = sum(
        1
        for p in Placement.objects.filter(pk__in=[p.pk for p in placements])
        if PlacementFlag.ENDED_WITHOUT_DESTINATION in placement_flags(p.facts(), as_of=TODAY)
    )
    assert expected >= 2
    (alert,) = _without_destination(User.objects.get(username="coach-9001"), today=TODAY)
    assert alert.message.startswith(f"{expected} ")
