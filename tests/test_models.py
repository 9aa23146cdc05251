"""Validation in the models and constraints in the database: bad rows never get in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from platsa.accounts.models import Role, User
from platsa.placements.models import Placement
from platsa.procurement.models import Agreement, AgreementPlaces
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_supervisor_without_an_organisation_is_refused(world: World) -> None:
    user = User(username="x", municipality=world.ostersund, role=Role.SUPERVISOR)
    with pytest.raises(ValidationError) as info:
        user.full_clean(exclude=["password"])
    assert "organisation" in info.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_a_supervisor_of_another_municipality_s_organisation_is_refused(world: World) -> None:
    user = User(
        username="x",
        municipality=world.ostersund,
        role=Role.SUPERVISOR,
        organisation=world.elsewhere_organisation,
    )
    with pytest.raises(ValidationError, match="användarens kommun"):
        user.full_clean(exclude=["password"])


def test_a_placement_ending_before_it_starts_is_refused_by_validation_and_database(
    world: World,
) -> None:
    placement = world.placement("OST-01")
    placement.actual_end = placement.start_date - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        placement.full_clean()
    assert "actual_end" in info.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        placement.save()


def test_a_destination_on_an_ongoing_placement_is_refused(world: World) -> None:
    placement = world.placement("OST-06")
    placement.destination = "studies"
    with pytest.raises(ValidationError, match="först när placeringen har avslutats"):
        placement.full_clean()


def test_a_placement_under_another_organisation_s_agreement_is_refused(world: World) -> None:
    placement = world.placement("OST-01")
    placement.agreement = world.org("Röda Korset").agreements.get()
    with pytest.raises(ValidationError, match="annan organisation"):
        placement.full_clean()


def test_negative_places_are_refused_by_the_database(world: World) -> None:
    agreement = Agreement.objects.filter(organisation__municipality=world.ostersund).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementPlaces.objects.create(
            agreement=agreement, valid_from=dt.date(2023, 1, 1), places=-1
        )


def test_the_number_of_places_can_change_over_an_agreement_s_life(world: World) -> None:
    agreement = world.org("Hej Främling").agreements.get()
    AgreementPlaces.objects.create(agreement=agreement, valid_from=dt.date(2023, 3, 1), places=4)
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.places_on(dt.date(2023, 2, 28)) == 3
    assert agreement.places_on(dt.date(2023, 3, 1)) == 4
    assert agreement.contract_value_sek() == pytest.approx(6000 * (3 * 6 + 4 * 6))


def test_extension_options_must_be_years_joined_by_plus(world: World) -> None:
    agreement = world.org("Hej Främling").agreements.get()
    agreement.extension_options = "1 + ett"
    with pytest.raises(ValidationError, match="1\\+1\\+1"):
        agreement.full_clean()


def test_placements_are_never_dropped_for_starting_before_the_agreement(world: World) -> None:
    assert Placement.objects.filter(start_date=dt.date(2022, 8, 29)).count() == 1


@pytest.mark.django_db
def test_a_participant_code_shaped_like_a_personal_identity_number_is_refused() -> None:
    from django.core.exceptions import ValidationError

    from platsa.accounts.models import Municipality
    from platsa.placements.models import Participant

    municipality = Municipality.objects.create(code="9998", name="Prov")
    for code in ("19" + "850101" + "1234", "850101-" + "1234"):
        with pytest.raises(ValidationError) as refused:
            Participant(municipality=municipality, code=code).full_clean()
        assert "personnummer" in str(refused.value) and code not in str(refused.value)
    Participant(municipality=municipality, code="NST-001").full_clean()
