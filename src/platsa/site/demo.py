"""The demo: the Östersund case and one account per role, loaded idempotently."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from platsa.accounts.models import Guidance, Municipality, Region, RegionShare, Role, User
from platsa.impact.regional import figures_refresh
from platsa.procurement.models import AgreementSupervisor
from platsa.site.casefile import BUNDLED, LoadReport, load_case_file
from platsa.site.demo_tenders import demo_tender_round
from platsa.site.living import LivingReport, living_agreements, living_people

DEMO_CASE = BUNDLED / "ostersund_2022.yaml"
DEMO_PASSWORD = "platsa-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str | None


def supervisor_username(organisation_name: str) -> str:
    """``Röda Korset`` → ``handledare-roda-korset``."""
    return "handledare-" + slugify(organisation_name.replace("(", "").replace(")", ""))[:40]


@transaction.atomic
def demo_accounts_ensure(municipality: Municipality) -> list[DemoAccount]:
    """One account per role; a supervisor per organisation, named on its agreements.

    The accounts are demo data: their usernames are role labels, never people's names.
    """
    accounts: list[DemoAccount] = []
    for role in (Role.COACH, Role.MANAGER, Role.ANALYST, Role.ADMIN, Role.REVIEWER):
        ensure_user(role.value, municipality, role)
        accounts.append(DemoAccount(role.value, str(role.label), None))
    # A second coach: the synthetic participants are the first coach's caseload, so this one
    # states a reason before opening them.
    ensure_user("coach-2", municipality, Role.COACH)
    accounts.insert(1, DemoAccount("coach-2", str(Role.COACH.label), None))
    for organisation in municipality.organisations.order_by("name"):
        username = supervisor_username(organisation.name)
        user = ensure_user(username, municipality, Role.SUPERVISOR, organisation)
        for agreement in organisation.agreements.all():
            AgreementSupervisor.objects.get_or_create(
                agreement=agreement, user=user, valid_from=agreement.start_date
            )
        accounts.append(DemoAccount(username, str(Role.SUPERVISOR.label), organisation.name))
    return accounts


@functools.cache
def demo_password_hash() -> str:
    """The published demo password, hashed once per process (slow by design) and given to every
    demo and synthetic account it makes: they share a password anyway, so a salt of their own
    protects nothing, and 290 synthetic municipalities would otherwise hash it 2,000 times."""
    return make_password(DEMO_PASSWORD)


def ensure_user(
    username: str, municipality: Municipality, role: Role, organisation: object = None
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.password = demo_password_hash()
    user.municipality = municipality
    user.role = role
    user.organisation = organisation  # type: ignore[assignment]
    user.is_staff = role == Role.ADMIN
    user.full_clean(exclude=["password"])
    user.save()
    return user


def ensure_regional_user(username: str, region_name: str) -> User:
    """A regional analyst of the named region (created if need be)."""
    region, _created = Region.objects.get_or_create(name=region_name)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
        user.password = demo_password_hash()
    user.municipality, user.organisation, user.region = None, None, region
    user.role = Role.REGION
    user.is_staff = False
    user.full_clean(exclude=["password"])
    user.save()
    return user


def region_share_ensure(municipality: Municipality, region: Region, *, on: dt.date) -> None:
    """The municipality shares its figures with the region (a demo decision, said to be one)."""
    RegionShare.objects.get_or_create(
        region=region,
        municipality=municipality,
        defaults={"decision": "Demobeslut (syntetiskt)", "agreed_on": on},
    )


#: The demo's region: Östersund shares its figures with it; the ``region`` account reads them.
DEMO_REGION = "Region Jämtland Härjedalen"


DEMO_GUIDANCE = {
    "occupation": (
        "Sysselsättning är arbete som liknar ett vanligt arbete: att sälja varor eller tjänster "
        "tillsammans med andra, med riktiga uppgifter, inte terapi eller fritid. Deltagaren ska "
        "vara en del av verksamheten och få social träning och språkträning på arbetsplatsen. "
        "(Utgår från kraven i Östersunds upphandling, rapporten avsnitt 2.2.)"
    ),
    "close_supervision": (
        "Minst en namngiven handledare per åtta deltagare. Handledningen anpassas till varje "
        "person: arbetsledning, visa hur uppgifter görs, motivera, coacha och ge återkoppling. "
        "Handledaren iakttar förmåga, motivation, närvaro, samarbete och behov av handledning, "
        "och tar kontakt med coachen samma dag som en deltagare uteblir utan besked."
    ),
    "follow_up_checklist": "\n".join(
        [
            "Arbetsuppgifter: vad har deltagaren gjort, vad går bra, vad är nästa steg?",
            "Närvaro: stämmer den rapporterade närvaron, och varför har deltagaren varit borta?",
            "Omfattning: kan tiden öka?",
            "Mående och stöd utanför placeringen",
            "Mål i beställningen: närmare eller längre bort? Behövs en ny skattning?",
            "Avslut: när, och vad kommer efter (arbete, studier, annan insats)?",
        ]
    ),
}


def demo_guidance_ensure(municipality: Municipality) -> None:
    """The demo municipality's guidance, written once (an administrator's edits are kept)."""
    Guidance.objects.get_or_create(municipality=municipality, defaults=DEMO_GUIDANCE)


def demo_load(
    *, living_until: dt.date | None = None
) -> tuple[LoadReport, list[DemoAccount], LivingReport | None]:
    """The Östersund case and the accounts; with ``living_until``, the synthetic continuation up to
    that day (see :mod:`platsa.site.living`)."""
    report = load_case_file(DEMO_CASE)
    living = None
    if living_until is not None:
        living_agreements(report.municipality, today=living_until)
    accounts = demo_accounts_ensure(report.municipality)
    demo_guidance_ensure(report.municipality)
    if living_until is not None:
        living = living_people(report.municipality, today=living_until)
        demo_tender_round(report.municipality, today=living_until)
        regional = ensure_regional_user("region", DEMO_REGION)
        assert regional.region is not None
        region_share_ensure(report.municipality, regional.region, on=living_until)
        figures_refresh(report.municipality, today=living_until)
        accounts.append(DemoAccount("region", str(Role.REGION.label), DEMO_REGION))
    return report, accounts, living


def demo_refusal() -> str | None:
    """Why the demo must not load into this database, or None when it may.

    The demo creates accounts with a published password, an administrator among them: it runs
    only on an empty database or one it made itself, and never with production settings.
    """
    from django.conf import settings
    from django.db.utils import DatabaseError

    if settings.SECURE_SSL_REDIRECT:
        return _("platsa demo does not run with production settings (PLATSA_HTTPS=true).")
    try:
        has_users = User.objects.exists()
        demo_made = User.objects.filter(
            username="coach", role=Role.COACH, municipality__code="2380"
        ).exists()
    except DatabaseError:  # not migrated yet: an empty database
        return None
    if has_users and not demo_made:
        return _(
            "This database holds other data than the demo's: platsa demo loads only into an "
            "empty database or one it made itself. Point PLATSA_DATABASE_URL or PLATSA_DATA_DIR "
            "elsewhere."
        )
    return None
