"""The faster reads give the same figures as the raw rows: each one recomputed the slow way (every
placement of the history as a model object) and compared, on the Östersund case and on a
synthetic municipality of some years."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from platsa.accounts.models import Municipality
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
