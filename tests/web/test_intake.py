"""The referral queue, registering a participant, placing from the place finder, moving."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from platsa.placements.models import Participant, Placement, Referral, ScopeStep
from platsa.procurement.models import Place
from tests.conftest import IN_THE_YEAR, World, client_for

INTAKE = {
    "p-code": "AME-2023-101",
    "p-case_reference": "Dnr 2023/55",
    "p-birth_year": "1990",
    "p-gender": "woman",
    "p-setting": "indoor",
    "p-max_physical_demand": "light",
    "p-needs_public_transport": "on",
    "p-language_note": "Arabiska; svenska på grundnivå",
    "p-interests_note": "Vill arbeta med växter",
    "p-constraints_note": "Inga tunga lyft",
    "p-protected_identity": "on",
    "r-referred_on": "2023-05-02",
    "r-goals": "Komma igång med rutiner",
    "r-planned_months": "3",
    "r-scope_percent": "25",
    "r-hours_per_day": "3",
    "r-days_per_week": "4",
}


def _place(world: World, organisation: str, label: str = "Plats 1") -> Place:
    return Place.objects.get(agreement__organisation=world.org(organisation), label=label)


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_coach_registers_a_participant_and_every_field_is_stored_and_shown(
    world: World,
) -> None:
    coach = client_for(world.coach)
    response = coach.post(reverse("participant_new"), INTAKE)
    participant = Participant.objects.get(municipality=world.ostersund, code="AME-2023-101")
    assert response.status_code == 302
    assert response["Location"] == reverse("place_finder", args=[participant.pk])
    assert (
        participant.case_reference,
        participant.birth_year,
        participant.gender,
        participant.setting,
        participant.max_physical_demand,
        participant.needs_public_transport,
        participant.language_note,
        participant.interests_note,
        participant.constraints_note,
        participant.protected_identity,
    ) == (
        "Dnr 2023/55",
        1990,
        "woman",
        "indoor",
        "light",
        True,
        "Arabiska; svenska på grundnivå",
        "Vill arbeta med växter",
        "Inga tunga lyft",
        True,
    )
    referral = participant.referrals.get()
    assert (
        referral.referred_on,
        referral.goals,
        referral.planned_months,
        referral.scope_percent,
        str(referral.hours_per_day),
        referral.days_per_week,
        referral.created_by,
    ) == (dt.date(2023, 5, 2), "Komma igång med rutiner", 3, 25, "3.00", 4, world.coach)
    # Shown again: the profile form holds every stored value, the queue the referral.
    profile = coach.get(reverse("participant_profile", args=[participant.pk])).content.decode()
    for text in ("Dnr 2023/55", "Arabiska; svenska på grundnivå", "Vill arbeta med växter"):
        assert text in profile
    assert 'id="id_protected_identity" checked' in profile
    assert 'id="id_protected_identity_helptext"' in profile  # what aria-describedby names
    timeline = coach.get(reverse("participant_timeline", args=[participant.pk])).content.decode()
    assert "Skyddade personuppgifter." in timeline
    queue = coach.get(reverse("referral_queue")).content.decode()
    assert "AME-2023-101" in queue and "remitterad 2023-05-02, väntat 8 dagar" in queue
    assert "Komma igång med rutiner" in queue


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_an_identity_number_or_a_taken_code_is_refused_and_nothing_is_saved(
    world: World,
) -> None:
    coach = client_for(world.coach)
    # Shaped like a personal identity number (built here, so no such string is in the code).
    shaped = "-".join(("19900101", "1234"))
    bad = {**INTAKE, "p-case_reference": shaped, "r-planned_months": "99"}
    response = coach.post(reverse("participant_new"), bad)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Det här ser ut som ett personnummer" in text
    assert "Inget sparades." in text
    taken = {**INTAKE, "p-code": "OST-01"}
    assert "finns redan" in coach.post(reverse("participant_new"), taken).content.decode()
    assert not Participant.objects.filter(code="AME-2023-101").exists()
    assert not Referral.objects.exists()


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_coach_places_from_the_finder_and_the_supervisor_sees_it(world: World) -> None:
    coach = client_for(world.coach)
    coach.post(reverse("participant_new"), INTAKE)
    participant = Participant.objects.get(code="AME-2023-101")
    finder = coach.get(reverse("place_finder", args=[participant.pk])).content.decode()
    place = _place(world, "Röda Korset", "Plats 2")
    url = reverse("placement_new", args=[participant.pk, place.pk])
    assert url in finder
    form = coach.get(url).content.decode()
    assert "Idag (2023-05-10) är 1 av 2 platser lediga" in form
    assert "Komma igång med rutiner" in form  # the order comes from the referral
    response = coach.post(
        url,
        {
            "start": "2023-05-15",
            "goals": "Komma igång med rutiner",
            "planned_months": "3",
            "scope_percent": "25",
            "hours_per_day": "3",
            "days_per_week": "4",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(participant=participant)
    assert (
        placement.organisation,
        placement.agreement,
        placement.place,
        placement.start_date,
        placement.planned_end,
        placement.planned_months,
        placement.scope_percent,
        placement.goals,
    ) == (
        world.org("Röda Korset"),
        place.agreement,
        place,
        dt.date(2023, 5, 15),
        dt.date(2023, 8, 14),
        3,
        25,
        "Komma igång med rutiner",
    )
    step = ScopeStep.objects.get(placement=placement)
    assert (step.valid_from, step.percent, str(step.hours_per_day), step.days_per_week) == (
        dt.date(2023, 5, 15),
        25,
        "3.00",
        4,
    )
    referral = participant.referrals.get()
    assert referral.placement == placement and referral.days_to_start == 13
    home = client_for(world.supervisor_rk).get(reverse("home")).content.decode()
    assert "AME-2023-101" in home
    assert (
        "AME-2023-101" not in client_for(world.supervisor_hf).get(reverse("home")).content.decode()
    )


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_full_supplier_needs_a_recorded_reason_and_no_agreement_means_no_placement(
    world: World,
) -> None:
    coach = client_for(world.coach)
    coach.post(reverse("participant_new"), INTAKE)
    participant = Participant.objects.get(code="AME-2023-101")
    full = _place(world, "Hej Främling")  # all 3 places taken on 2023-05-10
    url = reverse("placement_new", args=[participant.pk, full.pk])
    text = coach.post(url, {"start": "2023-05-10"}).content.decode()
    assert "Alla 3 platser hos Hej Främling är upptagna 2023-05-10" in text
    assert not Placement.objects.filter(participant=participant).exists()
    # After the agreement year no agreement is in force (the case has no renewal recorded yet).
    text = coach.post(url, {"start": "2024-09-02"}).content.decode()
    assert "Välj en start mellan 2023-04-09 och 2024-05-10." in text
    coach.post(url, {"start": "2023-05-10", "over_capacity_reason": "Överenskommet med HF."})
    placement = Placement.objects.get(participant=participant)
    assert placement.over_capacity_reason == "Överenskommet med HF."
    timeline = coach.get(reverse("participant_timeline", args=[participant.pk])).content.decode()
    assert "Placerad över kapacitet: Överenskommet med HF." in timeline
    # A second placement at the same time is refused.
    other = _place(world, "Röda Korset", "Plats 2")
    text = coach.post(
        reverse("placement_new", args=[participant.pk, other.pk]), {"start": "2023-05-12"}
    ).content.decode()
    assert "har redan en placering hos Hej Främling" in text
    assert Placement.objects.filter(participant=participant).count() == 1


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_coach_moves_a_participant_and_the_first_placement_ends_as_a_move(
    world: World,
) -> None:
    placement = world.placement("OST-13")  # PMU, 2023-02-27 – 2023-05-25
    placement.actual_end = None
    placement.destination = ""
    placement.save()
    url = reverse("placement_move", args=[placement.pk])
    coach = client_for(world.coach)
    text = coach.post(url, {}).content.decode()
    assert "Välj platsen deltagaren flyttar till." in text
    assert "Ange varför deltagaren flyttar." in text
    target = _place(world, "Röda Korset", "Plats 2")
    response = coach.post(
        url, {"place": target.pk, "on": "2023-05-08", "reason": "Vill prova butik med café."}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.actual_end, placement.destination, placement.end_reason) == (
        dt.date(2023, 5, 7),
        "moved",
        "Vill prova butik med café.",
    )
    assert not placement.exit_checks.exists()  # still placed: no after-exit checks
    moved = Placement.objects.get(participant=placement.participant, start_date=dt.date(2023, 5, 8))
    assert (moved.organisation, moved.place) == (world.org("Röda Korset"), target)


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_referral_is_withdrawn_with_its_reason(world: World) -> None:
    coach = client_for(world.coach)
    coach.post(reverse("participant_new"), INTAKE)
    referral = Referral.objects.get()
    url = reverse("referral_withdraw", args=[referral.pk])
    coach.post(url, {"withdrawn_on": "2023-05-09"})
    referral.refresh_from_db()
    assert referral.withdrawn_on is None
    coach.post(url, {"withdrawn_on": "2023-05-09", "reason": "Fick praktik via AF."})
    referral.refresh_from_db()
    assert (referral.withdrawn_on, referral.withdrawn_reason) == (
        dt.date(2023, 5, 9),
        "Fick praktik via AF.",
    )
    assert coach.get(reverse("referral_queue")).context["waiting"] == []


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_intake_pages_are_refused_to_other_roles_and_municipalities(world: World) -> None:
    coach = client_for(world.coach)
    coach.post(reverse("participant_new"), INTAKE)
    participant = Participant.objects.get(code="AME-2023-101")
    referral = participant.referrals.get()
    place = _place(world, "Röda Korset", "Plats 2")
    pages = [
        ("get", reverse("referral_queue")),
        ("get", reverse("participant_new")),
        ("get", reverse("referral_new", args=[participant.pk])),
        ("get", reverse("placement_new", args=[participant.pk, place.pk])),
        ("get", reverse("placement_move", args=[world.placement("OST-17").pk])),
        ("post", reverse("referral_withdraw", args=[referral.pk])),
    ]
    for user in (world.manager, world.analyst, world.supervisor_rk):
        for method, url in pages:
            assert getattr(client_for(user), method)(url).status_code == 403, (user, url)
    other = client_for(world.elsewhere_coach)
    for method, url in pages[2:]:
        assert getattr(other, method)(url).status_code == 404, url
    assert "AME-2023-101" not in other.get(reverse("referral_queue")).content.decode()
    # The other municipality's coach cannot place their participant on Östersund's place.
    own = world.elsewhere_placement.participant
    url = reverse("placement_new", args=[own.pk, place.pk])
    assert other.post(url, {"start": "2023-05-15"}).status_code == 404
    assert client_for(world.admin).get(reverse("referral_queue")).status_code == 200


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_a_paused_placement_asks_for_no_attendance_and_raises_no_gap(world: World) -> None:
    from platsa.placements.models import Attendance, PlacementPause

    placement = world.placement("OST-06")  # Hej Främling, ongoing
    coach = client_for(world.coach)
    url = reverse("placement_pause", args=[placement.pk])
    response = coach.post(url, {"start": "2023-05-01"})
    assert response.status_code == 400
    assert "Ange pausens sista dag." in response.content.decode()
    assert not PlacementPause.objects.exists()
    coach.post(url, {"start": "2023-04-24", "end": "2023-05-12", "reason": "Kurs på folkhögskola."})
    pause = PlacementPause.objects.get()
    assert (pause.start, pause.end, pause.reason, pause.recorded_by) == (
        dt.date(2023, 4, 24),
        dt.date(2023, 5, 12),
        "Kurs på folkhögskola.",
        world.coach,
    )
    timeline = coach.get(reverse("participant_timeline", args=[placement.participant_id]))
    assert "Pausad 2023-04-24 – 2023-05-12: Kurs på folkhögskola." in timeline.content.decode()
    # An overlapping pause is refused.
    response = coach.post(url, {"start": "2023-05-10", "end": "2023-05-20", "reason": "x"})
    assert "Den överlappar pausen 2023-04-24 – 2023-05-12." in response.content.decode()
    # The supervisor's week has no reportable day for OST-06, and "everyone present" skips it.
    supervisor = client_for(world.supervisor_hf)
    week = supervisor.get(reverse("team_week")).context["weeks"]
    ost06 = next(w for w in week if w.placement.pk == placement.pk)
    assert not any(r.reportable for r in ost06.rows)
    supervisor.post(
        reverse("team_week"), {"vecka": "2023-W19", "all_present": "1", "all_hours": "4"}
    )
    assert not Attendance.objects.filter(placement=placement).exists()
    assert Attendance.objects.filter(placement__organisation=world.org("Hej Främling")).count() == 6
    # No reporting-gap alert for a paused placement.
    alerts = coach.get(reverse("home")).context["alerts"]
    assert not [a for a in alerts if a.kind == "attendance_gap" and "OST-06" in a.message]
    # Refused to roles that do not place, and to another municipality.
    assert client_for(world.supervisor_hf).post(url, {}).status_code == 403
    assert client_for(world.elsewhere_coach).post(url, {}).status_code == 404
