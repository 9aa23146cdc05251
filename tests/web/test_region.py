"""The regional view: aggregates of the municipalities that share with a region, and the
municipality's administrator's decision to share."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from platsa.accounts.models import Region, RegionShare, Role, User
from platsa.engine.occupancy import add_months
from platsa.impact.dashboard import value_dashboard
from platsa.impact.models import YearFigures
from platsa.impact.regional import figures_refresh, regional_table
from platsa.placements.models import Placement
from platsa.placements.occupancy import overlapping
from platsa.procurement.models import Agreement, AgreementPlaces
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC)
TODAY = NOW.date()


def _analyst(region: Region, username: str = "region-analytiker") -> User:
    user = User(username=username, role=Role.REGION, region=region)
    user.set_password("pw")
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _share(region: Region, municipality: object, by: User | None = None) -> RegionShare:
    return RegionShare.objects.create(
        region=region,
        municipality=municipality,
        decision="KS 2024-05-02 § 7",
        agreed_on=dt.date(2024, 5, 2),
        recorded_by=by,
    )


def _both_share(world: World, region: Region) -> None:
    """Östersund and Ånge share with ``region``, Ånge's participant leaves for work, and both
    municipalities' years are read."""
    _share(region, world.ostersund)
    _share(region, world.elsewhere)
    _to_work(world)
    for m in (world.ostersund, world.elsewhere):
        figures_refresh(m, today=TODAY)


def _to_work(world: World) -> None:
    """Ånge's one participant leaves for work in the autumn of 2023."""
    placement = world.elsewhere_placement
    placement.actual_end = dt.date(2023, 10, 31)
    placement.destination = "employed_elsewhere"
    placement.save()


@time_machine.travel(NOW, tick=False)
def test_each_municipality_s_payback_is_its_own_value_page_s(world: World) -> None:
    """The regional view pools the municipalities in one run of the engine; each row's
    payback band is the one the municipality's own value page computes for the year, and its
    counts are the raw records'."""
    region = Region.objects.create(name="Region Jämtland Härjedalen")
    _share(region, world.ostersund)
    _share(region, world.elsewhere)
    _to_work(world)
    assert figures_refresh(world.ostersund, today=TODAY) == 3  # 2022, 2023, 2024
    assert figures_refresh(world.elsewhere, today=TODAY) == 1
    table = regional_table(region, 2023, threshold=1)
    by_name = {r.name: r for r in table.rows}
    paid_back = False
    for name, user in (("Östersund", world.analyst), ("Ånge", world.elsewhere_admin)):
        dashboard = value_dashboard(
            user, today=TODAY, period=(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        )
        assert dashboard is not None
        expected = {
            k: None if m is None else add_months(dt.date(2023, 1, 1), m)
            for k, m in dashboard.payback_months_band.items()
        }
        assert by_name[name].payback == expected
        assert by_name[name].exits_to_work.value == dashboard.exits_to_work
        assert by_name[name].cost_sek == pytest.approx(dashboard.cumulative_cost[11])
        paid_back |= expected["p50"] is not None
    assert paid_back  # at least one band is a date, not only "not within"
    row = by_name["Östersund"]
    running = Placement.objects.filter(participant__municipality=world.ostersund).filter(
        overlapping(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    )
    assert row.placements.value == running.count()
    assert row.participants.value == running.values("participant").distinct().count()
    # The total: both municipalities' value against both costs, the same draws.
    assert table.total is not None
    assert table.total.cost_sek == pytest.approx(sum(r.cost_sek for r in table.rows))
    assert table.total.participants.value == sum(r.participants.value for r in table.rows)
    assert table.years == [2024, 2023, 2022]
    # 2022, where the shipped parameters begin, is valued like any other year.
    assert regional_table(region, 2022, threshold=1).rows[0].payback is not None
    # A year before the parameters keeps its places and cost, without a payback.
    earlier = Agreement.objects.create(
        organisation=world.elsewhere_organisation,
        start_date=dt.date(2021, 1, 1),
        end_date=dt.date(2021, 12, 31),
        price_sek=5000,
    )
    AgreementPlaces.objects.create(agreement=earlier, valid_from=dt.date(2021, 1, 1), places=1)
    Placement.objects.create(
        participant=world.elsewhere_placement.participant,
        organisation=world.elsewhere_organisation,
        agreement=earlier,
        start_date=dt.date(2021, 3, 1),
        actual_end=dt.date(2021, 6, 30),
        destination="unknown",
    )
    assert figures_refresh(world.elsewhere, today=TODAY) == 2  # 2021 and 2023
    early = regional_table(region, 2021, threshold=1)
    assert early.rows[0].cost_sek > 0 and early.rows[0].payback is None
    assert YearFigures.objects.get(municipality=world.elsewhere, year=2021).value_inputs is None


@time_machine.travel(NOW, tick=False)
def test_the_analyst_sees_only_sharing_municipalities_with_small_counts_hidden(
    world: World,
) -> None:
    region = Region.objects.create(name="Region Jämtland Härjedalen")
    other = Region.objects.create(name="Region Västernorrland")
    analyst = _analyst(region)
    outsider = _analyst(other, "region-annan")
    _both_share(world, region)
    # The start page is the regional view.
    client = client_for(analyst)
    assert client.get(reverse("home"))["Location"] == reverse("regional")
    page = client.get(reverse("regional"), {"ar": "2023"}).content.decode()
    assert "Östersund" in page and "Ånge" in page
    # Ånge's one participant is hidden, and Östersund's count with it (else the total tells).
    table = regional_table(region, 2023, threshold=5)
    by_name = {r.name: r for r in table.rows}
    assert by_name["Ånge"].participants.suppressed
    assert by_name["Östersund"].participants.suppressed
    assert by_name["Ånge"].amounts_hidden and by_name["Ånge"].payback is None
    assert page.count("dolt") >= 3
    assert "ANG-01" not in page  # no participant's code, ever
    # Another region's analyst sees none of it.
    theirs = client_for(outsider).get(reverse("regional")).content.decode()
    assert "Östersund" not in theirs and "Ånge" not in theirs
    # A year without figures shows the newest; nonsense is not read.
    for asked in ("1999", "x", "20230"):
        assert client.get(reverse("regional"), {"ar": asked}).status_code == 200
    # Withdrawn: gone at once, before the figures are read again.
    RegionShare.objects.filter(municipality=world.elsewhere).delete()
    page = client.get(reverse("regional"), {"ar": "2023"}).content.decode()
    assert "Ånge" not in page and "Östersund" in page


def test_only_the_regional_analyst_opens_the_regional_view(world: World) -> None:
    for user in (world.coach, world.manager, world.analyst, world.admin, world.reviewer):
        assert client_for(user).get(reverse("regional")).status_code == 403
    analyst = _analyst(Region.objects.create(name="R"))
    client = client_for(analyst)
    for name in ("value", "placement_list", "occupancy_overview", "guidance", "exports"):
        assert client.get(reverse(name)).status_code == 403, name
    page = client.get(reverse("regional")).content.decode()
    assert "Ingen kommun delar" in page


def test_a_regional_analyst_belongs_to_a_region_not_a_municipality(world: World) -> None:
    from django.core.exceptions import ValidationError

    region = Region.objects.create(name="R")
    with pytest.raises(ValidationError) as error:
        User(username="x", role=Role.REGION, municipality=world.ostersund).full_clean(
            exclude=["password"]
        )
    assert "region" in error.value.message_dict and "municipality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        User(username="y", role=Role.COACH, municipality=world.ostersund, region=region).full_clean(
            exclude=["password"]
        )
    assert "region" in error.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_the_administrator_records_and_withdraws_the_decision_to_share(world: World) -> None:
    from tests.test_report import _worker

    region = Region.objects.create(name="Region Jämtland Härjedalen")
    admin = client_for(world.admin)
    url = reverse("region_sharing")
    page = admin.get(url).content.decode()
    assert "Region Jämtland Härjedalen" in page
    # An untouched form records nothing and says what is missing.
    response = admin.post(url, {})
    assert response.status_code == 200 and not RegionShare.objects.exists()
    assert "Detta fält måste fyllas i" in response.content.decode()
    # A decision dated in the future is refused.
    future = {"region": region.pk, "decision": "KS § 1", "agreed_on": "2024-07-01"}
    assert admin.post(url, future).status_code == 200 and not RegionShare.objects.exists()
    ancient = {"region": region.pk, "decision": "KS § 1", "agreed_on": "1900-01-01"}
    assert admin.post(url, ancient).status_code == 200 and not RegionShare.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin.post(
            url, {"region": region.pk, "decision": "KS 2024-05-02 § 7", "agreed_on": "2024-05-02"}
        )
    assert response.status_code == 302
    share = RegionShare.objects.get()
    assert (share.municipality, share.decision, share.agreed_on, share.recorded_by) == (
        world.ostersund,
        "KS 2024-05-02 § 7",
        dt.date(2024, 5, 2),
        world.admin,
    )
    page = admin.get(url).content.decode()
    assert "KS 2024-05-02 § 7" in page and "2024-05-02" in page and "admin" in page
    # The worker reads the municipality's figures for the region.
    assert not YearFigures.objects.exists()
    _worker()
    assert YearFigures.objects.filter(municipality=world.ostersund).count() == 3
    # Other roles may not share; another municipality's administrator may not withdraw it.
    for user in (world.coach, world.manager, world.analyst):
        assert client_for(user).get(url).status_code == 403
    withdraw = reverse("region_sharing_withdraw", args=[share.pk])
    assert client_for(world.elsewhere_admin).post(withdraw).status_code == 404
    assert admin.post(withdraw).status_code == 302
    assert not RegionShare.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_platsa_figures_reads_the_sharing_municipalities_and_drops_the_others(
    world: World,
) -> None:
    import io

    from django.core.management.base import CommandError

    region = Region.objects.create(name="R")
    _share(region, world.ostersund)
    figures_refresh(world.elsewhere, today=TODAY)  # read once, no longer shared
    out = io.StringIO()
    call_command("figures", stdout=out)
    assert set(YearFigures.objects.values_list("municipality", flat=True)) == {world.ostersund.pk}
    assert "Siffror för 3 år i 1 kommun," in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("figures", "--municipality", "0000", stdout=io.StringIO())
    assert refused.value.returncode == 2


@time_machine.travel(NOW, tick=False)
def test_the_year_s_table_downloads_with_the_same_hidden_cells(world: World) -> None:
    import io

    from openpyxl import load_workbook

    region = Region.objects.create(name="Region Jämtland Härjedalen")
    analyst = _analyst(region)
    _both_share(world, region)
    client = client_for(analyst)
    response = client.get(reverse("regional"), {"ar": "2023", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="region-2023.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    header = rows["Kommunen"]
    ange = dict(zip(header, rows["Ånge"], strict=True))
    ostersund = dict(zip(header, rows["Östersund"], strict=True))
    total = dict(zip(header, rows["Alla kommuner som delar"], strict=True))
    # Ånge's one participant and its one exit are hidden, and so is its payback; Östersund's
    # participants with them (else the total gives Ånge's back).
    assert ange["Deltagare"] == "dolt" and ange["Vidare till arbete"] == "dolt"
    assert ange["Kommunens återbetalning, median"] == "dolt"
    assert ostersund["Deltagare"] == "dolt"
    table = regional_table(region, 2023, threshold=5)
    assert total["Deltagare"] == table.total.participants.value  # type: ignore[union-attr]
    assert ostersund["Kostnad (kr)"] == round(table.rows[1].cost_sek)
    csv_text = client.get(reverse("regional"), {"ar": "2023", "format": "csv"}).content.decode()
    assert "Ånge;" in csv_text and "ANG-01" not in csv_text
    # Another region's analyst gets nothing of it; a municipal role is refused.
    outsider = client_for(_analyst(Region.objects.create(name="Annan"), "annan"))
    assert outsider.get(reverse("regional"), {"format": "xlsx"}).status_code == 200
    assert "Ånge" not in outsider.get(reverse("regional"), {"format": "csv"}).content.decode()
    assert client_for(world.analyst).get(reverse("regional"), {"format": "csv"}).status_code == 403
