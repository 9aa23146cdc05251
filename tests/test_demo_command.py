"""`platsa demo --no-serve` loads the case and accounts; twice duplicates nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from platsa.accounts.models import Role, User
from platsa.placements.models import Placement
from platsa.procurement.models import AgreementSupervisor, Organisation

pytestmark = pytest.mark.django_db(transaction=True)


def _demo() -> str:
    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    return out.getvalue()


def test_the_demo_loads_once_and_prints_the_accounts() -> None:
    printed = _demo()
    assert "Fallet Östersund är inläst." in printed
    assert "platsa-demo" in printed
    for username in (
        "coach",
        "coach-2",
        "manager",
        "analyst",
        "admin",
        "reviewer",
        "region",
        "handledare-roda-korset",
    ):
        assert username in printed
    counts = (
        User.objects.count(),
        Organisation.objects.count(),
        Placement.objects.count(),
        AgreementSupervisor.objects.count(),
    )
    # The case's 5 organisations and 17 placements, a synthetic sixth organisation from the new
    # round, and the synthetic continuation up to today; two synthetic neighbours in the region
    # (six organisations and eleven users each).
    assert counts[0] == 13 + 2 * 11 and counts[1] == 6 + 2 * 6 and counts[2] > 17
    assert "Syntetisk fortsättning fram till" in printed
    _demo()
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Placement.objects.count(),
        AgreementSupervisor.objects.count(),
    ) == counts


def test_there_is_one_account_per_role_and_a_supervisor_per_organisation() -> None:
    _demo()
    roles = sorted(User.objects.filter(municipality__code="2380").values_list("role", flat=True))
    assert roles.count(Role.SUPERVISOR) == 6
    assert set(roles) == set(Role.values) - {Role.REGION}
    assert User.objects.get(username="region").role == Role.REGION
    assert User.objects.get(username="admin").is_staff
    for supervisor in User.objects.filter(role=Role.SUPERVISOR):
        assert supervisor.organisation is not None
        assert not supervisor.first_name and not supervisor.last_name  # no names in demo data


def test_load_case_reports_a_bad_file_without_a_traceback(tmp_path) -> None:
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.yaml"
    bad.write_text("format: platsa-case/1\nmunicipality: {code: '12', name: X}\n", encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"bad\.yaml: municipality\.code: En kommunkod består av fyra siffror"
    ):
        call_command("load_case", str(bad))


def test_the_demo_refuses_a_database_with_other_data() -> None:
    from django.core.management.base import CommandError

    User.objects.create(username="riktig-handlaggare")
    with pytest.raises(CommandError, match="andra data än demons") as raised:
        _demo()
    assert raised.value.returncode == 2
    assert not User.objects.filter(username="admin").exists()


def test_the_demo_never_runs_with_production_settings(settings) -> None:
    from django.core.management.base import CommandError

    settings.SECURE_SSL_REDIRECT = True
    with pytest.raises(CommandError, match="produktionsinställningar"):
        _demo()
    assert not User.objects.exists()


def test_the_demo_s_regional_analyst_sees_ostersund_s_years() -> None:
    """Östersund shares with the demo's region, and its years are read when the demo loads:
    the regional view has figures on the day it is loaded."""
    from django.urls import reverse

    from platsa.impact.models import YearFigures
    from tests.conftest import client_for

    _demo()
    years = set(
        YearFigures.objects.filter(municipality__code="2380").values_list("year", flat=True)
    )
    assert {2022, 2023} <= years
    page = client_for(User.objects.get(username="region")).get(reverse("regional"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Region Jämtland Härjedalen" in text and "Östersund" in text
    # Two synthetic neighbours share with the same region, so there is something to compare.
    assert "Syntetkommun 9001" in text and "Syntetkommun 9002" in text
