"""The access log: every page and export that reads or changes a participant's data writes a
row (who, role, when, which participant, which page, from where); the rows are chained and the
database refuses to change them; the log reviewer reviews a monthly sample; only the reviewer
and the administrator of the same municipality can read it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from platsa.placements.access import SAMPLE_SIZE, access_chain_check, month_sample
from platsa.placements.models import (
    AccessReview,
    ExitCheck,
    Participant,
    ParticipantAccess,
    ReviewOutcome,
)
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def _lines() -> list[tuple[object, int | None, str, bool]]:
    return [
        (a.user, a.participant_id, a.page, a.changed)
        for a in ParticipantAccess.objects.order_by("pk")
    ]


def test_each_page_about_a_participant_writes_one_line_with_role_and_address(
    world: World,
) -> None:
    placement = world.placement("OST-01")
    participant = placement.participant
    client = client_for(world.coach)
    for name, pk in [
        ("participant_timeline", participant.pk),
        ("place_finder", participant.pk),
        ("placement_detail", placement.pk),
        ("participant_profile", participant.pk),
        ("attendance_week", placement.pk),
        ("plan_edit", placement.pk),
        ("meeting_new", placement.pk),
        ("referral_new", participant.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 200, name
    assert _lines() == [
        (world.coach, participant.pk, page, False)
        for page in [
            "participant_timeline",
            "place_finder",
            "placement_detail",
            "participant_profile",
            "attendance_week",
            "plan_edit",
            "meeting_new",
            "referral_new",
        ]
    ]
    first = ParticipantAccess.objects.earliest("pk")
    assert first.role == "coach" and first.address == "127.0.0.1"
    assert first.municipality_id == world.ostersund.pk


def test_a_saved_change_is_logged_as_a_change(world: World) -> None:
    participant = world.placement("OST-01").participant
    response = client_for(world.coach).post(
        reverse("participant_profile", args=[participant.pk]),
        {"setting": "indoor", "max_physical_demand": "", "gender": "", "birth_year": ""},
    )
    assert response.status_code == 302
    assert _lines() == [(world.coach, participant.pk, "participant_profile", True)]


def test_a_refused_form_is_a_read_not_a_change(world: World) -> None:
    participant = world.placement("OST-01").participant
    response = client_for(world.coach).post(
        reverse("participant_profile", args=[participant.pk]), {"birth_year": "1"}
    )
    assert response.status_code in (200, 400)
    assert _lines() == [(world.coach, participant.pk, "participant_profile", False)]


def test_the_team_week_and_the_invoicing_export_log_every_participant_they_show(
    world: World,
) -> None:
    rk = world.org("Röda Korset")
    week = client_for(world.coach).get(
        reverse("team_week"), {"vecka": "2023-W06", "organisation": rk.pk}
    )
    shown = {w.placement.participant_id for w in week.context["weeks"]}
    assert shown
    assert (
        set(
            ParticipantAccess.objects.filter(page="team_week").values_list(
                "participant_id", flat=True
            )
        )
        == shown
    )
    manager = client_for(world.manager)
    query = {"organisation": rk.pk, "month": "2023-02"}
    listed = {
        p.participant_code
        for p in manager.get(reverse("invoicing"), query).context["basis"].placements
    }
    manager.get(reverse("invoicing_csv"), query)
    exported = ParticipantAccess.objects.filter(user=world.manager, page="invoicing_csv")
    assert {a.participant.code for a in exported} == listed and len(listed) == 2


def test_the_after_exit_check_logs_its_participant(world: World) -> None:
    placement = world.placement("OST-01")
    check = ExitCheck.objects.create(
        placement=placement, months_after=6, due_date=dt.date(2023, 12, 1)
    )
    client_for(world.coach).post(reverse("exit_check", args=[check.pk]), {})
    assert _lines() == [(world.coach, placement.participant_id, "exit_check", False)]


def test_a_refused_opening_writes_nothing(world: World) -> None:
    participant = world.placement("OST-01").participant
    other = client_for(world.elsewhere_coach)
    assert other.get(reverse("participant_timeline", args=[participant.pk])).status_code == 404
    manager = client_for(world.manager)
    assert manager.get(reverse("participant_timeline", args=[participant.pk])).status_code == 403
    assert not ParticipantAccess.objects.exists()


def test_the_django_admin_s_reading_of_a_participant_is_logged(world: World) -> None:
    participant = world.placement("OST-01").participant
    url = reverse("admin:placements_participant_change", args=[participant.pk])
    assert client_for(world.admin).get(url).status_code == 200
    assert _lines() == [(world.admin, participant.pk, "placements_participant_change", False)]


def test_the_rows_are_chained_and_a_tampered_row_breaks_the_chain(world: World) -> None:
    one, two = world.placement("OST-01"), world.placement("OST-02")
    client = client_for(world.coach)
    for p in (one, two, one):
        client.get(reverse("placement_detail", args=[p.pk]))
    rows = list(ParticipantAccess.objects.order_by("pk"))
    assert rows[0].previous == "" and rows[1].previous == rows[0].digest
    assert rows[2].previous == rows[1].digest
    assert access_chain_check(world.ostersund.pk).broken is None
    assert access_chain_check(world.ostersund.pk).rows == 3
    # Someone with the database's owner rights removes the guard and edits a row.
    _without_guard(
        f"UPDATE placements_participantaccess SET participant_id = {two.participant_id} "
        f"WHERE id = {rows[0].pk}"
    )
    assert access_chain_check(world.ostersund.pk).broken == rows[0]


def _without_guard(sql: str) -> None:
    from platsa.placements import db_guards

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER platsa_access_no_update")
        else:
            cursor.execute("SET session_replication_role = replica")  # triggers do not fire
        cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    db_guards.install()


def test_the_database_refuses_to_change_or_delete_a_row(world: World) -> None:
    placement = world.placement("OST-01")
    client_for(world.coach).get(reverse("placement_detail", args=[placement.pk]))
    row = ParticipantAccess.objects.get()
    for attempt in (
        lambda: ParticipantAccess.objects.filter(pk=row.pk).update(changed=True),
        lambda: ParticipantAccess.objects.filter(pk=row.pk).delete(),
        lambda: connection.cursor().execute("UPDATE placements_participantaccess SET page = 'x'"),
        lambda: connection.cursor().execute("DELETE FROM placements_participantaccess"),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert ParticipantAccess.objects.get() == row
    assert ParticipantAccess.objects.get().page == "placement_detail"


def test_rows_older_than_the_log_s_retention_may_be_deleted(world: World) -> None:
    placement = world.placement("OST-01")
    old = timezone.now() - dt.timedelta(days=366 * 4)  # retention 3 years
    ParticipantAccess.objects.create(
        municipality=world.ostersund,
        participant=placement.participant,
        user=world.coach,
        role="coach",
        at=old,
        page="placement_detail",
        digest="0" * 64,
    )
    client_for(world.coach).get(reverse("placement_detail", args=[placement.pk]))
    deleted, _ = ParticipantAccess.objects.filter(
        at__lt=timezone.now() - dt.timedelta(days=1100)
    ).delete()
    assert deleted == 1 and ParticipantAccess.objects.count() == 1
    # The oldest row kept follows a removed one: the chain is checked from there.
    assert access_chain_check(world.ostersund.pk).broken is None


def test_an_erased_participant_s_rows_stay_without_the_code(world: World) -> None:
    participant = Participant.objects.create(municipality=world.ostersund, code="GONE-1")
    client_for(world.coach).get(reverse("participant_timeline", args=[participant.pk]))
    participant.delete()
    row = ParticipantAccess.objects.select_related("participant").get()
    assert row.participant is None and row.participant_id is not None
    page = client_for(world.admin).get(reverse("access_log")).content.decode()
    assert "(raderad)" in page and "GONE-1" not in page


def test_the_administrator_and_the_reviewer_search_the_log(world: World) -> None:
    one, two = world.placement("OST-01").participant, world.placement("OST-02").participant
    coach = client_for(world.coach)
    coach.get(reverse("participant_timeline", args=[one.pk]))
    coach.get(reverse("participant_timeline", args=[two.pk]))
    for user in (world.admin, world.reviewer):
        client = client_for(user)
        page = client.get(reverse("access_log"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Åtkomstlogg" in html and one.code in html and two.code in html
        assert world.coach.username in html and "Coach" in html and "Deltagarens väg" in html
        narrowed = client.get(reverse("access_log"), {"participant_code": one.code})
        assert [a.participant for a, _page in narrowed.context["rows"]] == [one]
        by_user = client.get(reverse("access_log"), {"username": world.coach.username})
        assert {a.user for a, _page in by_user.context["rows"]} == {world.coach}


def test_one_participant_s_access_history_exports_for_a_subject_access_request(
    world: World,
) -> None:
    one, two = world.placement("OST-01").participant, world.placement("OST-02").participant
    coach = client_for(world.coach)
    coach.get(reverse("participant_timeline", args=[one.pk]))
    coach.get(reverse("participant_timeline", args=[two.pk]))
    response = client_for(world.reviewer).get(
        reverse("access_log_csv"), {"participant_code": one.code}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="atkomstlogg-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["När", "Användare", "Roll", "Deltagare", "Sida"]
    assert [r[3] for r in rows[1:]] == [one.code]
    assert rows[1][1] == world.coach.username and rows[1][4] == "Deltagarens väg"


def test_a_bad_search_is_named_and_shows_nothing(world: World) -> None:
    response = client_for(world.admin).get(
        reverse("access_log"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "Till" in response.content.decode()
    assert response.context["rows"] == []


@pytest.mark.parametrize("role", ["coach", "manager", "analyst", "supervisor_rk"])
def test_other_roles_are_refused_the_log_its_export_and_its_review(world: World, role: str) -> None:
    client = client_for(getattr(world, role))
    for name in ("access_log", "access_log_csv", "access_review"):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_reviewer_sees_no_participant_s_data(world: World) -> None:
    placement = world.placement("OST-01")
    client = client_for(world.reviewer)
    for name, pk in [
        ("participant_timeline", placement.participant_id),
        ("placement_detail", placement.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 403
    for name in ("placement_list", "organisation_list", "occupancy_overview", "indicators"):
        assert client.get(reverse(name)).status_code == 403, name
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "Granska förra månadens urval" in home.content.decode()


def test_an_administrator_of_another_municipality_sees_none_of_it(world: World) -> None:
    participant = world.placement("OST-01").participant
    client_for(world.coach).get(reverse("participant_timeline", args=[participant.pk]))
    response = client_for(world.elsewhere_admin).get(reverse("access_log"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert participant.code not in response.content.decode()
    export = client_for(world.elsewhere_admin).get(reverse("access_log_csv"))
    assert participant.code not in export.content.decode("utf-8-sig")


def _rows_in(month: dt.date, world: World, n: int) -> None:
    """``n`` log rows in ``month``, written as the middleware writes them."""
    from platsa.placements.access import access_write

    placements = list(world.placement(code) for code in ("OST-01", "OST-02", "OST-03"))
    for i in range(n):
        at = timezone.make_aware(dt.datetime(month.year, month.month, 1 + i % 28, 10, i % 60))
        with time_machine.travel(at, tick=False):
            access_write(
                user=world.coach,
                notes={placements[i % 3].participant_id: world.ostersund.pk},
                page="placement_detail",
                changed=False,
                address="10.0.0.1",
            )


def test_the_month_s_sample_is_drawn_once_and_stays_the_same(world: World) -> None:
    month = dt.date(2026, 10, 1)
    _rows_in(month, world, 35)
    _rows_in(dt.date(2026, 9, 1), world, 5)
    sample = month_sample(world.ostersund.pk, month)
    assert len(sample) == SAMPLE_SIZE
    assert all(a.at.astimezone().month == 10 for a in sample)
    assert [a.pk for a in month_sample(world.ostersund.pk, month)] == [a.pk for a in sample]
    assert len(month_sample(world.ostersund.pk, dt.date(2026, 9, 1))) == 5
    assert month_sample(world.elsewhere.pk, month) == []


def test_the_reviewer_records_a_check_in_the_month_s_sample(world: World) -> None:
    month = dt.date(2026, 10, 1)
    _rows_in(month, world, 6)
    client = client_for(world.reviewer)
    with time_machine.travel(dt.datetime(2026, 11, 27, 12), tick=False):
        page = client.get(reverse("access_review"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Urval för 2026-10" in html and "0 av 6 rader granskade" in html
        assert "Loggens kedja är obruten" in html
        assert "checked" not in html.split("Urval för")[1]  # nothing preselected
        row = page.context["sample"][0][0]
        untouched = client.post(reverse("access_review"), {"month": "2026-10", "access": row.pk})
        assert untouched.status_code == 400 and not AccessReview.objects.exists()
        unexplained = client.post(
            reverse("access_review"),
            {"month": "2026-10", "access": row.pk, "outcome": "deviation", "note": " "},
        )
        assert unexplained.status_code == 400 and not AccessReview.objects.exists()
        assert "Beskriv avvikelsen" in unexplained.content.decode()
        done = client.post(
            reverse("access_review"),
            {
                "month": "2026-10",
                "access": row.pk,
                "outcome": "deviation",
                "note": "Ingen pågående ärendekontakt; utreds med enhetschefen.",
            },
        )
        assert done.status_code == 302
        review = AccessReview.objects.get()
        assert (review.access, review.outcome, review.reviewer) == (
            row,
            ReviewOutcome.DEVIATION,
            world.reviewer,
        )
        again = client.get(reverse("access_review"), {"month": "2026-10"}).content.decode()
        assert "1 av 6 rader granskade; 1 avvikelser" in again
        assert "Ingen pågående ärendekontakt" in again
        home = client.get(reverse("home")).content.decode()
        assert "1 av 6 rader granskade" in home


def test_a_row_outside_the_sample_or_the_municipality_cannot_be_checked(world: World) -> None:
    _rows_in(dt.date(2026, 10, 1), world, 3)
    _rows_in(dt.date(2026, 9, 1), world, 1)
    september = ParticipantAccess.objects.filter(at__month=9).get()
    with time_machine.travel(dt.datetime(2026, 11, 27, 12), tick=False):
        response = client_for(world.reviewer).post(
            reverse("access_review"),
            {"month": "2026-10", "access": september.pk, "outcome": "ok"},
        )
        assert response.status_code == 400 and not AccessReview.objects.exists()
        # The administrator sees the sample but does not review their own kind's reading.
        admin = client_for(world.admin)
        assert admin.get(reverse("access_review"), {"month": "2026-10"}).status_code == 200
        row = ParticipantAccess.objects.filter(at__month=10).first()
        assert row is not None
        refused = admin.post(
            reverse("access_review"), {"month": "2026-10", "access": row.pk, "outcome": "ok"}
        )
        assert refused.status_code == 403 and not AccessReview.objects.exists()


@pytest.mark.parametrize("month", ["2026-11", "2027-01", "1999-12", "x", "2026-13"])
def test_an_open_or_impossible_month_is_named(world: World, month: str) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 27, 12), tick=False):
        response = client_for(world.reviewer).get(reverse("access_review"), {"month": month})
    assert response.status_code == 400
    assert "Månad" in response.content.decode()


def test_every_access_to_a_person_with_protected_data_is_in_the_sample(world: World) -> None:
    month = dt.date(2026, 10, 1)
    _rows_in(month, world, 40)
    protected = world.placement("OST-02").participant
    protected.protected_identity = True
    protected.save()
    sample = month_sample(world.ostersund.pk, month)
    theirs = ParticipantAccess.objects.filter(participant=protected, at__month=10)
    assert theirs.count() > 5
    assert set(theirs) <= set(sample) and len(sample) > SAMPLE_SIZE
    admin = client_for(world.admin)
    only = admin.get(reverse("access_log"), {"protected_only": "on"})
    assert {a.participant for a, _page in only.context["rows"]} == {protected}
    assert "skyddad" in only.content.decode()


def _second_coach(world: World) -> object:
    from platsa.accounts.models import User

    return User.objects.get(username="coach-2", municipality=world.ostersund)  # the demo's


def test_a_coach_states_a_reason_before_opening_another_coach_s_participant(
    world: World,
) -> None:
    placement = world.placement("OST-01")
    participant = placement.participant
    participant.responsible_coach = world.coach
    participant.save()
    other = client_for(_second_coach(world))
    timeline = reverse("participant_timeline", args=[participant.pk])
    response = other.get(timeline)
    reason_url = reverse("access_reason", args=[participant.pk])
    assert response.status_code == 302 and response["Location"].startswith(reason_url)
    assert not ParticipantAccess.objects.exists()  # nothing was shown
    page = other.get(response["Location"])
    assert page.status_code == 200 and "en annan coachs ärendelista" in page.content.decode()
    short = other.post(reason_url, {"reason": "kort", "next": timeline})
    assert short.status_code == 400 and other.get(timeline).status_code == 302
    stated = other.post(
        reason_url, {"reason": "Ersätter Anna som är sjuk i dag.", "next": timeline}
    )
    assert stated.status_code == 302 and stated["Location"] == timeline
    assert other.get(timeline).status_code == 200
    assert other.get(reverse("placement_detail", args=[placement.pk])).status_code == 200
    rows = list(ParticipantAccess.objects.order_by("pk"))
    assert [r.reason for r in rows] == ["Ersätter Anna som är sjuk i dag."] * 2
    assert access_chain_check(world.ostersund.pk).broken is None
    # The responsible coach needs no reason; the reason ends after eight hours.
    assert client_for(world.coach).get(timeline).status_code == 200
    assert ParticipantAccess.objects.filter(user=world.coach).get().reason == ""
    with time_machine.travel(timezone.now() + dt.timedelta(hours=9)):
        assert other.get(timeline).status_code == 302
    # The log shows the reason; an opening with a reason is always in the month's sample.
    log = client_for(world.admin).get(reverse("access_log")).content.decode()
    assert "Ersätter Anna som är sjuk i dag." in log


def test_a_reason_page_is_only_for_a_participant_outside_the_caseload(world: World) -> None:
    participant = world.placement("OST-01").participant
    url = reverse("access_reason", args=[participant.pk])
    assert client_for(world.coach).get(url).status_code == 404  # nobody's caseload: no reason
    assert client_for(world.elsewhere_coach).get(url).status_code == 404
    assert client_for(world.manager).get(url).status_code == 403
    participant.responsible_coach = world.coach
    participant.save()
    other = client_for(_second_coach(world))
    away = other.post(url, {"reason": "Ersätter Anna som är sjuk.", "next": "https://example.org/"})
    assert away["Location"] == reverse("participant_timeline", args=[participant.pk])


def test_the_registering_coach_gets_the_participant_and_the_profile_moves_them(
    world: World,
) -> None:
    from tests.web.test_intake import INTAKE

    coach = client_for(world.coach)
    coach.post(reverse("participant_new"), INTAKE)
    participant = Participant.objects.get(code="AME-2023-101")
    assert participant.responsible_coach == world.coach
    second = _second_coach(world)
    profile = reverse("participant_profile", args=[participant.pk])
    page = coach.get(profile).content.decode()
    assert "Hela teamet" in page and "coach-2" in page and "ange-coach" not in page
    coach.post(profile, {"responsible_coach": second.pk, "setting": "indoor"})
    participant.refresh_from_db()
    assert participant.responsible_coach == second
    assert "selected>coach-2" in client_for(second).get(profile).content.decode()


def test_a_list_of_participants_writes_one_row_without_a_participant(world: World) -> None:
    client_for(world.coach).get(reverse("placement_list"))
    client_for(world.coach).get(reverse("referral_queue"))
    client_for(world.supervisor_rk).get(reverse("home"))
    client_for(world.analyst).get(reverse("indicators"))  # aggregates: nobody listed
    client_for(world.manager).get(reverse("home"))  # figures, no participants
    rows = [(a.user, a.participant_id, a.page) for a in ParticipantAccess.objects.order_by("pk")]
    assert rows == [
        (world.coach, None, "placement_list"),
        (world.coach, None, "referral_queue"),
        (world.supervisor_rk, None, "home"),
    ]
    assert access_chain_check(world.ostersund.pk).broken is None
    page = client_for(world.reviewer).get(reverse("access_log")).content.decode()
    assert "(en lista)" in page and "Lista över placeringar" in page


def test_a_changed_check_is_added_and_the_first_kept(world: World) -> None:
    _rows_in(dt.date(2026, 10, 1), world, 3)
    client = client_for(world.reviewer)
    with time_machine.travel(dt.datetime(2026, 11, 27, 12), tick=False):
        row = client.get(reverse("access_review"), {"month": "2026-10"}).context["sample"][0][0]
        client.post(
            reverse("access_review"),
            {"month": "2026-10", "access": row.pk, "outcome": "deviation", "note": "Oklart."},
        )
    with time_machine.travel(dt.datetime(2026, 11, 27, 12, 10), tick=False):
        again = client.post(
            reverse("access_review"),
            {"month": "2026-10", "access": row.pk, "outcome": "ok", "note": "Coachen förklarade."},
        )
        assert again.status_code == 302
        page = client.get(reverse("access_review"), {"month": "2026-10"}).content.decode()
    assert [(r.outcome, r.note) for r in AccessReview.objects.order_by("pk")] == [
        ("deviation", "Oklart."),
        ("ok", "Coachen förklarade."),
    ]
    assert "1 av 3 rader granskade; 0 avvikelser" in page and "Coachen förklarade." in page


def test_the_review_checks_its_month_and_the_command_the_whole_log(world: World) -> None:
    from django.core.management import CommandError, call_command

    _rows_in(dt.date(2026, 9, 1), world, 3)
    _rows_in(dt.date(2026, 10, 1), world, 4)
    september = ParticipantAccess.objects.filter(at__month=9).order_by("pk").first()
    assert september is not None
    _without_guard(f"UPDATE placements_participantaccess SET page = 'x' WHERE id = {september.pk}")
    client = client_for(world.reviewer)
    with time_machine.travel(dt.datetime(2026, 11, 27, 12), tick=False):
        october = client.get(reverse("access_review"), {"month": "2026-10"})
        assert october.context["chain"].rows == 4 and october.context["chain"].broken is None
        september_page = client.get(reverse("access_review"), {"month": "2026-09"})
        assert september_page.context["chain"].broken == september
        assert "Loggens kedja är bruten" in september_page.content.decode()
    with pytest.raises(CommandError, match="Östersund"):
        call_command("verify_access_log", stdout=io.StringIO())
