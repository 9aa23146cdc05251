"""A tender round end to end, as its users meet it: the manager sets up the procurement and
names two evaluators, records the tenders, the evaluators declare and score with reasons, and
the award proposal becomes agreements with places. Every step is refused to whom it must be."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from platsa.procurement.models import (
    Agreement,
    Procurement,
    ProcurementEvaluator,
    Tender,
    TenderScore,
    WorkType,
)
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()

PROCUREMENT = {
    "title": "Sysselsättningsplatser 2027",
    "kind": "reserved",
    "information_meetings": "Dialogmöte i maj",
    "tender_deadline": (TODAY - dt.timedelta(days=3)).isoformat(),
    "scale_min": "1",
    "scale_max": "5",
    "scale_description": "5 = mycket god, 1 = brister",
    "criteria": "ASF-kriterierna\nArbetsplatsens lämplighet\nIndividanpassning",
    "minimum_score": "3",
    "places_to_buy": "5",
    "contract_start": (TODAY + dt.timedelta(days=60)).isoformat(),
    "contract_end": (TODAY + dt.timedelta(days=424)).isoformat(),
    "extension_options": "1+1",
    "auto_renew": "on",
    "notice_months": "4",
    "payment_model": "fixed_per_place_month",
    "price_sek": "6300",
}


def _tender(world: World, org: str, **over: str) -> dict[str, str]:
    data = {
        "organisation": str(world.org(org).pk),
        "received_on": (TODAY - dt.timedelta(days=5)).isoformat(),
        "places_offered": "3",
        "work_types": [str(WorkType.objects.get(code="second-hand").pk)],
        "location": "Centrum",
        "physical_demand": "light",
        "public_transport": "true",
        "offer": "Butik och sortering",
        "disadvantaged_share": "40.0",
        "disadvantaged_evidence": "Personallista 2026-10-01",
        "asf_integration_purpose": "Stadgarna § 2",
        "asf_profits_reinvested": "Stadgarna § 9",
    }
    data.update(over)
    return data  # type: ignore[return-value]


def _setup(world: World) -> tuple[Client, Procurement]:
    manager = client_for(world.manager)
    response = manager.post(reverse("procurement_new"), PROCUREMENT)
    assert response.status_code == 302, response.content.decode()[:2000]
    procurement = Procurement.objects.get(title=PROCUREMENT["title"])
    for user in (world.coach, world.analyst):
        manager.post(
            reverse("procurement_evaluator_add", args=[procurement.pk]), {"ev-user": user.pk}
        )
    return manager, procurement


def _score(client: Client, tender: Tender, scores: tuple[int, ...]) -> None:
    data = {}
    for criterion, score in zip(
        tender.procurement.criteria.order_by("position"), scores, strict=True
    ):
        data[f"c{criterion.pk}_score"] = str(score)
        data[f"c{criterion.pk}_reason"] = f"Bedömt {score}: skälet skrivet ut."
    response = client.post(reverse("tender_detail", args=[tender.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_every_field_of_the_procurement_and_a_tender_is_stored_and_shown(world: World) -> None:
    manager, procurement = _setup(world)
    assert procurement.minimum_score == 3 and procurement.places_to_buy == 5
    assert procurement.notice_months == 4 and procurement.auto_renew
    assert procurement.price_sek == Decimal("6300") and procurement.extension_options == "1+1"
    assert [c.text for c in procurement.criteria.order_by("position")] == [
        "ASF-kriterierna",
        "Arbetsplatsens lämplighet",
        "Individanpassning",
    ]
    page = manager.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    for shown in (
        "Dialogmöte i maj",
        PROCUREMENT["tender_deadline"],
        "5 = mycket god, 1 = brister",
        PROCUREMENT["contract_start"],
        PROCUREMENT["contract_end"],
        "1+1",
        "4 månaders uppsägning",
        "6\u00a0300\u00a0kr",
        "Individanpassning",
        "Reserverad upphandling",
    ):
        assert shown in page, shown
    edit = manager.get(reverse("procurement_edit", args=[procurement.pk])).content.decode()
    assert "ASF-kriterierna\nArbetsplatsens lämplighet\nIndividanpassning" in edit
    response = manager.post(
        reverse("tender_new", args=[procurement.pk]), _tender(world, "Röda Korset")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    tender = Tender.objects.get(procurement=procurement)
    assert tender.asf_evidence == {
        "integration_purpose": "Stadgarna § 2",
        "profits_reinvested": "Stadgarna § 9",
    }
    page = manager.get(reverse("tender_detail", args=[tender.pk])).content.decode()
    for shown in (
        "Centrum",
        "Lätt",
        "Butik och sortering",
        "40,0 %",
        "Personallista 2026-10-01",
        "Stadgarna § 2",
        "Stadgarna § 9",
        "Second hand",
    ):
        assert shown in page, shown
    edit = manager.get(reverse("tender_edit", args=[tender.pk])).content.decode()
    assert 'value="Stadgarna § 2"' in edit


def test_a_tender_round_from_criteria_to_agreements_with_places(world: World) -> None:
    manager, procurement = _setup(world)
    assert (
        manager.post(
            reverse("tender_new", args=[procurement.pk]), _tender(world, "Röda Korset")
        ).status_code
        == 302
    )
    manager.post(
        reverse("tender_new", args=[procurement.pk]),
        _tender(
            world, "Hej Främling", places_offered="4", work_types=[], asf_integration_purpose=""
        ),
    )
    manager.post(
        reverse("tender_new", args=[procurement.pk]),
        _tender(world, "Robin Hood", disadvantaged_share="20", places_offered="2"),
    )
    rk, hf, rh = (
        Tender.objects.get(procurement=procurement, organisation__name=n)
        for n in ("Röda Korset", "Hej Främling", "Robin Hood")
    )
    coach, analyst = client_for(world.coach), client_for(world.analyst)
    waiting = manager.get(reverse("procurement_award", args=[procurement.pk])).content.decode()
    assert "3 anbud väntar fortfarande på poäng" in waiting
    assert "inte poängsatt av alla bedömare ännu (kriterium 1, 2, 3: 0 av 2)" in waiting
    # Before the declaration there is no form, and a posted score is refused.
    page = coach.get(reverse("tender_detail", args=[rk.pk])).content.decode()
    assert 'type="radio"' not in page
    criterion = procurement.criteria.first()
    coach.post(
        reverse("tender_detail", args=[rk.pk]),
        {f"c{criterion.pk}_score": "4", f"c{criterion.pk}_reason": "Ett bra skäl här."},
    )
    assert not TenderScore.objects.exists()
    for client in (coach, analyst):
        client.post(reverse("procurement_declare", args=[procurement.pk]), {"no_conflict": "yes"})
    # An untouched score form records nothing; a score without its reason is refused.
    page = coach.get(reverse("tender_detail", args=[rk.pk])).content.decode()
    assert 'type="radio"' in page and "checked" not in page
    coach.post(reverse("tender_detail", args=[rk.pk]), {})
    assert not TenderScore.objects.exists()
    refused = coach.post(reverse("tender_detail", args=[rk.pk]), {f"c{criterion.pk}_score": "4"})
    assert refused.status_code == 200 and "minst 10 tecken" in refused.content.decode()
    assert not TenderScore.objects.exists()
    _score(coach, rk, (5, 4, 4))
    _score(analyst, rk, (4, 4, 5))
    _score(coach, hf, (3, 3, 3))
    _score(analyst, hf, (3, 4, 3))
    _score(coach, rh, (5, 5, 5))
    _score(analyst, rh, (5, 5, 5))
    # Each evaluator sees only their own reasons; the manager sees both.
    mine = coach.get(reverse("tender_detail", args=[rk.pk])).content.decode()
    assert "Bedömt 5" in mine and "Alla bedömares poäng" not in mine
    assert mine.count("Bedömt 4: skälet") == 2  # the coach's own two 4s, not the analyst's
    everyone = manager.get(reverse("tender_detail", args=[rk.pk])).content.decode()
    assert everyone.count("Bedömt 4: skälet") == 4
    # The proposal: Robin Hood scores best but has 20 % disadvantaged (reserved: ≥ 30 %).
    url = reverse("procurement_award", args=[procurement.pk])
    page = manager.get(url).content.decode()
    assert "20,0 % anställda med funktionsnedsättning eller missgynnade" in page
    assert f'name="t{rk.pk}" value="3"' in page  # 4.33 → 1 + 2 more (by score)
    assert f'name="t{hf.pk}" value="2"' in page  # 3.17 → 1 + 1
    assert f'name="t{rh.pk}" value="0"' in page
    assert "Platser att köpa: 5, enligt upphandlingen." in page
    # The rationale says how each tender's places came: first pass, then by score.
    assert "föreslås 3 (1 i första omgången, 2 efter poäng)" in page
    assert "föreslås 2 (1 i första omgången, 1 efter poäng)" in page
    # Untouched (no decision date): nothing is awarded.
    assert (
        manager.post(
            url, {"rationale": "x" * 20, f"t{rk.pk}": 3, f"t{hf.pk}": 2, f"t{rh.pk}": 0}
        ).status_code
        == 200
    )
    # A place to a tender that does not qualify, or more than offered: refused, nothing written.
    for bad in ({f"t{rh.pk}": 1}, {f"t{hf.pk}": 5}):
        data = {
            "decided_on": TODAY.isoformat(),
            "rationale": "Enligt förslaget.",
            f"t{rk.pk}": 3,
            f"t{hf.pk}": 2,
            f"t{rh.pk}": 0,
            **bad,
        }
        assert manager.post(url, data).status_code == 200
        assert not Agreement.objects.filter(procurement=procurement).exists()
    data = {
        "decided_on": TODAY.isoformat(),
        "rationale": "Enligt förslaget: poäng och behov.",
        f"t{rk.pk}": 3,
        f"t{hf.pk}": 2,
        f"t{rh.pk}": 0,
    }
    assert manager.post(url, data).status_code == 302
    procurement.refresh_from_db()
    assert procurement.awarded and procurement.awarded_on == TODAY
    assert procurement.awarded_by == world.manager
    agreements = {a.organisation.name: a for a in Agreement.objects.filter(procurement=procurement)}
    assert set(agreements) == {"Röda Korset", "Hej Främling"}
    rk_agreement = agreements["Röda Korset"]
    assert rk_agreement.places_on(rk_agreement.start_date) == 3
    assert rk_agreement.start_date.isoformat() == PROCUREMENT["contract_start"]
    assert rk_agreement.price_sek == Decimal("6300") and rk_agreement.notice_months == 4
    place = rk_agreement.places.first()
    assert place.work_type.code == "second-hand" and place.location == "Centrum"
    assert place.physical_demand == "light" and place.public_transport is True
    rk.refresh_from_db()
    assert rk.places_awarded == 3 and rk.agreement == rk_agreement
    # Awarded: nothing in it changes any more.
    before = TenderScore.objects.count()
    late = coach.post(
        reverse("tender_detail", args=[rk.pk]),
        {f"c{criterion.pk}_score": "1", f"c{criterion.pk}_reason": "Ändrat i efterhand."},
        follow=True,
    )
    assert "Upphandlingen är tilldelad" in late.content.decode()
    assert TenderScore.objects.count() == before
    assert not TenderScore.objects.filter(score=1).exists()
    assert manager.get(reverse("tender_edit", args=[rk.pk])).status_code == 302
    assert manager.get(url).status_code == 302
    assert Agreement.objects.filter(procurement=procurement).count() == 2


def test_bad_input_is_named_and_nothing_saved(world: World) -> None:
    manager, procurement = _setup(world)
    late = manager.post(
        reverse("tender_new", args=[procurement.pk]),
        _tender(world, "Röda Korset", received_on=TODAY.isoformat()),
    )
    assert "efter sista anbudsdag" in late.content.decode()
    no_evidence = manager.post(
        reverse("tender_new", args=[procurement.pk]),
        _tender(world, "Röda Korset", disadvantaged_evidence=""),
    )
    assert "Ange var andelen visas" in no_evidence.content.decode()
    assert not Tender.objects.filter(procurement=procurement).exists()
    bad_scale = manager.post(
        reverse("procurement_edit", args=[procurement.pk]), {**PROCUREMENT, "minimum_score": "7"}
    )
    assert "Lägsta poängen måste ligga på skalan" in bad_scale.content.decode()
    # The criteria cannot change once a score is given.
    manager.post(reverse("tender_new", args=[procurement.pk]), _tender(world, "Röda Korset"))
    client = client_for(world.coach)
    client.post(reverse("procurement_declare", args=[procurement.pk]), {"no_conflict": "yes"})
    _score(client, Tender.objects.get(procurement=procurement), (4, 4, 4))
    changed = manager.post(
        reverse("procurement_edit", args=[procurement.pk]), {**PROCUREMENT, "criteria": "Annat"}
    )
    assert "kriterierna kan inte längre ändras" in changed.content.decode()
    assert procurement.criteria.count() == 3
    # An evaluator with scores stays.
    evaluator = ProcurementEvaluator.objects.get(procurement=procurement, user=world.coach)
    manager.post(reverse("procurement_evaluator_remove", args=[procurement.pk, evaluator.pk]))
    assert ProcurementEvaluator.objects.filter(pk=evaluator.pk).exists()


def test_who_is_refused(world: World) -> None:
    _manager, procurement = _setup(world)
    # A supplier's supervisor and the log reviewer cannot be named, nor open the procurements.
    form = client_for(world.manager).get(reverse("procurement_detail", args=[procurement.pk]))
    options = form.content.decode()
    assert world.supervisor_rk.username not in options and world.reviewer.username not in options
    response = client_for(world.manager).post(
        reverse("procurement_evaluator_add", args=[procurement.pk]),
        {"ev-user": world.supervisor_rk.pk},
    )
    assert response.status_code == 302
    assert not ProcurementEvaluator.objects.filter(user=world.supervisor_rk).exists()
    for user in (world.supervisor_rk, world.reviewer):
        assert client_for(user).get(reverse("procurement_list")).status_code == 403
    # Named evaluators see the procurement; another municipality's staff do not.
    assert (
        client_for(world.coach)
        .get(reverse("procurement_detail", args=[procurement.pk]))
        .status_code
        == 200
    )
    assert (
        client_for(world.elsewhere_admin)
        .get(reverse("procurement_detail", args=[procurement.pk]))
        .status_code
        == 404
    )
    # An evaluator cannot award, record tenders or name evaluators.
    coach = client_for(world.coach)
    assert coach.get(reverse("procurement_award", args=[procurement.pk])).status_code == 403
    assert coach.get(reverse("tender_new", args=[procurement.pk])).status_code == 403
    # The menu leads an evaluator to the round; a coach not named sees no such entry.
    assert "Upphandlingar" in coach.get(reverse("home")).content.decode()
    ProcurementEvaluator.objects.filter(user=world.coach).delete()
    assert "Upphandlingar" not in coach.get(reverse("home")).content.decode()
    assert coach.get(reverse("procurement_detail", args=[procurement.pk])).status_code == 404


def test_the_reports_procurement_loads_as_a_case(world: World) -> None:
    procurement = Procurement.objects.get(title="Sysselsättningsplatser 2022")
    tenders = list(procurement.tenders.all())
    assert len(tenders) == procurement.tenders_received == 5
    assert all(t.places_awarded and t.agreement_id for t in tenders)
    assert sum(t.places_awarded for t in tenders) == 12
    assert procurement.places_offered_note == "18–20 erbjudna, 12 tilldelade"
    assert procurement.awarded and procurement.minimum_score == 3
    page = client_for(world.manager).get(reverse("procurement_detail", args=[procurement.pk]))
    text = page.content.decode()
    assert "många olika" in text and "18–20" in text and text.count("avtal</a>") == 5
