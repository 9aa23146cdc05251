"""Exports: the year's figures for the annual follow-up (small cells hidden for an analyst), and
the person-level participation extract (logged, refused to roles that may not have it)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from platsa.placements.models import ParticipantAccess
from platsa.transfer.exports import year_figures
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 2, 1, 12, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_the_year_s_figures_add_up_to_the_case(world: World) -> None:
    figures = year_figures(world.manager, year=2023, today=NOW.date())
    total = figures.total
    # Table 5: 17 placements, of which 15 ran in 2023 (OST-03 ended 2022-12-09, OST-09 on
    # 2023-01-31 still counts); the 2 in work ended in June 2023.
    assert total.counts["work"] == 2 and total.counts["studies"] == 0
    assert total.counts["participants"] == 16
    assert sum(r.counts["participants"] for r in figures.rows) == 16
    # Places: 12 until the agreements ended 2023-08-31 (renewed: still 12 after).
    assert round(total.places, 1) == 12.0
    assert total.cost_sek == pytest.approx(12 * 6000 * 12, rel=1e-6)
    assert 0 < total.utilisation < 0.5


@time_machine.travel(NOW, tick=False)
def test_an_analyst_sees_no_count_under_five_and_none_can_be_worked_back(world: World) -> None:
    figures = year_figures(world.analyst, year=2023, today=NOW.date())
    for row in figures.rows:
        for key, value in row.counts.items():
            assert value is None or value == 0 or value >= 5, (row.organisation, key, value)
        assert row.occupied_place_months is None  # fewer than 5 people placed on average
        assert row.cost_sek > 0  # places and their cost are always shown
    # Where a column shows its total, no single hidden organisation can be recovered from it.
    for key in ("participants", "ended", "work"):
        hidden = [r for r in figures.rows if r.counts[key] is None]
        assert len(hidden) != 1


@time_machine.travel(NOW, tick=False)
def test_the_year_s_figures_download_as_excel_and_csv(world: World) -> None:
    client = client_for(world.analyst)
    page = client.get(reverse("exports"), {"year": "2023", "format": "xlsx"}).content.decode()
    assert "Alla organisationer" in page and "Till arbete" in page
    assert "Deltagande i insatsen" not in page  # the analyst gets no person-level extract
    response = client.get(reverse("exports"), {"year": "2023", "format": "xlsx", "download": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Årsuppföljning 2023"
    assert sheet["A1"].value == "Organisation" and sheet.max_row == 7  # 5 + total + heading
    text = client.get(
        reverse("exports"), {"year": "2023", "format": "csv", "download": "1"}
    ).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[-1][0] == "Alla organisationer" and "–" in rows[1]
    assert client.get(reverse("exports"), {"year": "2099", "format": "csv"}).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_participation_extract_is_person_by_person_and_logged(world: World) -> None:
    client = client_for(world.manager)
    before = ParticipantAccess.objects.count()
    response = client.get(
        reverse("exports"), {"start": "2022-01-01", "end": "2023-12-31", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Deltagarkod", "Organisation", "Start", "Slut", "Orsak till avslut", "Kod"]
    assert len(rows) == 18  # Table 5's 17 placements
    ost02 = next(r for r in rows if r[0] == "OST-02")
    assert ost02[1:] == [
        "A-lagets Allservice",
        "2022-09-26",
        "2023-06-30",
        "Anställning hos organisationen",
        "employed_at_organisation",
    ]
    assert ParticipantAccess.objects.count() - before == 17
    for user in (world.analyst, world.supervisor_rk, world.reviewer):
        refused = client_for(user).get(
            reverse("exports"), {"start": "2022-01-01", "end": "2023-12-31", "format": "csv"}
        )
        assert refused.status_code in (200, 403)
        assert b"OST-02" not in refused.content
    bad = client.get(
        reverse("exports"), {"start": "2023-12-31", "end": "2022-01-01", "format": "csv"}
    )
    assert "Slutet är före början." in bad.content.decode()
