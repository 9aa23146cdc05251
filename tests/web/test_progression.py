"""Progression: the shipped instrument, assessments on anchored scales, change against thresholds."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from platsa.placements.models import Assessment, AssessmentScore, Instrument
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.datetime(2023, 5, 10, 12, tzinfo=dt.UTC)


def _scores(instrument: Instrument, values: list[int]) -> dict[str, str]:
    return {
        f"scale-{s.pk}": str(v)
        for s, v in zip(instrument.scales.order_by("position"), values, strict=True)
    }


def test_the_default_instrument_is_original_and_covers_the_seven_areas(db: None) -> None:
    instrument = Instrument.objects.get(code="platsa-steg")
    assert (instrument.scale_min, instrument.scale_max) == (1, 10) and "CC0" in instrument.licence
    assert [s.code for s in instrument.scales.all()] == [
        "routines",
        "health",
        "social",
        "work_skills",
        "motivation",
        "language",
        "practical",
    ]
    for scale in instrument.scales.all():
        assert set(scale.anchors) == {"1", "4", "7", "10"} and scale.meaningful_change == 2


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_supervisor_and_participant_fill_it_in_and_the_coach_sees_the_change(
    world: World,
) -> None:
    placement = world.placement("OST-17")
    instrument = Instrument.objects.get(code="platsa-steg")
    url = reverse("assessment_new", args=[placement.pk])
    client = client_for(world.supervisor_rk)
    page = client.get(url).content.decode()
    assert (
        "Rutiner och närvaro" in page
        and "Håller tider och närvaro som på en vanlig arbetsplats." in page
    )
    client.post(
        url,
        {
            "instrument": instrument.pk,
            "date": "2023-04-12",
            "occasion": "start",
            "with_supervisor": "on",
            **_scores(instrument, [3, 5, 4, 2, 4, 6, 5]),
        },
    )
    client.post(
        url,
        {
            "instrument": instrument.pk,
            "date": "2023-05-10",
            "occasion": "interval",
            "with_supervisor": "on",
            **_scores(instrument, [6, 5, 5, 4, 3, 6, 2]),
        },
    )
    assert Assessment.objects.filter(placement=placement).count() == 2
    response = client_for(world.coach).get(
        reverse("participant_timeline", args=[placement.participant_id])
    )
    progress = {
        row.progress.scale: row.progress for row in response.context["placements"][-1]["progress"]
    }
    assert (progress["routines"].change, progress["routines"].direction) == (3, "better")
    assert (progress["social"].change, progress["social"].direction) == (
        1,
        "none",
    )  # below the threshold of 2
    assert progress["practical"].direction == "worse"
    page = response.content.decode()
    assert "Ja, bättre" in page and "Nej (gräns 2 steg)" in page and "<svg" in page


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_value_off_the_scale_or_a_missing_scale_saves_nothing(world: World) -> None:
    placement = world.placement("OST-17")
    instrument = Instrument.objects.get(code="platsa-steg")
    url = reverse("assessment_new", args=[placement.pk])
    response = client_for(world.coach).post(
        url,
        {
            "instrument": instrument.pk,
            "date": "2023-05-10",
            "occasion": "start",
            **_scores(instrument, [3, 5, 4, 2, 4, 6, 11]),
        },
    )
    assert "ligger utanför skalan 1–10" in response.content.decode()
    scores = _scores(instrument, [3, 5, 4, 2, 4, 6, 5])
    scores.pop(next(iter(scores)))
    response = client_for(world.coach).post(
        url, {"instrument": instrument.pk, "date": "2023-05-10", "occasion": "start", **scores}
    )
    assert "Rutiner och närvaro: välj ett värde." in response.content.decode()
    assert not Assessment.objects.exists() and not AssessmentScore.objects.exists()


@time_machine.travel(WEDNESDAY, tick=False)
def test_who_may_assess(world: World) -> None:
    rk = world.placement("OST-17")
    assert (
        client_for(world.supervisor_hf).get(reverse("assessment_new", args=[rk.pk])).status_code
        == 404
    )
    assert client_for(world.manager).get(reverse("assessment_new", args=[rk.pk])).status_code == 403
    assert client_for(world.analyst).get(reverse("assessment_new", args=[rk.pk])).status_code == 403
    assert (
        client_for(world.elsewhere_coach).get(reverse("assessment_new", args=[rk.pk])).status_code
        == 404
    )


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_coach_is_reminded_to_assess_progression(world: World) -> None:
    alerts = client_for(world.coach).get(reverse("home")).context["alerts"]
    due = {a.message.split(":")[0] for a in alerts if a.kind == "assessment_due"}
    assert {"OST-06", "OST-17"} <= due
    placement = world.placement("OST-17")
    instrument = Instrument.objects.get(code="platsa-steg")
    client_for(world.coach).post(
        reverse("assessment_new", args=[placement.pk]),
        {
            "instrument": instrument.pk,
            "date": "2023-05-10",
            "occasion": "start",
            **_scores(instrument, [5] * 7),
        },
    )
    alerts = client_for(world.coach).get(reverse("home")).context["alerts"]
    assert "OST-17" not in {a.message.split(":")[0] for a in alerts if a.kind == "assessment_due"}
