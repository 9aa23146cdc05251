"""What each role meets: start pages, lists, filters, details, flags, in Swedish."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import IN_THE_YEAR, World, client_for

pytestmark = pytest.mark.django_db


def test_login_page_is_swedish_and_logs_in(client, world: World) -> None:
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="sv">' in page and "Logga in" in page and "Användarnamn" in page
    world.coach.set_password("rätt-lösenord")
    world.coach.save()
    response = client.post(reverse("login"), {"login": "coach", "password": "rätt-lösenord"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_with_a_message(client, world: World) -> None:
    response = client.post(reverse("login"), {"login": "coach", "password": "fel"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_the_coach_start_page_lists_the_7_placed_on_2023_05_10(world: World) -> None:
    response = client_for(world.coach).get(reverse("home"))
    assert response.status_code == 200
    statuses = [r.status.value for r in response.context["rows"]]
    assert statuses.count("ongoing") == 7 and statuses.count("planned") == 2
    assert "Aktuella placeringar" in response.content.decode()


@time_machine.travel(IN_THE_YEAR, tick=False)
def test_the_supervisor_start_page_shows_their_current_participant(world: World) -> None:
    response = client_for(world.supervisor_rk).get(reverse("home"))
    codes = [r.placement.participant.code for r in response.context["rows"]]
    assert codes == ["OST-17"]
    assert "Deltagare hos Röda Korset" in response.content.decode()


def test_the_manager_start_page_shows_the_agreements_and_864_000(world: World) -> None:
    response = client_for(world.manager).get(reverse("home"))
    table = response.context["agreements"]
    assert table.total_places == 12 and table.total_value_sek == 864_000.0
    assert "864\u00a0000\u00a0kr" in response.content.decode()


def test_the_analyst_start_page_hides_small_counts(world: World) -> None:
    response = client_for(world.analyst).get(reverse("home"))
    agg = response.context["aggregates"]
    assert agg.total.value == 17 and not agg.total.suppressed
    assert agg.by_status["ongoing"].suppressed  # 2 ongoing
    assert agg.by_status["ended"].suppressed  # 15 would give the 2 away by subtraction
    assert agg.by_destination["employed_at_organisation"].suppressed
    assert agg.cohort_outcomes["studies"].suppressed
    page = response.content.decode()
    assert "OST-" not in page and "dolt" in page


def test_the_placement_list_filters_by_organisation_and_status(world: World) -> None:
    client = client_for(world.coach)
    pmu = world.org("PMU (Pingstkyrkan)")
    rows = client.get(reverse("placement_list"), {"organisation": pmu.pk}).context["rows"]
    assert len(rows) == 3
    rows = client.get(reverse("placement_list"), {"status": "ongoing"}).context["rows"]
    assert sorted(r.placement.participant.code for r in rows) == ["OST-06", "OST-08"]


def test_a_filter_on_an_organisation_outside_the_municipality_is_refused_with_a_message(
    world: World,
) -> None:
    response = client_for(world.coach).get(
        reverse("placement_list"), {"organisation": world.elsewhere_organisation.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert len(response.context["rows"]) == 17  # the unfiltered list, never another's rows


def test_a_placement_shows_its_flags_in_swedish(world: World) -> None:
    early = world.placement("OST-09")  # Robin Hood, starts 2022-08-29 before the agreement
    page = (
        client_for(world.coach).get(reverse("placement_detail", args=[early.pk])).content.decode()
    )
    assert "Placeringen börjar innan avtalet börjar gälla." in page
    assert "det är inte registrerat vart deltagaren gick vidare" in page
    irregular = world.placement("OST-08")
    page = (
        client_for(world.coach)
        .get(reverse("placement_detail", args=[irregular.pk]))
        .content.decode()
    )
    assert "2023-12 31" in page and "Uppgiften avviker från källan" in page


def test_an_agreement_page_shows_terms_places_and_named_supervisors(world: World) -> None:
    agreement = world.org("Röda Korset").agreements.get()
    response = client_for(world.manager).get(reverse("agreement_detail", args=[agreement.pk]))
    page = response.content.decode()
    assert "2022-09-01 – 2023-08-31" in page and "1+1+1" in page and "6 månader" in page
    assert "6\u00a0000\u00a0kr" in page and "144\u00a0000\u00a0kr" in page
    assert "handledare-roda-korset" in page and len(response.context["places"]) == 2


def test_an_organisation_page_shows_the_facts_of_table_2(world: World) -> None:
    org = world.org("A-lagets Allservice")
    page = (
        client_for(world.coach).get(reverse("organisation_detail", args=[org.pk])).content.decode()
    )
    assert "Ekonomisk förening" in page and "700\u00a0000\u00a0kr" in page
    assert "2 anställda + 8 med lönebidrag/nystartsbidrag" in page and "Inte bedömt" in page


def test_the_menu_shows_only_what_the_role_may_open(world: World) -> None:
    analyst_page = client_for(world.analyst).get(reverse("home")).content.decode()
    assert reverse("placement_list") not in analyst_page
    coach_page = client_for(world.coach).get(reverse("home")).content.decode()
    assert reverse("placement_list") in coach_page and reverse("admin:index") not in coach_page


def test_a_manager_who_sees_the_rows_sees_exact_counts(world: World) -> None:
    agg = client_for(world.manager).get(reverse("home")).context["aggregates"]
    assert agg.by_status["ongoing"].value == 2 and not agg.by_status["ongoing"].suppressed
    assert agg.flagged.value == 15 and not agg.flagged.suppressed


def test_the_suppression_threshold_is_configurable(world: World, settings) -> None:
    settings.PLATSA_MIN_GROUP_SIZE = 2
    agg = client_for(world.analyst).get(reverse("home")).context["aggregates"]
    assert not agg.by_status["ongoing"].suppressed
    assert agg.cohort_outcomes["studies"].suppressed  # 1 < 2


def test_the_admin_start_page_is_the_manager_s_with_the_administration(world: World) -> None:
    page = client_for(world.admin).get(reverse("home")).content.decode()
    assert "864\u00a0000\u00a0kr" in page and reverse("admin:index") in page
    assert (
        reverse("admin:index")
        not in client_for(world.manager).get(reverse("home")).content.decode()
    )


def test_the_manager_s_flag_notice_counts_what_the_coach_s_does(world: World) -> None:
    manager = client_for(world.manager).get(reverse("home")).context["flagged_count"]
    coach = client_for(world.coach).get(reverse("home")).context["flagged_count"]
    assert manager == coach == 15


def test_the_placement_list_comes_a_hundred_a_page_with_its_filters_kept(world: World) -> None:
    import datetime as dt

    from platsa.placements.models import Participant, Placement

    org = world.org("Röda Korset")
    agreement = org.agreements.first()
    for n in range(110):
        participant = Participant.objects.create(municipality=world.ostersund, code=f"SID-{n:03d}")
        Placement.objects.create(
            participant=participant,
            organisation=org,
            agreement=agreement,
            start_date=dt.date(2023, 1, 2),
            actual_end=dt.date(2023, 2, 1),
            destination="studies",
        )
    client = client_for(world.coach)
    first = client.get(reverse("placement_list"), {"organisation": org.pk})
    assert len(first.context["rows"]) == 100 and first.context["total"] == 113
    text = first.content.decode()
    assert "113 placeringar" in text and "Visar 1–100." in text and "Sida 1 av 2" in text
    assert f"?organisation={org.pk}&amp;sida=2" in text
    second = client.get(reverse("placement_list"), {"organisation": org.pk, "sida": "2"})
    assert len(second.context["rows"]) == 13
    # A page past the end, or no number at all, shows a page rather than an error.
    assert client.get(reverse("placement_list"), {"sida": "99"}).status_code == 200
    assert client.get(reverse("placement_list"), {"sida": "x" * 50}).status_code == 200
