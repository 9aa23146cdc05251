"""Hostile input gets a clear answer, never a server error (issue #12's list, the parts mended)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from platsa.placements.models import Participant
from platsa.site.casefile import CaseFileError, load_case_file
from tests.conftest import IN_THE_YEAR, World, client_for

pytestmark = pytest.mark.django_db
HUGE = "9" * 20


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_ids_no_key_could_be_are_refused_as_choices(world: World) -> None:
    coach = client_for(world.coach)
    participant = Participant.objects.get(municipality=world.ostersund, code="OST-06")
    response = coach.post(
        reverse("participant_profile", args=[participant.pk]), {"interests": [HUGE]}
    )
    assert (
        response.status_code == 200 and "Välj ett giltigt alternativ" in response.content.decode()
    )
    assert coach.get(reverse("placement_list"), {"organisation": HUGE}).status_code == 200
    manager = client_for(world.manager)
    response = manager.post(reverse("agreement_new"), {"organisation": HUGE, "places": "1"})
    assert response.status_code == 200
    assert (
        manager.get(reverse("invoicing"), {"organisation": HUGE, "month": "2023-05"}).status_code
        == 200
    )


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_an_empty_or_absurd_instrument_falls_back_to_the_default(world: World) -> None:
    url = reverse("assessment_new", args=[world.placement("OST-06").pk])
    for value in ("", HUGE, "abc"):
        response = client_for(world.coach).get(url, {"instrument": value})
        assert response.status_code == 200, value


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_month_far_away_is_refused_plainly(world: World) -> None:
    org = world.org("Röda Korset").pk
    response = client_for(world.manager).get(
        reverse("invoicing"), {"organisation": org, "month": "9999-12"}
    )
    assert response.status_code == 200
    assert "Välj en månad mellan 2000 och 2100." in response.content.decode()


def test_a_case_file_that_is_not_utf8_or_renames_a_shared_work_type_is_refused(
    world: World, tmp_path
) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("format: platsa-case/1\n# Östersund\n".encode("latin-1"))
    with pytest.raises(CaseFileError, match="latin.yaml: är inte UTF-8"):
        load_case_file(latin)
    renamer = tmp_path / "rename.yaml"
    renamer.write_text(
        "format: platsa-case/1\nsource: test\nmunicipality: {code: '2260', name: Ånge}\n"
        "work_types:\n  - {code: cafe, name: Kaffestuga, indoor: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseFileError, match="delas av alla kommuner"):
        load_case_file(renamer)
    from platsa.procurement.models import WorkType

    assert WorkType.objects.get(code="cafe").name == "Café"


def test_an_access_log_search_far_outside_time_is_named(world: World) -> None:
    """Found by tests/web/test_fuzz.py: year 1 overflowed the time-zone arithmetic."""
    response = client_for(world.admin).get(
        reverse("access_log"), {"start": "0001-01-01", "end": "9999-12-31"}
    )
    assert response.status_code == 400
    assert "Välj ett datum mellan 2000 och 2100" in response.content.decode()


def test_organisation_profiles_for_a_period_not_yet_begun(world: World) -> None:
    """Found by tests/web/test_fuzz.py: a period wholly in the future ended before it began."""
    response = client_for(world.manager).get(
        reverse("organisation_profiles"), {"start": "2030-01-01", "end": "2030-12-31"}
    )
    assert response.status_code == 200
    # Nothing has started yet: no utilisation to show for any organisation.
    assert all(p.utilisation is None for p in response.context["profiles"])
