"""``platsa synth``: synthetic municipalities at a chosen size, seeded, idempotent, and never
added to a database that holds real data."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from platsa.accounts.models import Municipality, Role, User
from platsa.impact.models import YearFigures
from platsa.placements.models import Attendance, ExitCheck, Participant, Placement, ScopeStep
from platsa.procurement.models import Agreement, Organisation
from platsa.site.demo import demo_load
from platsa.site.synth import synth
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def _counts(code: str) -> dict[str, int]:
    m = Municipality.objects.get(code=code)
    return {
        "participants": Participant.objects.filter(municipality=m).count(),
        "placements": Placement.objects.filter(participant__municipality=m).count(),
        "attendance": Attendance.objects.filter(placement__participant__municipality=m).count(),
        "scope_steps": ScopeStep.objects.filter(placement__participant__municipality=m).count(),
        "agreements": Agreement.objects.filter(organisation__municipality=m).count(),
        "users": User.objects.filter(municipality=m).count(),
    }


def test_a_synthetic_municipality_looks_like_a_working_one_and_loads_once() -> None:
    reports = synth(municipalities=2, participants=40, years=2, seed=5, today=TODAY)
    assert [r.municipality for r in reports] == ["9001", "9002"]
    m = Municipality.objects.get(code="9001")
    assert m.synthetic and Organisation.objects.filter(municipality=m, synthetic=False).count() == 0
    assert 30 <= reports[0].participants <= 55  # about 40 referred over the two years
    placements = Placement.objects.filter(participant__municipality=m)
    assert placements.count() >= 25 and not placements.filter(synthetic=False).exists()
    # Agreements that renew, scope that steps up, absences with reasons, outcomes and checks.
    assert Agreement.objects.filter(organisation__municipality=m, auto_renew=True).exists()
    assert ScopeStep.objects.filter(placement__in=placements).count() > placements.count()
    absent = Attendance.objects.filter(placement__in=placements, status="absent")
    assert absent.exists() and set(absent.values_list("absence_reason", flat=True)) <= {
        "illness",
        "notified",
        "no_show",
    }
    assert placements.exclude(destination="").exists()
    assert ExitCheck.objects.filter(placement__in=placements).exclude(checked_on=None).exists()
    # One user of each role, and a supervisor per organisation.
    roles = set(User.objects.filter(municipality=m).values_list("role", flat=True))
    assert roles == set(Role.values) - {Role.REGION}
    # It shares with the synthetic region, whose analyst sees its year's figures there.
    regional = User.objects.get(username="region-synt")
    assert regional.role == Role.REGION and regional.municipality is None
    assert YearFigures.objects.filter(municipality=m, year=TODAY.year).exists()
    page = client_for(regional).get(reverse("regional")).content.decode()
    assert "Syntetkommun 9001" in page and "Syntetkommun 9002" in page
    # The two municipalities differ (their own seeds) and the same call adds nothing.
    first = _counts("9001")
    assert first != _counts("9002")
    synth(municipalities=2, participants=40, years=2, seed=5, today=TODAY)
    assert _counts("9001") == first
    # Its coach sees its own placements and nobody else's.
    coach = User.objects.get(username="coach-9001")
    page = client_for(coach).get(reverse("placement_list")).content.decode()
    assert "SYN-001" in page


def test_it_adds_to_the_demo_but_refuses_real_data(world: World) -> None:
    # The world has another municipality's real (non-synthetic) participant: refused.
    with pytest.raises(ValueError, match="verkliga uppgifter"):
        synth(municipalities=1, participants=10, years=1, seed=1, today=TODAY)
    with pytest.raises(CommandError) as refused:
        call_command("synth", "--participants", "10", "--years", "1", stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert not Municipality.objects.filter(code="9001").exists()


def test_next_to_the_demo_case_and_bounds() -> None:
    demo_load()
    out = io.StringIO()
    call_command(
        "synth", "--participants", "12", "--years", "1", "--seed", "2", "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["municipalities"][0]["municipality"] == "9001"
    with pytest.raises(ValueError):
        synth(municipalities=0, participants=10, years=1, seed=1, today=TODAY)
    with pytest.raises(ValueError):
        synth(municipalities=1, participants=10, years=31, seed=1, today=TODAY)
