"""Synthetic municipalities for benchmarks and for trying the app at size.

``platsa synth --municipalities M --participants N --years Y --seed S`` adds M municipalities
(codes 9001, 9002 …, marked synthetic), each with six synthetic organisations, procurement
rounds of agreements that renew by their 1+1 terms, about N people referred over the last Y
years who wait, are placed within the places in force, step up their scope, are reported
present or absent (ill, notified, no-show) every weekday, meet their coach, end with a
destination and are checked after the end — the demo's continuation (``platsa.site.living``)
at another seed, start, pace and size — and one user of each role.

It refuses a database that holds real data: any participant or organisation that is neither
synthetic nor the demo's Östersund case. Loading the same arguments again duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, Region, Role
from platsa.engine.occupancy import add_months
from platsa.impact.regional import figures_refresh
from platsa.placements.models import Participant
from platsa.procurement.models import AgreementSupervisor, Organisation, WorkType
from platsa.site.demo import DEMO_CASE, ensure_regional_user, ensure_user, region_share_ensure
from platsa.site.living import ROUND_PLACES, Continuation, living_agreements, living_people

FIRST_CODE = 9001
MAX_MUNICIPALITIES = 999
#: The region every synthetic municipality shares with; ``region-synt`` reads it.
SYNTHETIC_REGION = "Syntetisk region"
NOTE = "Syntetiska data för prestandamätning, inte en verklig kommun."
#: Mean placement length (days) the places are sized for, with headroom for the queue.
_SIZED_FOR_DAYS = 150
_HEADROOM = 1.3


@dataclass(frozen=True)
class SynthReport:
    municipality: str
    participants: int
    placements: int
    waiting: int


def synth_refusal() -> str | None:
    """Why synthetic data must not be added to this database, or None when it may."""
    from django.conf import settings

    if settings.SECURE_SSL_REDIRECT:
        return _("platsa synth does not run with production settings (PLATSA_HTTPS=true).")
    demo = Municipality.objects.filter(code="2380", users__username="coach").distinct()
    real_people = Participant.objects.filter(synthetic=False).exclude(municipality__in=demo)
    real_suppliers = Organisation.objects.filter(synthetic=False).exclude(municipality__in=demo)
    if real_people.exists() or real_suppliers.exists():
        return _(
            "This database holds real data (participants or organisations that are neither "
            "synthetic nor the demo's): platsa synth adds only to an empty database, the demo's "
            "or one it made itself."
        )
    return None


def synth(
    *,
    municipalities: int,
    participants: int,
    years: int,
    seed: int,
    today: dt.date,
    region: str = SYNTHETIC_REGION,
) -> list[SynthReport]:
    """Synthetic municipalities 9001, 9002 …, each sharing its figures with ``region`` (the
    synthetic region by default, read by ``region-synt``; the demo's neighbours share with the
    demo's region)."""
    if not 1 <= municipalities <= MAX_MUNICIPALITIES:
        raise ValueError(_("From 1 to %(n)s municipalities.") % {"n": MAX_MUNICIPALITIES})
    if not 1 <= participants <= 100_000 or not 1 <= years <= 30:
        raise ValueError(_("From 1 to 100,000 participants and 1 to 30 years."))
    refusal = synth_refusal()
    if refusal:
        raise ValueError(refusal)
    return [
        _one(
            FIRST_CODE + i,
            participants=participants,
            years=years,
            seed=seed,
            today=today,
            region=region,
        )
        for i in range(municipalities)
    ]


@transaction.atomic
def _one(
    code: int, *, participants: int, years: int, seed: int, today: dt.date, region: str
) -> SynthReport:
    municipality, _created = Municipality.objects.get_or_create(
        code=str(code), defaults={"name": f"Syntetkommun {code}", "synthetic": True}
    )
    if not municipality.synthetic:
        raise ValueError(_("Municipality %(code)s exists and is not synthetic.") % {"code": code})
    start = add_months(today.replace(day=1), -12 * years)
    days = (today - start).days
    per_place = sum(len(p) for p in ROUND_PLACES.values())
    needed = participants / days * _SIZED_FOR_DAYS * _HEADROOM
    config = Continuation(
        seed=seed * 10_000 + code,
        start=start,
        mean_days_between_referrals=days / participants,
        place_multiplier=max(1, math.ceil(needed / per_place)),
        organisation_names=tuple(
            f"Syntetisk organisation {code}-{chr(65 + i)}" for i in range(len(ROUND_PLACES))
        ),
        note=NOTE,
        exact_pace=True,
    )
    # The case's work types (the rounds use them; the demo loads them with the case).
    for row in yaml.safe_load(DEMO_CASE.read_text(encoding="utf-8"))["work_types"]:
        WorkType.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "indoor": row.get("indoor")}
        )
    living_agreements(municipality, today=today, config=config)
    _accounts(municipality)
    living = living_people(municipality, today=today, config=config)
    # Every synthetic municipality shares with a region (the regional view at size).
    if region == SYNTHETIC_REGION:
        ensure_regional_user("region-synt", SYNTHETIC_REGION)
    region_share_ensure(municipality, Region.objects.get_or_create(name=region)[0], on=today)
    figures_refresh(municipality, today=today)
    return SynthReport(str(code), living.participants, living.placements, living.waiting)


def _accounts(municipality: Municipality) -> None:
    """One user of each role (usernames are role labels and the code, never names), and a
    supervisor per organisation, named on its agreements."""
    code = municipality.code
    for role in (Role.COACH, Role.MANAGER, Role.ANALYST, Role.ADMIN, Role.REVIEWER):
        ensure_user(f"{role.value}-{code}", municipality, role)
    for organisation in municipality.organisations.order_by("name"):
        user = ensure_user(
            f"handledare-{code}-{organisation.name[-1].lower()}",
            municipality,
            Role.SUPERVISOR,
            organisation,
        )
        for agreement in organisation.agreements.all():
            AgreementSupervisor.objects.get_or_create(
                agreement=agreement, user=user, valid_from=agreement.start_date
            )
