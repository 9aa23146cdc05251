"""The demo's tender round: a synthetic reserved procurement for the agreements after the
running ones, open for evaluation on the day the demo is loaded. The analyst has declared and
scored every tender; the coach is named but has not started, so a visitor can score as the coach
and award as the manager. Created once: what a visitor does to it is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from platsa.accounts.models import Municipality, User
from platsa.engine.occupancy import add_months
from platsa.procurement.models import (
    EvaluationCriterion,
    Organisation,
    PhysicalDemand,
    Procurement,
    ProcurementEvaluator,
    ProcurementKind,
    Tender,
    TenderScore,
    WorkType,
)
from platsa.site.living import NEW_ORGANISATION_DEFAULTS, NOTE, ROUND_PLACES

TITLE = "Sysselsättningsplatser, ny omgång (syntetisk)"
ASF_EVIDENCE = {
    "integration_purpose": "Stadgarna § 2 (syntetiskt)",
    "sells_goods_or_services": "Årsredovisningen, nettoomsättning (syntetiskt)",
    "independent": "Registreringsbevis (syntetiskt)",
    "staff_involved": "Medarbetaravtal (syntetiskt)",
    "profits_reinvested": "Stadgarna § 9 (syntetiskt)",
}
# organisation: (disadvantaged share %, ASF criteria shown, the analyst's scores on 1–3)
TENDERS: dict[str, tuple[Decimal | None, int, tuple[int, int, int]]] = {
    "A-lagets Allservice": (Decimal("45"), 5, (5, 4, 4)),
    "Hej Främling": (Decimal("38"), 3, (3, 4, 5)),
    "Robin Hood": (Decimal("32"), 2, (3, 3, 4)),
    "PMU (Pingstkyrkan)": (Decimal("30"), 1, (3, 3, 3)),
    "Röda Korset": (None, 1, (3, 4, 4)),  # the share is not yet recorded
    "Gröna Gården (syntetisk)": (Decimal("40"), 5, (5, 5, 4)),
}
REASONS = {
    1: "Syntetiskt omdöme: bedömt mot ASF-kriterierna och bevisen i anbudet.",
    2: "Syntetiskt omdöme: arbetsuppgifterna liknar ett vanligt arbete och passar målgruppen.",
    3: "Syntetiskt omdöme: handledningen beskrivs konkret, med namngivna handledare.",
}


@transaction.atomic
def demo_tender_round(municipality: Municipality, *, today: dt.date) -> Procurement | None:
    if Procurement.objects.filter(municipality=municipality, title=TITLE).exists():
        return None
    # Agreements from the first of the month nine months ahead: time to decide, give notice on
    # the running ones (their renewal pages) and start the new ones.
    start = add_months(today.replace(day=1), 9)
    procurement = Procurement.objects.create(
        municipality=municipality,
        title=TITLE,
        kind=ProcurementKind.RESERVED,
        information_meetings="Dialogmöte för leverantörer (syntetiskt)",
        tender_deadline=today - dt.timedelta(days=14),
        scale_min=1,
        scale_max=5,
        scale_description=(
            "5 = mycket god kravuppfyllnad och stort mervärde … 1 = brister (som i Östersunds "
            "upphandling)."
        ),
        minimum_score=3,
        contract_start=start,
        contract_end=add_months(start, 12) - dt.timedelta(days=1),
        extension_options="1+1",
        auto_renew=True,
        notice_months=6,
        price_sek=Decimal("6300"),
        source=NOTE,
        synthetic=True,
    )
    # The criteria of the report's procurement (the case), as the municipality used them.
    case = (
        Procurement.objects.filter(municipality=municipality, synthetic=False)
        .exclude(criteria=None)
        .order_by("tender_deadline")
        .first()
    )
    texts = list(case.criteria.order_by("position").values_list("text", flat=True)) if case else []
    criteria = [
        EvaluationCriterion.objects.create(procurement=procurement, position=i, text=text)
        for i, text in enumerate(texts or ["Arbetsplatsens lämplighet för deltagarna"], start=1)
    ]
    analyst = ProcurementEvaluator.objects.create(
        procurement=procurement,
        user=User.objects.get(username="analyst"),
        no_conflict_declared_at=timezone.now(),
    )
    ProcurementEvaluator.objects.create(
        procurement=procurement, user=User.objects.get(username="coach")
    )
    types = {w.code: w for w in WorkType.objects.all()}
    for name, (share, shown, scores) in TENDERS.items():
        organisation, _created = Organisation.objects.get_or_create(
            municipality=municipality, name=name, defaults=NEW_ORGANISATION_DEFAULTS
        )
        offered = ROUND_PLACES[name]
        tender = Tender.objects.create(
            procurement=procurement,
            organisation=organisation,
            received_on=today - dt.timedelta(days=20),
            places_offered=len(offered) + 1,
            location="Östersund",
            physical_demand=PhysicalDemand(offered[0][1]),
            public_transport=all(p for _t, _d, p in offered),
            offer="Syntetiskt anbud för demon: platserna som i dag, och en plats till.",
            asf_evidence=dict(list(ASF_EVIDENCE.items())[:shown]),
            disadvantaged_share=share,
            disadvantaged_evidence="Personalförteckning (syntetiskt)" if share is not None else "",
            source=NOTE,
            synthetic=True,
        )
        tender.work_types.set({types[t] for t, _d, _p in offered if t in types})
        for criterion, score in zip(criteria, scores, strict=True):
            TenderScore.objects.create(
                tender=tender,
                criterion=criterion,
                evaluator=analyst,
                score=score,
                reason=REASONS[criterion.position],
            )
    return procurement
