"""The Django admin is for administrators, and scoped to their own municipality."""

from __future__ import annotations

import pytest
from django.urls import reverse

from platsa.accounts.models import User
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_an_administrator_lists_only_their_municipality_s_placements(world: World) -> None:
    response = client_for(world.admin).get(reverse("admin:placements_placement_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "OST-01" in page and "ANG-01" not in page


def test_an_administrator_cannot_open_another_municipality_s_rows(world: World) -> None:
    client = client_for(world.elsewhere_admin)
    placement = world.placement("OST-01")
    response = client.get(reverse("admin:placements_placement_change", args=[placement.pk]))
    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert (
        "OST-01"
        not in client.get(reverse("admin:placements_placement_changelist")).content.decode()
    )
    org = world.org("Röda Korset")
    response = client.get(reverse("admin:procurement_organisation_change", args=[org.pk]))
    assert response.status_code == 302


def test_foreign_key_choices_are_narrowed_to_the_municipality(world: World) -> None:
    response = client_for(world.elsewhere_admin).get(reverse("admin:procurement_agreement_add"))
    choices = [str(o) for o in response.context["adminform"].form.fields["organisation"].queryset]
    assert choices == ["Annan förening"]


def test_the_agreement_form_shows_and_saves_its_places_and_supervisors(world: World) -> None:
    agreement = world.org("Röda Korset").agreements.get()
    url = reverse("admin:procurement_agreement_change", args=[agreement.pk])
    response = client_for(world.admin).get(url)
    prefixes = [f.formset.prefix for f in response.context["inline_admin_formsets"]]
    assert prefixes == ["place_counts", "places", "supervisor_links"]
    page = response.content.decode()
    assert "Plats 1" in page and "handledare-roda-korset" in page


def test_placements_and_participants_are_read_only_in_the_admin(world: World) -> None:
    """Placing, moving and closing are done in the app, with its checks."""
    client = client_for(world.admin)
    assert client.get(reverse("admin:placements_placement_add")).status_code == 403
    placement = world.placement("OST-01")
    change = client.get(reverse("admin:placements_placement_change", args=[placement.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()


@pytest.mark.parametrize("role", ["coach", "manager", "analyst", "supervisor_rk"])
def test_other_roles_cannot_use_the_admin(world: World, role: str) -> None:
    response = client_for(getattr(world, role)).get(
        reverse("admin:placements_placement_changelist")
    )
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_administrator_creates_users_only_in_their_own_municipality(world: World) -> None:
    client = client_for(world.elsewhere_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "ny-coach",
            "password1": "ett-långt-lösenord-42",
            "password2": "ett-långt-lösenord-42",
            "municipality": world.ostersund.pk,
            "role": "coach",
            "organisation": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="ny-coach")
    assert created.municipality == world.elsewhere and not created.is_superuser


def test_the_admin_speaks_its_own_swedish_and_shows_prices_as_kronor(world: World) -> None:
    page = client_for(world.admin).get(reverse("admin:procurement_agreement_changelist"))
    text = page.content.decode().replace("\u00a0", " ")
    assert "6 000 kr" in text and "6000.00" not in text
    index = client_for(world.admin).get(reverse("admin:index")).content.decode()
    assert "Förändring" not in index and "Ändra" in index
