"""Organisations, agreements, their places and named supervisors, kept in the app."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from platsa.procurement.models import Agreement, Organisation, Place, WorkType
from tests.conftest import IN_THE_YEAR, World, client_for


def _new_organisation(world: World) -> Organisation:
    client_for(world.manager).post(
        reverse("organisation_new"),
        {
            "name": "Gröna Händer",
            "legal_form": "economic_association",
            "meets_asf": "true",
            "asf_criteria": ["integration_purpose", "profits_reinvested"],
            "turnover_sek": "1200000",
            "turnover_year": "2022",
            "employees": "6",
            "description": "Odling och gårdsbutik.",
            "work_types": [WorkType.objects.get(code="cafe").pk],
        },
    )
    return Organisation.objects.get(municipality=world.ostersund, name="Gröna Händer")


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_manager_registers_an_organisation_and_every_field_is_shown(world: World) -> None:
    organisation = _new_organisation(world)
    assert (
        organisation.legal_form,
        organisation.meets_asf,
        organisation.asf_criteria,
        organisation.turnover_sek,
        organisation.turnover_year,
        organisation.employees,
        organisation.description,
        [w.code for w in organisation.work_types.all()],
    ) == (
        "economic_association",
        True,
        ["integration_purpose", "profits_reinvested"],
        1_200_000,
        2022,
        6,
        "Odling och gårdsbutik.",
        ["cafe"],
    )
    page = client_for(world.manager).get(reverse("organisation_detail", args=[organisation.pk]))
    text = page.content.decode().replace("\u00a0", " ")
    for shown in (
        "Ekonomisk förening",
        "Vinster återinvesteras",
        "1 200 000 kr",
        "(2022)",
        "Odling och gårdsbutik.",
        "Café",
    ):
        assert shown in text, shown


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_manager_makes_an_agreement_with_places_and_a_supervisor_and_the_finder_uses_it(
    world: World,
) -> None:
    organisation = _new_organisation(world)
    manager = client_for(world.manager)
    response = manager.post(
        reverse("agreement_new"),
        {
            "organisation": organisation.pk,
            "reference": "AME 2023/14",
            "start_date": "2023-05-01",
            "end_date": "2024-04-30",
            "extension_options": "1+1",
            "auto_renew": "on",
            "notice_months": "3",
            "payment_model": "fixed_per_place_month",
            "price_sek": "5800",
            "notes": "Odlingssäsong maj–september.",
            "places": "3",
        },
    )
    agreement = Agreement.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert (
        agreement.reference,
        agreement.extension_years,
        agreement.auto_renew,
        agreement.notice_months,
        agreement.price_sek,
        agreement.notes,
        agreement.places_on(dt.date(2023, 5, 10)),
    ) == ("AME 2023/14", (1, 1), True, 3, 5800, "Odlingssäsong maj–september.", 3)
    assert sorted(agreement.places.values_list("label", flat=True)) == [
        "Plats 1",
        "Plats 2",
        "Plats 3",
    ]
    place = agreement.places.get(label="Plats 1")
    manager.post(
        reverse("place_edit", args=[place.pk]),
        {
            "label": "Plats 1",
            "work_type": WorkType.objects.get(code="cafe").pk,
            "location": "Frösön",
            "physical_demand": "light",
            "public_transport": "true",
            "demands": "Stå upp i perioder.",
        },
    )
    place.refresh_from_db()
    assert (place.location, place.physical_demand, place.public_transport, place.demands) == (
        "Frösön",
        "light",
        True,
        "Stå upp i perioder.",
    )
    from platsa.accounts.models import Role, User

    supervisor = User.objects.create(
        username="handledare-grona-hander",
        municipality=world.ostersund,
        role=Role.SUPERVISOR,
        organisation=organisation,
    )
    manager.post(
        reverse("agreement_supervisor", args=[agreement.pk]),
        {
            "supervisor-user": supervisor.pk,
            "supervisor-valid_from": "2023-05-01",
            "supervisor-approved_on": "2023-04-20",
        },
    )
    link = agreement.supervisor_links.get()
    assert (link.user, link.valid_from, link.approved_on) == (
        supervisor,
        dt.date(2023, 5, 1),
        dt.date(2023, 4, 20),
    )
    manager.post(
        reverse("agreement_places", args=[agreement.pk]),
        {"count-valid_from": "2023-08-01", "count-places": "4"},
    )
    assert agreement.places_on(dt.date(2023, 8, 1)) == 4 and agreement.places.count() == 4
    page = (
        manager.get(reverse("agreement_detail", args=[agreement.pk]))
        .content.decode()
        .replace("\u00a0", " ")
    )
    for shown in ("Frösön", "Lätta", "Stå upp i perioder.", "handledare-grona-hander", "4 platser"):
        assert shown in page, shown
    # The place finder offers the new agreement's places, with the place's work type.
    from platsa.placements.models import Participant
    from platsa.placements.selectors import place_suggestions

    participant = Participant.objects.create(municipality=world.ostersund, code="AME-1")
    labels = [
        (s.place.agreement.organisation.name, s.place.label)
        for s in place_suggestions(participant, on=dt.date(2023, 5, 10))
    ]
    assert ("Gröna Händer", "Plats 1") in labels
    # Notice, recorded before the deadline.
    manager.post(
        reverse("agreement_notice", args=[agreement.pk]), {"notice_given_on": "2023-05-10"}
    )
    agreement.refresh_from_db()
    assert agreement.notice_given_on == dt.date(2023, 5, 10)
    assert (
        "Uppsagt den"
        in manager.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    )


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_bad_agreements_are_refused_with_a_message_and_nothing_saved(world: World) -> None:
    manager = client_for(world.manager)
    response = manager.post(
        reverse("agreement_new"),
        {
            "organisation": world.org("Röda Korset").pk,
            "start_date": "2023-06-01",
            "end_date": "2023-05-01",
            "notice_months": "6",
            "payment_model": "fixed_per_place_month",
            "price_sek": "6000",
        },
    )
    text = response.content.decode()
    assert "Inget sparades." in text
    assert "Slutet får inte ligga före starten." in text
    assert "Ange antalet köpta platser." in text
    # Another municipality's organisation cannot be chosen.
    response = manager.post(
        reverse("agreement_new"),
        {
            "organisation": world.elsewhere_organisation.pk,
            "start_date": "2023-06-01",
            "end_date": "2024-05-31",
            "notice_months": "6",
            "payment_model": "fixed_per_place_month",
            "price_sek": "6000",
            "places": "2",
        },
    )
    assert response.status_code == 200
    assert Agreement.objects.filter(organisation__municipality=world.ostersund).count() == 5
    agreement = world.org("Röda Korset").agreements.get()
    manager.post(
        reverse("agreement_notice", args=[agreement.pk]), {"notice_given_on": "2030-01-01"}
    )
    agreement.refresh_from_db()
    assert agreement.notice_given_on is None


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_agreement_pages_are_refused_to_other_roles_and_municipalities(world: World) -> None:
    agreement = world.org("Röda Korset").agreements.get()
    place = Place.objects.filter(agreement=agreement).first()
    assert place is not None
    organisation = world.org("Röda Korset")
    pages = [
        ("get", reverse("organisation_new")),
        ("get", reverse("organisation_edit", args=[organisation.pk])),
        ("get", reverse("agreement_new")),
        ("get", reverse("agreement_edit", args=[agreement.pk])),
        ("post", reverse("agreement_places", args=[agreement.pk])),
        ("post", reverse("agreement_supervisor", args=[agreement.pk])),
        ("post", reverse("agreement_notice", args=[agreement.pk])),
        ("get", reverse("place_edit", args=[place.pk])),
    ]
    for user in (world.coach, world.analyst, world.supervisor_rk):
        for method, url in pages:
            assert getattr(client_for(user), method)(url).status_code == 403, (user, url)
    other = client_for(world.elsewhere_admin)
    for method, url in pages[1:2] + pages[3:]:
        assert getattr(other, method)(url).status_code == 404, url
    assert client_for(world.admin).get(reverse("agreement_new")).status_code == 200


def test_the_agreement_list_shows_the_current_ones_and_counts_the_older(world: World) -> None:
    """Untouched, the list (and the manager's start page) shows the agreements in force or
    coming and those that ended in the last year; the older ones are counted behind a link that
    shows every agreement ever."""
    from platsa.procurement.selectors import agreement_table

    case = list(Agreement.objects.filter(organisation__municipality=world.ostersund))
    last = max(a.in_force_until for a in case)  # 2026-08-31: renewed three times
    assert last == dt.date(2026, 8, 31)
    current = Agreement.objects.create(
        organisation=world.org("Röda Korset"),
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
        price_sek=5000,
    )
    # A year after their end the case's agreements still show; a day later they are counted.
    on_the_edge = agreement_table(world.manager, on=last + dt.timedelta(days=365))
    assert {r.agreement.pk for r in on_the_edge.rows} == {current.pk, *(a.pk for a in case)}
    assert on_the_edge.earlier == 0
    later = dt.datetime.combine(last + dt.timedelta(days=366), dt.time(12), tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        client = client_for(world.manager)
        page = client.get(reverse("agreement_list"))
        assert [r.agreement.pk for r in page.context["table"].rows] == [current.pk]
        text = page.content.decode()
        assert f"Visa även {len(case)} avtal som slutade tidigare" in text and "?alla=1" in text
        every = client.get(reverse("agreement_list"), {"alla": "1"})
        assert {r.agreement.pk for r in every.context["table"].rows} == {
            current.pk,
            *(a.pk for a in case),
        }
        assert "Bara aktuella avtal" in every.content.decode()
        home = client.get(reverse("home"))
        assert [r.agreement.pk for r in home.context["agreements"].rows] == [current.pk]
        assert f"Visa även {len(case)} avtal som slutade tidigare" in home.content.decode()
