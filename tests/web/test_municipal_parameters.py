"""The municipality's own parameter values: entered with a source, shown again, used by every
figure of the municipality, and refused to the roles that may not set them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from platsa.engine.flows import outcome_values
from platsa.impact.models import ParameterValue
from platsa.impact.parameters import municipality_parameters
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
ENTRY = {
    "name": "social_assistance_per_month",
    "effective_from": "2023-01-01",
    "value": "10 250",
    "reference": "Östersunds kommun, ekonomienheten: utbetalt försörjningsstöd 2023",
    "note": "Per hushåll och biståndsmånad",
}


@time_machine.travel(TODAY, tick=False)
def test_the_manager_enters_a_value_that_is_stored_shown_and_used(world: World) -> None:
    manager = client_for(world.manager)
    on = dt.date(2023, 8, 31)
    before = municipality_parameters(world.ostersund)
    assert before.value("social_assistance_per_month", on=on) == 9000
    response = manager.post(reverse("municipal_parameters"), ENTRY)
    assert response.status_code == 302
    saved = ParameterValue.objects.get(municipality=world.ostersund)
    assert (
        saved.name,
        saved.effective_from,
        saved.value,
        saved.reference,
        saved.note,
        saved.recorded_by,
    ) == (
        "social_assistance_per_month",
        dt.date(2023, 1, 1),
        Decimal("10250"),
        ENTRY["reference"],
        ENTRY["note"],
        world.manager,
    )
    page = manager.get(reverse("municipal_parameters")).content.decode()
    for shown in (
        "2023-01-01",
        "10\u00a0250\u00a0kr",
        ENTRY["reference"],
        ENTRY["note"],
        "Kommunens egen (registrerad av manager den 2026-11-28)",
    ):
        assert shown in page
    # The shipped value is still listed; from 2023 the municipality's own counts.
    assert "9\u00a0000\u00a0kr" in page
    after = municipality_parameters(world.ostersund)
    assert after.value("social_assistance_per_month", on=on) == 10250
    assert after.value("social_assistance_per_month", on=dt.date(2022, 12, 31)) == 9000
    use = after.use("social_assistance_per_month", on=on)
    assert use.reference.startswith(ENTRY["reference"])
    assert "kommunens egen uppgift, registrerad av manager" in use.reference
    assert after.digest() != before.digest()  # saved scenarios see that the parameters changed
    # Every destination's saving for the municipality grows by the difference.
    gross = {
        d: v.by_actor["municipality"] for d, v in outcome_values(parameters=before, on=on).items()
    }
    own = {
        d: v.by_actor["municipality"] for d, v in outcome_values(parameters=after, on=on).items()
    }
    assert own["employment"] == pytest.approx(gross["employment"] + 1250)
    # The board report lists it with its source.
    from platsa.impact.report import build_report

    report = build_report(
        world.ostersund, start=dt.date(2022, 9, 1), end=dt.date(2023, 8, 31), today=TODAY.date()
    )
    (listed,) = [u for name, _d, u in report.parameters if name == "social_assistance_per_month"]
    assert listed.value == 10250 and ENTRY["reference"] in listed.reference


@time_machine.travel(TODAY, tick=False)
def test_a_rate_is_entered_in_per_cent_and_stored_as_a_share(world: World) -> None:
    admin = client_for(world.admin)
    response = admin.post(
        reverse("municipal_parameters"),
        {
            "name": "municipal_tax_kept_share",
            "effective_from": "2024-01-01",
            "value": "12,5",
            "reference": "SCB, kommunalekonomisk utjämning 2024, Östersund",
        },
    )
    assert response.status_code == 302
    saved = ParameterValue.objects.get(municipality=world.ostersund)
    assert saved.value == Decimal("0.125") and saved.note == ""
    assert "12,5\u00a0%" in admin.get(reverse("municipal_parameters")).content.decode()
    parameters = municipality_parameters(world.ostersund)
    assert parameters.value("municipal_tax_kept_share", on=dt.date(2024, 6, 1)) == 0.125
    assert parameters.value("municipal_tax_kept_share", on=dt.date(2023, 6, 1)) == 0.108


@time_machine.travel(TODAY, tick=False)
def test_bad_and_untouched_entries_save_nothing_and_say_which_field(world: World) -> None:
    manager = client_for(world.manager)
    untouched = manager.post(reverse("municipal_parameters"), {})
    assert untouched.status_code == 200 and not ParameterValue.objects.exists()
    assert "Inget sparades" in untouched.content.decode()
    cases = [
        ({"value": "0"}, "value", "mer än 0"),
        ({"value": "-5"}, "value", "mer än 0"),
        ({"value": "250 000"}, "value", "högst 200 000"),
        ({"name": "municipal_tax_rate", "value": "120"}, "value", "högst 100 procent"),
        ({"effective_from": "1999-12-31"}, "effective_from", "2000–2100"),
        ({"effective_from": "2029-01-01"}, "effective_from", "två år"),
        ({"reference": "  "}, "reference", ""),
        ({"name": "student_grant_per_week"}, "name", ""),
        ({"value": "x"}, "value", ""),
    ]
    for change, field, words in cases:
        response = manager.post(reverse("municipal_parameters"), {**ENTRY, **change})
        assert response.status_code == 200, change
        errors = response.context["form"].errors
        assert field in errors, (change, errors)
        assert words in " ".join(errors[field]), (change, errors)
    assert not ParameterValue.objects.exists()
    # The same parameter twice from the same day: the second is refused, the first stays.
    assert manager.post(reverse("municipal_parameters"), ENTRY).status_code == 302
    again = manager.post(reverse("municipal_parameters"), {**ENTRY, "value": "11000"})
    assert "redan ett värde" in " ".join(again.context["form"].errors["effective_from"])
    assert ParameterValue.objects.get().value == Decimal("10250")


@time_machine.travel(TODAY, tick=False)
def test_who_sees_sets_and_removes(world: World) -> None:
    client_for(world.manager).post(reverse("municipal_parameters"), ENTRY)
    value = ParameterValue.objects.get()
    # The analyst and the coach see what the figures are computed with, without a form.
    for user in (world.analyst, world.coach):
        page = client_for(user).get(reverse("municipal_parameters"))
        assert page.status_code == 200 and page.context["form"] is None
        assert ENTRY["reference"] in page.content.decode()
        assert client_for(user).post(reverse("municipal_parameters"), ENTRY).status_code == 403
        remove = reverse("municipal_parameter_remove", args=[value.pk])
        assert client_for(user).post(remove).status_code == 403
    for user in (world.supervisor_rk, world.reviewer):
        assert client_for(user).get(reverse("municipal_parameters")).status_code == 403
    # Another municipality sees its own (none), and cannot remove Östersund's.
    elsewhere = client_for(world.elsewhere_admin)
    assert ENTRY["reference"] not in elsewhere.get(reverse("municipal_parameters")).content.decode()
    remove = reverse("municipal_parameter_remove", args=[value.pk])
    assert elsewhere.post(remove).status_code == 404
    assert ParameterValue.objects.filter(pk=value.pk).exists()
    # Removing is a POST that redirects, and the shipped value counts again.
    done = client_for(world.manager).post(remove)
    assert done.status_code == 302 and done["Location"] == reverse("municipal_parameters")
    assert not ParameterValue.objects.exists()
    assert (
        municipality_parameters(world.ostersund).value(
            "social_assistance_per_month", on=dt.date(2023, 8, 31)
        )
        == 9000
    )


@time_machine.travel(TODAY, tick=False)
def test_a_sharing_municipality_s_regional_figures_follow_its_own_values(world: World) -> None:
    """The regional figures keep the digest of the parameters they were computed with; a new
    value of a sharing municipality queues their refresh, and the worker brings them up to date."""
    from django.test import TestCase

    from platsa.accounts.models import Region, RegionShare
    from platsa.impact.models import YearFigures
    from platsa.impact.regional import figures_refresh
    from tests.test_report import _worker

    RegionShare.objects.create(
        region=Region.objects.create(name="Region Jämtland Härjedalen"),
        municipality=world.ostersund,
        decision="KS § 7",
        agreed_on=dt.date(2024, 5, 2),
    )
    figures_refresh(world.ostersund, today=TODAY.date())
    digests = set(YearFigures.objects.values_list("parameters_digest", flat=True))
    assert digests == {municipality_parameters(world.ostersund).digest()}
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(world.manager).post(reverse("municipal_parameters"), ENTRY)
    _worker()
    after = set(YearFigures.objects.values_list("parameters_digest", flat=True))
    assert after == {municipality_parameters(world.ostersund).digest()} != digests


@time_machine.travel(TODAY, tick=False)
def test_with_its_own_figures_a_municipality_values_years_before_the_shipped_ones(
    world: World,
) -> None:
    """The shipped national parameters reach back to 2015; social assistance, the salary and
    the tax rates are the municipality's own and begin with the report's. Entered back to 2015,
    a period in 2016 can be valued."""
    from platsa.impact.scenarios import period_problem

    year = (dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    problem = period_problem(world.ostersund, *year)
    assert problem is not None and "2022-01-01" in problem
    manager = client_for(world.manager)
    for name, value in (
        ("social_assistance_per_month", "8 200"),
        ("monthly_salary", "21 500"),
        ("municipal_tax_rate", "22,02"),
        ("regional_tax_rate", "11,7"),
    ):
        entry = {
            "name": name,
            "effective_from": "2015-01-01",
            "value": value,
            "reference": f"Östersunds kommun, {name} 2015",
        }
        assert manager.post(reverse("municipal_parameters"), entry).status_code == 302, name
    assert period_problem(world.ostersund, *year) is None
    page = manager.get(reverse("value"), {"start": "2016-01-01", "end": "2016-12-31"})
    assert page.status_code == 200 and "Parametrarna börjar" not in page.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_page_says_when_a_shipped_value_takes_over_from_the_municipality_s_own(
    world: World,
) -> None:
    """Each dated value holds until the next one, whoever's: a salary entered from 2018 gives way
    to the shipped salary of 2022 (the report's 24,000 kr), and the page says so."""
    manager = client_for(world.manager)
    url = reverse("municipal_parameters")
    assert "gäller platsas värde" not in manager.get(url).content.decode()
    manager.post(
        url,
        {
            "name": "monthly_salary",
            "effective_from": "2018-01-01",
            "value": "21 000",
            "reference": "Lönestatistik för Östersund 2018",
        },
    )
    page = manager.get(url).content.decode()
    assert "Från 2022-01-01 gäller platsas värde, 24\u00a0000\u00a0kr, igen" in page
    parameters = municipality_parameters(world.ostersund)
    assert parameters.value("monthly_salary", on=dt.date(2021, 6, 1)) == 21000
    assert parameters.value("monthly_salary", on=dt.date(2023, 6, 1)) == 24000


@time_machine.travel(TODAY, tick=False)
def test_a_page_reads_the_municipality_s_own_values_once(world: World) -> None:
    """The value page asks for the parameters from several places (the period's check, the
    value engine, the SROI figures); the municipality's own values are read from the database
    once, and read again after a write."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = client_for(world.manager)
    manager.post(reverse("municipal_parameters"), ENTRY)
    for name in ("value", "scenarios"):
        with CaptureQueriesContext(connection) as queries:
            assert manager.get(reverse(name)).status_code == 200
        reads = [q for q in queries.captured_queries if "impact_parametervalue" in q["sql"]]
        assert len(reads) == 1, name
    municipality = world.ostersund
    first = municipality_parameters(municipality)
    assert municipality_parameters(municipality) is first  # kept on the instance
    ParameterValue.objects.filter(municipality=municipality).delete()
    assert municipality_parameters(municipality) is not first
    assert (
        municipality_parameters(municipality).value(
            "social_assistance_per_month", on=dt.date(2023, 8, 31)
        )
        == 9000
    )
