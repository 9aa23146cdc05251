"""Occupancy overview, invoicing basis, alerts and the occupancy CLI on Östersund's data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from platsa.accounts.models import Municipality
from platsa.placements.occupancy import Scope, occupancy_for
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

YEAR = {"start": "2022-09-01", "end": "2023-08-31"}
AS_OF = dt.date(2023, 11, 15)  # the municipality's data is from November 2023


def _year(world: World):  # type: ignore[no-untyped-def]
    return occupancy_for(
        Scope(world.ostersund.pk), start=dt.date(2022, 9, 1), end=dt.date(2023, 8, 31), as_of=AS_OF
    )


def test_the_report_s_known_answers(world: World) -> None:
    result, _ = occupancy_for(
        Scope(world.ostersund.pk), start=dt.date(2022, 8, 1), end=dt.date(2023, 10, 31), as_of=AS_OF
    )
    assert result.on(dt.date(2023, 5, 10)) == (12, 7)  # 7 placed on 2023-05-10
    assert result.on(dt.date(2023, 10, 31)) == (12, 2)  # 2 of 12 used at the end of October 2023
    year, _ = _year(world)
    assert year.cost_sek == pytest.approx(864_000)
    hej = year.for_organisation("Hej Främling").utilisation
    assert (
        hej is not None
        and hej > 0.7
        and hej == max(year.for_organisation(o).utilisation or 0 for o in set(year.organisations))
    )
    a_laget = world.placement("OST-02")
    assert (a_laget.actual_end - a_laget.start_date).days >= 270  # the 9-month placement at A-laget
    # Robin Hood's placement from 2022-08-29 is more than the places before the agreement starts.
    assert any(day == "2022-08-29" for _, day in result.over_capacity_days)


def test_a_manager_sees_the_grid_the_chart_costs_and_payment_models(world: World) -> None:
    response = client_for(world.manager).get(reverse("occupancy_overview"), YEAR)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "864\u00a0000\u00a0kr" in page and "Nyttjandegrad" in page
    assert len(response.context["grid"]) == 5 and len(response.context["months"]) == 12
    models = response.context["models"]
    assert set(models) == {"fixed_per_place_month", "per_weekday", "per_attended_day", "hybrid"}
    assert models["fixed_per_place_month"].municipality_cost_sek == pytest.approx(864_000)
    assert models["per_weekday"].municipality_cost_sek < 864_000
    assert (
        "Där omfattningen inte är registrerad: 5 schemalagda dagar i veckan antas" in page
    )  # shown, not silent
    assert "Omfattning registrerad för 0\u00a0% av placeringsdagarna" in page


def test_the_default_period_is_the_latest_agreement_year_that_has_started(world: World) -> None:
    with time_machine.travel(dt.datetime(2023, 5, 10, 12, tzinfo=dt.UTC), tick=False):
        response = client_for(world.coach).get(reverse("occupancy_overview"))
    assert (response.context["start"], response.context["end"]) == (
        dt.date(2022, 9, 1),
        dt.date(2023, 8, 31),
    )
    free = {f.agreement.organisation.name: f.free_now for f in response.context["free"]}
    assert free["Hej Främling"] == 0 and free["A-lagets Allservice"] == 2


def test_a_supervisor_sees_only_their_organisation_s_occupancy(world: World) -> None:
    response = client_for(world.supervisor_rk).get(reverse("occupancy_overview"), YEAR)
    assert [row["organisation"] for row in response.context["grid"]] == ["Röda Korset"]
    hej = world.org("Hej Främling")
    response = client_for(world.supervisor_rk).get(
        reverse("occupancy_overview"), {**YEAR, "organisation": hej.pk}
    )
    assert [row["organisation"] for row in response.context["grid"]] == ["Röda Korset"]
    assert response.context["form"].errors


def test_another_municipality_sees_none_of_ostersund_s_places(world: World) -> None:
    response = client_for(world.elsewhere_coach).get(reverse("occupancy_overview"), YEAR)
    assert [row["organisation"] for row in response.context["grid"]] == ["Annan förening"]
    assert "Röda Korset" not in response.content.decode()


def test_bad_periods_are_refused_with_a_message(world: World) -> None:
    client = client_for(world.manager)
    response = client.get(
        reverse("occupancy_overview"), {"start": "2023-08-31", "end": "2022-09-01"}
    )
    assert "Slutet får inte ligga före starten." in response.content.decode()
    response = client.get(
        reverse("occupancy_overview"), {"start": "2010-01-01", "end": "2023-01-01"}
    )
    assert "högst fem år" in response.content.decode()


def test_the_invoicing_basis_for_a_supplier_and_month(world: World) -> None:
    rk = world.org("Röda Korset")
    response = client_for(world.manager).get(
        reverse("invoicing"), {"organisation": rk.pk, "month": "2023-05"}
    )
    basis = response.context["basis"]
    assert basis.total_sek == pytest.approx(12_000)
    assert [(p.participant_code, p.days) for p in basis.placements] == [("OST-17", 31)]


def test_the_invoicing_exports_are_csv_and_excel(world: World) -> None:
    rk = world.org("Röda Korset")
    query = {"organisation": rk.pk, "month": "2023-02"}
    csv = client_for(world.manager).get(reverse("invoicing_csv"), query)
    assert (
        csv["Content-Disposition"]
        == 'attachment; filename="fakturaunderlag-roda-korset-2023-02.csv"'
    )
    text = csv.content.decode("utf-8-sig")
    assert (
        "Röda Korset;2023-02" in text
        and "12000,0" in text
        and "OST-16;2023-02-01;2023-02-01;1" in text
    )
    xlsx = client_for(world.supervisor_rk).get(reverse("invoicing_xlsx"), query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Leverantör" and rows[1][-1] == 12000


def test_a_supervisor_cannot_get_another_supplier_s_invoicing_basis(world: World) -> None:
    hej = world.org("Hej Främling")
    client = client_for(world.supervisor_rk)
    response = client.get(reverse("invoicing"), {"organisation": hej.pk, "month": "2023-05"})
    assert response.context["basis"] is None and response.context["form"].errors
    assert (
        client.get(
            reverse("invoicing_csv"), {"organisation": hej.pk, "month": "2023-05"}
        ).status_code
        == 403
    )
    other = client_for(world.elsewhere_admin).get(
        reverse("invoicing_xlsx"), {"organisation": world.org("Röda Korset").pk, "month": "2023-05"}
    )
    assert other.status_code == 403


@pytest.mark.parametrize("role", ["coach", "analyst"])
def test_roles_without_money_cannot_see_invoicing(world: World, role: str) -> None:
    assert client_for(getattr(world, role)).get(reverse("invoicing")).status_code == 403


def test_a_bad_month_is_refused_with_a_message(world: World) -> None:
    response = client_for(world.manager).get(
        reverse("invoicing"),
        {"organisation": world.org("PMU (Pingstkyrkan)").pk, "month": "2023-13"},
    )
    assert "Skriv månaden som ÅÅÅÅ-MM" in response.content.decode()


@time_machine.travel(dt.datetime(2023, 1, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_manager_is_warned_before_the_notice_deadline(world: World) -> None:
    response = client_for(world.manager).get(reverse("home"))
    kinds = [a.kind for a in response.context["alerts"]]
    assert kinds.count("notice_deadline") == 5
    assert "senast 2023-02-28" in response.content.decode()
    agreement = world.org("Robin Hood").agreements.get()
    page = (
        client_for(world.manager)
        .get(reverse("agreement_detail", args=[agreement.pk]))
        .content.decode()
    )
    assert "Förlängs automatiskt om det inte sägs upp senast 2023-02-28 (44 dagar kvar)." in page


@time_machine.travel(dt.datetime(2023, 1, 15, 12, tzinfo=dt.UTC), tick=False)
def test_empty_places_and_missing_destinations_alert_the_coach(world: World) -> None:
    world.ostersund.alert_empty_days = 10
    world.ostersund.save()
    alerts = client_for(world.coach).get(reverse("home")).context["alerts"]
    empty = [a for a in alerts if a.kind == "empty_places"]
    assert any("A-lagets Allservice" in a.message for a in empty)
    assert any(a.kind == "no_destination" for a in alerts)
    assert client_for(world.analyst).get(reverse("home")).context["alerts"] == []


@time_machine.travel(dt.datetime(2023, 12, 20, 12, tzinfo=dt.UTC), tick=False)
def test_a_supervisor_is_told_of_a_planned_end_coming_up(world: World) -> None:
    alerts = client_for(world.supervisor_hf).get(reverse("home")).context["alerts"]
    assert [a.kind for a in alerts] == ["planned_end_due"]
    assert "OST-08" in alerts[0].message
    assert client_for(world.supervisor_rk).get(reverse("home")).context["alerts"] == []


def test_the_alerts_command_prints_and_refuses_email_without_configuration(world: World) -> None:
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("alerts", on="2023-01-15", stdout=out)
    assert "manager (Enhetschef):" in out.getvalue() and "2023-02-28" in out.getvalue()
    with pytest.raises(CommandError, match="E-post är inte konfigurerad"):
        call_command("alerts", on="2023-01-15", email=True)


def test_the_alerts_command_emails_users_with_an_address(world: World, settings) -> None:
    settings.PLATSA_EMAIL_ENABLED = True  # pytest-django delivers to mail.outbox
    world.manager.email = "chef@example.org"
    world.manager.save()
    call_command("alerts", on="2023-01-15", email=True, stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["chef@example.org"]]
    assert "2023-02-28" in mail.outbox[0].body and "OST-" not in mail.outbox[0].subject


def test_occupancy_cli_known_answers(world: World) -> None:
    out = StringIO()
    call_command("occupancy", "--on", "2023-05-10", "--json", "--municipality", "2380", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["date"], data["places"], data["occupied"]) == ("2023-05-10", 12, 7)
    assert data["by_organisation"]["Hej Främling"] == {"places": 3, "occupied": 3}
    out = StringIO()
    call_command(
        "occupancy",
        "--from",
        "2022-09-01",
        "--to",
        "2023-08-31",
        "--json",
        "--municipality",
        "2380",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["cost_sek"] == pytest.approx(864_000) and data["capacity_place_days"] == 4380
    assert 0.4 < data["utilisation"] < 0.5 and len(data["months"]) == 12
    assert set(data["months"][0]) >= {
        "month",
        "capacity",
        "average_occupied",
        "end_of_month_occupied",
    }
    assert data["payment_models"]["fixed_per_place_month"][
        "municipality_cost_sek"
    ] == pytest.approx(864_000)
    assert set(data["by_organisation"]) == {
        "A-lagets Allservice",
        "Hej Främling",
        "PMU (Pingstkyrkan)",
        "Robin Hood",
        "Röda Korset",
    }


def test_occupancy_cli_needs_a_municipality_when_there_are_several(world: World) -> None:
    from django.core.management.base import CommandError

    assert Municipality.objects.count() == 2
    with pytest.raises(CommandError, match="--municipality"):
        call_command("occupancy", "--on", "2023-05-10")
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        call_command("occupancy", "--on", "2023-5-10", "--municipality", "2380")


def test_occupancy_cli_exits_2_on_bad_input(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env_dir = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "platsa", "occupancy", "--from", "2023-01-01"],
        capture_output=True,
        text=True,
        env={"PLATSA_DATA_DIR": str(env_dir), "PATH": ""},
    )
    assert done.returncode == 2


def test_the_overview_filters_by_agreement(world: World) -> None:
    agreement = world.org("PMU (Pingstkyrkan)").agreements.get()
    response = client_for(world.manager).get(
        reverse("occupancy_overview"), {**YEAR, "agreement": agreement.pk}
    )
    assert [row["organisation"] for row in response.context["grid"]] == ["PMU (Pingstkyrkan)"]
    assert response.context["result"].cost_sek == pytest.approx(144_000)
    other = world.elsewhere_organisation.agreements.get()
    response = client_for(world.manager).get(
        reverse("occupancy_overview"), {**YEAR, "agreement": other.pk}
    )
    assert response.context["form"].errors and len(response.context["grid"]) == 5


def test_a_placement_without_an_agreement_is_reported_not_dropped(world: World) -> None:
    placement = world.placement("OST-12")
    placement.agreement = None
    placement.save()
    response = client_for(world.manager).get(reverse("occupancy_overview"), YEAR)
    assert response.context["result"].unassigned == 1
    assert "1 placering saknar avtal och räknas inte." in response.content.decode()


def test_every_day_over_capacity_is_counted(world: World) -> None:
    early = world.placement("OST-09")  # Robin Hood; the agreement starts 2022-09-01
    early.start_date = dt.date(2022, 7, 1)
    early.save()
    response = client_for(world.manager).get(
        reverse("occupancy_overview"), {"start": "2022-07-01", "end": "2022-09-30"}
    )
    assert (
        response.context["over_capacity_days"] == 62
    )  # July and August, one participant, no place
    assert "Fler deltagare än platser under 62 avtalsdagar" in response.content.decode()


def test_an_analyst_sees_small_organisations_month_by_month_hidden(world: World) -> None:
    response = client_for(world.analyst).get(reverse("occupancy_overview"), YEAR)
    grid = {row["organisation"]: row["hidden"] for row in response.context["grid"]}
    assert set(grid.values()) == {True}  # every supplier has 2 or 3 places, under 5
    # The municipality's months: those with fewer than 5 people on average are hidden too, and
    # the chart with them; months with 5 or more, and the period's totals, are shown.
    cells = response.context["all_month_cells"]
    shown = [c["row"].average_occupied for c in cells if not c["hidden"]]
    hidden = [c["row"].average_occupied for c in cells if c["hidden"]]
    assert shown and hidden
    assert all(v == 0 or v >= 5 for v in shown) and all(0 < v < 5 for v in hidden)
    assert response.context["all_hidden"] and "<svg" not in response.content.decode()
    assert "864\u00a0000\u00a0kr" in response.content.decode()
    one = client_for(world.analyst).get(
        reverse("occupancy_overview"), {**YEAR, "organisation": world.org("Robin Hood").pk}
    )
    assert one.context["all_hidden"] and "<svg" not in one.content.decode()
    manager = client_for(world.manager).get(reverse("occupancy_overview"), YEAR)
    assert not any(row["hidden"] for row in manager.context["grid"])


def test_a_formula_like_supplier_name_stays_text_in_both_exports(world: World) -> None:
    rk = world.org("Röda Korset")
    rk.name = '=HYPERLINK("http://example.org","x")'
    rk.save()
    query = {"organisation": rk.pk, "month": "2023-02"}
    client = client_for(world.manager)
    text = client.get(reverse("invoicing_csv"), query).content.decode("utf-8-sig")
    fields = [f for row in csv.reader(io.StringIO(text), delimiter=";") for f in row]
    assert '\'=HYPERLINK("http://example.org","x")' in fields
    assert not any(f.startswith("=") for f in fields)
    xlsx = client.get(reverse("invoicing_xlsx"), query)
    cell = load_workbook(io.BytesIO(xlsx.content)).active["A2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
