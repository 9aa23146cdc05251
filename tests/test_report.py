"""The board report: the PDF's text and pages, the workbook's sheets, the command and the download.

The Östersund report's own figures are the known answers (§5.4, Table 6, Figure 14).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
YEAR = ["--municipality", "2380", "--from", "2022-09-01", "--to", "2023-08-31"]


def _text(path: Path) -> tuple[str, int]:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")), len(reader.pages)


@time_machine.travel(TODAY, tick=False)
def test_the_pdf_reproduces_the_report_s_figures(world: World, tmp_path: Path) -> None:
    out = tmp_path / "ostersund.pdf"
    # The evaluation report published its counts: the municipality may decide so, explicitly.
    call_command("report", *YEAR, "--out", str(out), "--min-group-size", "1", stdout=io.StringIO())
    text, pages = _text(out)
    assert 8 <= pages <= 16
    assert "Sysselsättningsplatser i Östersund" in text
    assert "864 000 kr för 144 platsmånader" in text  # the investment
    assert "46 %" in text  # utilisation over the agreement year
    assert (
        "17 placeringar pågick under perioden; 2 gick vidare till arbete och 1 till studier" in text
    )
    assert "456 000 kr om året" in text  # with the report's 5,500 rounding
    assert "1,89 år" in text  # payback in just under two years
    # The need for places: 46 % of 12 places in use, and what a two-week wait would take.
    assert "I genomsnitt var 5,5 platser i bruk av 12,0 köpta" in text
    assert "platser behövas (90 % av simuleringarna:" in text
    assert "skulle 5 deltagare ha behövt gå vidare till arbete" in text
    for heading in (
        "Sammanfattning",
        "Tre nivåer",
        "Värdeskapande över tid",
        "Beläggning",
        "Mål",
        "Metod och parametrar",
        "Datakvalitet och integritet",
    ):
        assert heading in text
    # Data-quality notes: the placement that starts before its agreement, unknown destinations.
    assert "Placeringen börjar innan avtalet börjar gälla. 1" in text
    assert "ingen jämförelsegrupp" in text  # the report's own caveat: no counterfactual
    assert "OST-" not in text  # no participant code, even with every count shown


@time_machine.travel(TODAY, tick=False)
def test_by_default_the_pdf_hides_small_counts_and_says_so(world: World, tmp_path: Path) -> None:
    out = tmp_path / "ostersund.pdf"
    call_command("report", *YEAR, "--out", str(out), stdout=io.StringIO())
    text, _pages = _text(out)
    assert "färre än 5 gick vidare till arbete och färre än 5 till studier" in text
    assert "Inget antal under 5 visas" in text
    assert "864 000 kr" in text  # amounts for the whole municipality are shown


@time_machine.travel(TODAY, tick=False)
def test_the_workbook_has_the_tables_behind_every_figure(world: World, tmp_path: Path) -> None:
    out = tmp_path / "ostersund.xlsx"
    # As the evaluation report did, the municipality has decided to show every count.
    call_command("report", *YEAR, "--out", str(out), "--min-group-size", "1", stdout=io.StringIO())
    book = load_workbook(out)
    assert book.sheetnames == [
        "Sammanfattning",
        "Beläggning",
        "Värde över tid",
        "Återbetalning",
        "SROI",
        "Per anordnare",
        "Behov",
        "Mål",
        "Alternativ",
        "Parametrar",
        "Datakvalitet",
    ]
    summary = {row[0]: row[1] for row in book["Sammanfattning"].iter_rows(values_only=True)}
    assert summary["Kostnad för platserna"] == 864_000
    assert summary["Nyttjandegrad"] == pytest.approx(0.4623, abs=1e-3)
    assert summary["Gick vidare till arbete"] == 2
    payback = {row[0]: row[1:] for row in book["Återbetalning"].iter_rows(values_only=True)}
    assert payback["Värde per år"][:2] == (456_000, pytest.approx(450_835.2))
    # Table 6 at the recorded prices: 12 places a year of 12 months, so 3-month placements give
    # 48 placements a year at 18,000 each (6,000 a place-month).
    rules = [row for row in book["Återbetalning"].iter_rows(values_only=True) if row[0] == 3]
    assert rules[0][:3] == pytest.approx((3, 48, 18_000))
    assert book["Återbetalning"]["B5"].number_format == '#,##0 "kr"'  # value a year
    assert book["Återbetalning"]["B6"].number_format == "0.00"  # payback in years


@time_machine.travel(TODAY, tick=False)
def test_the_default_workbook_hides_small_counts_and_every_amount_built_on_them(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "ostersund.xlsx"
    call_command("report", *YEAR, "--out", str(out), stdout=io.StringIO())
    book = load_workbook(out)
    # 2 people went on to work: the value, SROI, payback and alternatives would each tell so
    # (456 000 kr a year is 2 times the value of a year in work), so none is in the workbook.
    assert "Värde över tid" not in book.sheetnames and "SROI" not in book.sheetnames
    for name in ("Återbetalning", "Alternativ"):
        rows = list(book[name].iter_rows(min_row=2, values_only=True))
        assert all(v is None for row in rows for v in row), name
    summary = {row[0]: row[1] for row in book["Sammanfattning"].iter_rows(values_only=True)}
    assert summary["Gick vidare till arbete"] == "färre än 5"
    assert any(
        str(k).startswith("Värde, SROI, återbetalningstid och alternativen") for k in summary
    )
    assert summary["Kostnad för platserna"] == 864_000  # places, not people: shown
    values = [c for row in book.worksheets for r in row.iter_rows(values_only=True) for c in r]
    assert 456_000 not in values and 2 not in [summary.get("Gick vidare till arbete")]
    assert book["Beläggning"].max_row == 13  # a header and twelve months
    # Months with fewer than 5 people on average could date a placement: written as text.
    used = [row[2] for row in book["Beläggning"].iter_rows(min_row=2, values_only=True)]
    assert "färre än 5" in used and any(isinstance(v, float) and v >= 5 for v in used)
    quality = [row[1] for row in book["Datakvalitet"].iter_rows(min_row=2, values_only=True)]
    assert all(v == "färre än 5" or (isinstance(v, int) and v >= 5) for v in quality)
    # Kronor without decimals, shares as per cent, dates as dates.
    cells = {row[0].value: row[1] for row in book["Sammanfattning"].iter_rows()}
    assert cells["Kostnad för platserna"].number_format == '#,##0 "kr"'
    assert cells["Nyttjandegrad"].number_format == "0%"
    assert cells["Från"].number_format == "yyyy-mm-dd"
    assert cells["Från"].value.date() == dt.date(2022, 9, 1)
    occupancy = book["Beläggning"]
    assert occupancy["A2"].number_format == "yyyy-mm" and occupancy["D2"].number_format.endswith(
        '"kr"'
    )


@time_machine.travel(TODAY, tick=False)
def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(
    world: World, tmp_path: Path
) -> None:
    from platsa.impact.models import Alternative

    Alternative.objects.create(
        municipality=world.ostersund,
        name='=HYPERLINK("http://example.invalid","klicka")',
        kind="other_measure",
        cost_per_place_month_sek=7000,
        source="-uppskattning",
    )
    out = tmp_path / "x.xlsx"
    call_command("report", *YEAR, "--out", str(out), "--min-group-size", "1", stdout=io.StringIO())
    sheet = load_workbook(out)["Alternativ"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "-"))]
    assert risky and all(c.data_type == "s" for c in risky)


@time_machine.travel(TODAY, tick=False)
def test_bad_arguments_say_which_and_write_nothing(world: World, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    for args, message in (
        (["--municipality", "9999", "--from", "2022-09-01", "--to", "2023-08-31"], "9999"),
        (["--municipality", "2380", "--from", "2022-13-01", "--to", "2023-08-31"], "--from"),
        (["--municipality", "2380", "--from", "2023-09-01", "--to", "2023-08-31"], "--to: Slutet"),
    ):
        with pytest.raises(CommandError, match=message) as raised:
            call_command("report", *args, "--out", str(out))
        assert raised.value.returncode == 2
    with pytest.raises(CommandError, match=".pdf eller .xlsx"):
        call_command("report", *YEAR, "--out", str(tmp_path / "x.docx"))
    assert list(tmp_path.iterdir()) == []


def _worker() -> None:
    """Run what is queued with the real worker, inside the test's transaction: the worker's
    check for stale connections would close the test's (its transaction is not autocommit)."""
    from django_tasks_db.management.commands import db_worker

    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None  # type: ignore[assignment]
    try:
        call_command("worker", "--batch", verbosity=0)
    finally:
        db_worker.close_old_connections = original


@time_machine.travel(TODAY, tick=False)
def test_the_report_is_made_in_the_background_for_those_who_see_aggregates(world: World) -> None:
    from platsa.impact.models import ReportJob

    form = {"start": "2022-09-01", "end": "2023-08-31", "format": "xlsx", "scenario": ""}
    analyst = client_for(world.analyst)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = analyst.post(reverse("report"), form)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "report_job", args=[job.pk]
    )
    # Queued: the page shows where it stands and follows it; nothing to download yet.
    page = analyst.get(reverse("report_job", args=[job.pk])).content.decode()
    assert "Väntar på sin tur" in page and "<progress" in page
    assert analyst.get(reverse("report_job_status", args=[job.pk])).json()["status"] == "queued"
    assert analyst.get(reverse("report_job_file", args=[job.pk])).status_code == 404
    # The worker makes it (the real task queue, in the database).
    _worker()
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100
    done = analyst.get(reverse("report_job", args=[job.pk]), follow=True)
    assert "Rapporten är klar att ladda ner." in done.content.decode()
    response = analyst.get(reverse("report_job_file", args=[job.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="platsa-2380-20220901-20230831.xlsx"'
    )
    assert load_workbook(io.BytesIO(response.content))["Sammanfattning"]["B5"].value == 864_000
    # Only the one who asked: another user of the municipality, another municipality, a role
    # without aggregates are refused.
    for user in (world.manager, world.elsewhere_admin):
        assert client_for(user).get(reverse("report_job_file", args=[job.pk])).status_code == 404
    assert client_for(world.supervisor_rk).post(reverse("report"), form).status_code == 403
    # Another municipality's user gets their own municipality's report, never Östersund's.
    other = client_for(world.elsewhere_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        other.post(reverse("report"), form)
    _worker()
    theirs = ReportJob.objects.get(requested_by=world.elsewhere_admin)
    book = load_workbook(
        io.BytesIO(other.get(reverse("report_job_file", args=[theirs.pk])).content)
    )
    assert book["Sammanfattning"]["B2"].value == "Ånge"
    # A day later both are gone (platsa purge).
    with time_machine.travel(TODAY + dt.timedelta(days=2)):
        call_command("purge", stdout=io.StringIO())
    assert not ReportJob.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_saved_scenario_s_assumptions_carry_into_the_report(world: World, tmp_path: Path) -> None:
    from platsa.engine.scenario import Assumptions, Range
    from platsa.impact.scenarios import scenario_save

    scenario = scenario_save(
        world.manager,
        name="Försiktigt",
        note="",
        start=dt.date(2022, 9, 1),
        end=dt.date(2023, 8, 31),
        assumptions=Assumptions(deadweight=Range(0.2, 0.3, 0.5), simulations=2000),
        today=TODAY.date(),
    )
    out = tmp_path / "s.pdf"
    call_command(
        "report",
        *YEAR,
        "--out",
        str(out),
        "--scenario",
        str(scenario.pk),
        "--min-group-size",
        "1",
        stdout=io.StringIO(),
    )
    text, _pages = _text(out)
    assert "SROI, scenariot ”Försiktigt”" in text
    assert "20,0 % / 30,0 % / 50,0 %" in text  # the deadweight range, in the method section
    for view in ("municipality", "society"):  # both headlines: the medians
        expected = scenario.results["views"][view]["sroi"]["p50"]
        assert f"{expected:.2f}".replace(".", ",") in text
    assert "För kommunens egen budget gav varje krona tillbaka" in text
    with pytest.raises(CommandError, match="--scenario") as raised:
        call_command("report", *YEAR, "--out", str(out), "--scenario", "999")
    assert raised.value.returncode == 2


@time_machine.travel(TODAY, tick=False)
def test_the_report_page_opened_from_an_agreement_year_link_asks_for_nothing_yet(
    world: World,
) -> None:
    response = client_for(world.manager).get(
        reverse("report"), {"start": "2022-09-01", "end": "2023-08-31"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Detta fält måste fyllas i" not in page and "field-error" not in page
    assert 'value="2022-09-01"' in page and 'value="2023-08-31"' in page


def test_a_failed_login_puts_focus_on_the_username_with_the_error(world: World) -> None:
    from django.test import Client

    page = Client().post(reverse("login"), {"login": "coach", "password": "fel"})
    text = page.content.decode()
    assert 'role="alert" id="login-error"' in text
    assert 'autofocus aria-describedby="login-error"' in text


@time_machine.travel(TODAY, tick=False)
def test_a_period_before_the_parameters_or_too_long_is_refused_plainly(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    for start, end, message in (
        ("2015-01-01", "2015-12-31", "Parametrarna börjar 2022-01-01"),
        ("2001-01-01", "2023-08-31", "högst 10 år"),
    ):
        with pytest.raises(CommandError, match=message) as raised:
            call_command(
                "report", "--municipality", "2380", "--from", start, "--to", end, "--out", str(out)
            )
        assert raised.value.returncode == 2 and not out.exists()
    manager = client_for(world.manager)
    for name in ("value", "scenarios", "alternatives", "organisation_profiles", "report"):
        query = {"start": "2015-01-01", "end": "2015-12-31"}
        if name == "report":
            response = manager.post(reverse(name), {**query, "format": "pdf", "scenario": ""})
        else:
            response = manager.get(reverse(name), query)
        assert response.status_code == 200, name
        assert "Parametrarna börjar 2022-01-01" in response.content.decode(), name


@time_machine.travel(TODAY, tick=False)
def test_the_pdf_reconciles_the_three_paybacks_and_both_views(world: World, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    call_command("report", *YEAR, "--out", str(out), "--min-group-size", "1", stdout=io.StringIO())
    text, _pages = _text(out)
    assert "Tre sätt att räkna återbetalning" in text
    assert (
        "5 deltagare ha behövt gå vidare till arbete som rapporten räknar, 6 med den exakta" in text
    )
    assert "För kommunens egen budget gav varje krona tillbaka" in text
    assert "För samhället, alla aktörer tillsammans" in text
    assert "mest troliga värdena" not in text.split("Sammanfattning")[1].split("Tre nivåer")[0]


@time_machine.travel(TODAY, tick=False)
def test_the_value_over_time_uses_the_period_s_parameters_like_the_rest_of_the_report(
    world: World,
) -> None:
    from platsa.impact.report import build_report

    report = build_report(
        world.ostersund,
        start=dt.date(2022, 9, 1),
        end=dt.date(2023, 8, 31),
        today=TODAY.date(),
        threshold=1,
    )
    assert report.value is not None
    # Both value a month in work with the parameters of 2023-08-31, not of 2026.
    assert report.value.monthly_value == report.recorded.monthly_value


@time_machine.travel(TODAY, tick=False)
def test_the_default_pdf_shows_no_amount_that_would_tell_how_many_went_to_work(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "ostersund.pdf"
    call_command("report", *YEAR, "--out", str(out), stdout=io.StringIO())
    text, _pages = _text(out)
    assert "864 000 kr för 144 platsmånader" in text  # what the places cost: shown
    assert "Vad det är värt står inte i den här rapporten: färre än 5 personer" in text
    for leak in ("456 000 kr", "1,89 år", "skulle 5 deltagare ha behövt"):
        assert leak not in text


@time_machine.travel(TODAY, tick=False)
def test_a_period_that_has_not_begun_gives_a_report_without_values(world: World) -> None:
    from platsa.impact.report import build_report

    report = build_report(
        world.ostersund, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 1), today=TODAY.date()
    )
    assert report.value is None and report.need is None
