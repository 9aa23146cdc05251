"""The demo's living part: a seeded, clearly labelled synthetic continuation of the Östersund case
from 2023-09 up to the day the demo is loaded.

The case itself (2022-09-01 – 2023-08-31) is left as the report has it, so every known answer
stays. After it, synthetic participants are referred, wait, are placed within the places in force
(the case's agreements renew by their 1+1+1 terms; a new round is bought when they run out), are
followed with attendance up to yesterday, meetings and after-exit checks, and end with a
destination. Everything generated is marked synthetic (participants, placements, the new
procurement and organisation) and codes start with ``SYN-``.

The plan depends only on the seed, never on the day it is loaded: running the demo again later
creates what has happened since and closes what has ended, and duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from platsa.accounts.models import Municipality, Role, User
from platsa.engine.occupancy import add_months
from platsa.placements.access import access_write
from platsa.placements.models import (
    Attendance,
    Destination,
    ExitCheck,
    FollowUpMeeting,
    Participant,
    Placement,
    Referral,
    ScopeStep,
)
from platsa.placements.services import placement_close
from platsa.procurement.models import (
    Agreement,
    AgreementPlaces,
    Organisation,
    PhysicalDemand,
    Place,
    Procurement,
    WorkType,
)

SEED = 2380
CONTINUES_FROM = dt.date(2023, 9, 1)
NOTE = "Syntetisk fortsättning av demon, inte ur rapporten."
NEW_ORGANISATION = "Gröna Gården (syntetisk)"
# Mean days between referrals (about 30 a year, as Nordanstig's 25–30) and how long one may wait
# before the referral is withdrawn.
MEAN_DAYS_BETWEEN_REFERRALS = 12.0
MAX_WAIT_DAYS = 75

# Places in each new round (after the case's agreements run out), with what each offers.
ROUND_PLACES: dict[str, list[tuple[str | None, str, bool]]] = {
    # organisation: [(work type, physical demand, reachable by public transport)]
    "A-lagets Allservice": [
        ("outdoor-services", "heavy", False),
        ("outdoor-services", "moderate", True),
    ],
    "Hej Främling": [("cafe", "light", True), ("cafe", "light", True), ("cafe", "moderate", True)],
    "Robin Hood": [("second-hand", "moderate", True), ("cafe", "light", True)],
    "PMU (Pingstkyrkan)": [("second-hand", "moderate", True)],
    "Röda Korset": [("second-hand", "light", True), ("office", "light", True)],
    NEW_ORGANISATION: [("plants", "moderate", False), ("plants", "light", True)],
}
NEW_ORGANISATION_DEFAULTS = {
    "legal_form": "economic_association",
    "meets_asf": True,
    "description": "Odlar grönsaker och plantor och säljer i egen gårdsbutik.",
    "source": NOTE,
    "synthetic": True,
}
NEW_WORK_TYPES = [
    ("plants", "Växthus och odling", False),
    ("office", "Kontor och reception", True),
]


@dataclass(frozen=True)
class Continuation:
    """What to generate: the demo's continuation of Östersund by default; ``platsa synth``
    makes one per synthetic municipality (another seed, start, pace and size, and its own
    organisation names)."""

    seed: int = SEED
    start: dt.date = CONTINUES_FROM
    mean_days_between_referrals: float = MEAN_DAYS_BETWEEN_REFERRALS
    place_multiplier: int = 1  # each round buys this many times the places in ROUND_PLACES
    organisation_names: tuple[str, ...] = ()  # in ROUND_PLACES' order; empty: its names
    note: str = NOTE
    exact_pace: bool = False  # referrals exactly at the mean pace (the demo's are a day apart)

    def organisation(self, index: int, name: str) -> str:
        return self.organisation_names[index] if self.organisation_names else name


DEMO = Continuation()


@dataclass
class _Slot:
    place: Place
    agreement: Agreement
    until: dt.date  # the agreement's last day in force
    busy: list[tuple[dt.date, dt.date]] = field(default_factory=list)

    def free(self, start: dt.date, end: dt.date) -> bool:
        return (
            self.agreement.start_date <= start
            and end <= self.until
            and all(e < start or s > end for s, e in self.busy)
        )


@dataclass(frozen=True)
class _Person:
    number: int
    referred_on: dt.date
    rng_seed: int


def _work_types() -> dict[str, WorkType]:
    for code, name, indoor in NEW_WORK_TYPES:
        WorkType.objects.get_or_create(code=code, defaults={"name": name, "indoor": indoor})
    return {w.code: w for w in WorkType.objects.all()}


def _round(
    municipality: Municipality,
    start: dt.date,
    types: dict[str, WorkType],
    config: Continuation,
) -> None:
    """A new (synthetic) procurement round: one agreement per organisation from ``start``."""
    procurement, _created = Procurement.objects.get_or_create(
        municipality=municipality,
        title=f"Sysselsättningsplatser {start.year} (syntetisk)",
        defaults={
            "kind": "direct_award",
            "source": config.note,
            "synthetic": True,
            "awarded": True,
        },
    )
    for index, (round_name, offered) in enumerate(ROUND_PLACES.items()):
        places = offered * config.place_multiplier
        organisation, _created = Organisation.objects.get_or_create(
            municipality=municipality,
            name=config.organisation(index, round_name),
            defaults={**NEW_ORGANISATION_DEFAULTS, "source": config.note},
        )
        organisation.work_types.add(*{types[t] for t, _d, _p in places if t})
        agreement, created = Agreement.objects.get_or_create(
            organisation=organisation,
            procurement=procurement,
            start_date=start,
            defaults={
                "end_date": add_months(start, 12) - dt.timedelta(days=1),
                "extension_options": "1+1",
                "auto_renew": True,
                "notice_months": 6,
                "price_sek": Decimal("6300"),
                "notes": config.note,
            },
        )
        if created:
            AgreementPlaces.objects.create(
                agreement=agreement, valid_from=start, places=len(places)
            )
            for n, (work_type, demand, transport) in enumerate(places, start=1):
                Place.objects.create(
                    agreement=agreement,
                    label=f"Plats {n}",
                    work_type=types[work_type] if work_type else None,
                    physical_demand=PhysicalDemand(demand),
                    public_transport=transport,
                    location="Östersund" if transport else "Utanför tätorten",
                )


@transaction.atomic
def living_agreements(
    municipality: Municipality, *, today: dt.date, config: Continuation = DEMO
) -> None:
    """Agreements in force today and for the half year ahead: a new round is bought when the
    running ones have less than that left, as a unit would before they run out."""
    types = _work_types()
    while True:
        agreements = list(Agreement.objects.filter(organisation__municipality=municipality))
        last = max(
            (a.in_force_until for a in agreements),
            default=config.start - dt.timedelta(days=1),
        )
        if last >= today + dt.timedelta(days=183):
            return
        _round(municipality, last + dt.timedelta(days=1), types, config)


def _slots(municipality: Municipality) -> list[_Slot]:
    """Every place as a slot, with the case's own placements already holding theirs."""
    slots: list[_Slot] = []
    agreements = Agreement.objects.filter(organisation__municipality=municipality).select_related(
        "organisation"
    )
    for agreement in agreements.prefetch_related("places", "place_counts"):
        until = agreement.in_force_until
        mine = [_Slot(p, agreement, until) for p in agreement.places.order_by("label")]
        for p in Placement.objects.filter(agreement=agreement, synthetic=False).order_by(
            "start_date"
        ):
            end = p.actual_end or p.planned_end or _CASE_ENDS.get(p.participant.code) or until
            free = next((s for s in mine if all(e < p.start_date for _s, e in s.busy)), None)
            if free is not None:
                free.busy.append((p.start_date, end))
        slots.extend(mine)
    return slots


# How the case's open placements end in the continuation (the report leaves them open, 2023-11).
_CASE_ENDS = {"OST-06": dt.date(2024, 3, 28), "OST-08": dt.date(2023, 12, 31)}


def _people(until: dt.date, config: Continuation) -> list[_Person]:
    rng = random.Random(config.seed)
    people, day, n = [], config.start, 0
    pace = config.mean_days_between_referrals
    clock = 0.0  # days since the start, as a Poisson process (``exact_pace``)
    while True:
        if config.exact_pace:
            # Referrals at the pace asked for; one falling on a weekend is made the Monday.
            clock += rng.expovariate(1 / pace)
            day = config.start + dt.timedelta(days=int(clock))
        else:
            # The demo's rhythm (kept, so the demo's people stay the same): at least a day apart.
            day += dt.timedelta(days=max(1, round(rng.expovariate(1 / pace))))
        if day > until:
            return people
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
        n += 1
        people.append(_Person(n, day, rng.randrange(1 << 30)))


def _weighted(rng: random.Random, options: list[tuple[str, float]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


@dataclass
class _Plan:
    person: _Person
    code: str
    rng: random.Random
    birth_year: int
    gender: str
    interests: list[str]
    setting: str
    goals: str
    planned_months: int
    percent: int
    hours: Decimal
    days: int
    # Where and when: one segment, or two when the placement runs on into the organisation's next
    # agreement (the first ends as a move to the second).
    segments: list[tuple[_Slot, dt.date, dt.date]] = field(default_factory=list)
    destination: str = ""
    presence: float = 0.9
    gap: bool = False
    withdrawn_on: dt.date | None = None


GOALS = [
    "Komma igång med fasta tider och rutiner.",
    "Pröva arbete i butik och träna svenska på arbetsplatsen.",
    "Öka tiden från tre till fem timmar om dagen.",
    "Få en referens och söka arbete eller studier efter placeringen.",
    "Pröva arbetsförmågan inför en utredning.",
]
DESTINATIONS = [
    (Destination.EMPLOYED_ELSEWHERE, 0.13),
    (Destination.EMPLOYED_AT_ORGANISATION, 0.07),
    (Destination.STUDIES, 0.10),
    (Destination.OTHER_MEASURE, 0.35),
    (Destination.UNKNOWN, 0.10),
]


def _plan_for(person: _Person, slots: list[_Slot]) -> _Plan:
    rng = random.Random(person.rng_seed)
    plan = _Plan(
        person=person,
        code=f"SYN-{person.number:03d}",
        rng=rng,
        birth_year=rng.randint(1962, 2004),
        gender=_weighted(rng, [("woman", 0.42), ("man", 0.55), ("other", 0.03)]),
        interests=rng.sample(["second-hand", "cafe", "outdoor-services", "plants", "office"], 2),
        setting=_weighted(rng, [("", 0.6), ("indoor", 0.3), ("outdoor", 0.1)]),
        goals=rng.choice(GOALS),
        planned_months=rng.choice([3, 3, 4, 6, 6, 6, 9]),
        percent=rng.choice([25, 25, 50, 50, 75]),
        hours=Decimal(rng.choice([3, 3, 4, 4, 5, 6])),
        days=rng.choice([3, 4, 5, 5]),
        presence=rng.uniform(0.65, 0.97),
        gap=rng.random() < 0.08,
    )
    wait = rng.randint(3, 25)
    early = rng.random() < 0.2
    length = (
        rng.randint(14, 60)
        if early
        else (add_months(dt.date(2000, 1, 1), plan.planned_months) - dt.date(2000, 1, 1)).days
        + rng.randint(-20, 75)
    )
    plan.destination = Destination.ENDED_EARLY if early else _weighted(rng, DESTINATIONS)
    first = person.referred_on + dt.timedelta(days=wait)
    # The least used organisation that has a free place for the whole placement, a week at a time.
    for shift in range(0, MAX_WAIT_DAYS, 7):
        start = first + dt.timedelta(days=shift)
        while start.weekday() != 0:
            start += dt.timedelta(days=1)
        end = start + dt.timedelta(days=length - 1)
        options = [[(s, start, end)] for s in slots if s.free(start, end)]
        if not options:
            options = _across_agreements(slots, start, end)
        if options:
            load = _load(slots, start)
            liked = [
                o
                for o in options
                if o[0][0].place.work_type and o[0][0].place.work_type.code in plan.interests
            ]
            chosen = min(
                liked or options,
                key=lambda o: (load.get(o[0][0].agreement.organisation_id, 0), rng.random()),
            )
            for slot, s_start, s_end in chosen:
                slot.busy.append((s_start, s_end))
            plan.segments = chosen
            return plan
    plan.withdrawn_on = person.referred_on + dt.timedelta(days=MAX_WAIT_DAYS)
    return plan


def _load(slots: list[_Slot], day: dt.date) -> dict[int, int]:
    load: dict[int, int] = {}
    for s in slots:
        if any(b <= day <= e for b, e in s.busy):
            load[s.agreement.organisation_id] = load.get(s.agreement.organisation_id, 0) + 1
    return load


def _across_agreements(
    slots: list[_Slot], start: dt.date, end: dt.date
) -> list[list[tuple[_Slot, dt.date, dt.date]]]:
    """A placement that runs past its agreement's last day continues at the same organisation
    under the next agreement, if that has a free place from the day after."""
    options = []
    for s in slots:
        if not (s.agreement.start_date <= start and start < s.until < end):
            continue
        if not s.free(start, s.until):
            continue
        after = s.until + dt.timedelta(days=1)
        following = next(
            (
                n
                for n in slots
                if n.agreement.organisation_id == s.agreement.organisation_id
                and n.agreement.start_date == after
                and n.free(after, end)
            ),
            None,
        )
        if following is not None:
            options.append([(s, start, s.until), (following, after, end)])
    return options


@dataclass(frozen=True)
class LivingReport:
    participants: int
    placements: int
    waiting: int


@transaction.atomic
def living_people(
    municipality: Municipality, *, today: dt.date, config: Continuation = DEMO
) -> LivingReport:
    """Referrals, placements, attendance up to yesterday, meetings, endings and checks."""
    coach = User.objects.filter(municipality=municipality, role=Role.COACH).order_by("pk").first()
    supervisors = {
        u.organisation_id: u
        for u in User.objects.filter(municipality=municipality, role=Role.SUPERVISOR)
    }
    if coach is None:
        raise ValueError("The living demo needs the demo's coach account.")
    _close_the_cases_open_placements(municipality, coach, today=today)
    slots = _slots(municipality)
    plans = [_plan_for(p, slots) for p in _people(today, config)]
    types = {w.code: w for w in WorkType.objects.all()}
    yesterday = today - dt.timedelta(days=1)
    placed = waiting = 0
    for plan in plans:
        participant, created = Participant.objects.get_or_create(
            municipality=municipality,
            code=plan.code,
            defaults={
                "birth_year": plan.birth_year,
                "gender": plan.gender,
                "setting": plan.setting,
                "synthetic": True,
                # The demo coach's caseload (another coach states a reason to open it); one
                # person in twenty has protected personal data, as in a real caseload.
                "responsible_coach": coach,
                "protected_identity": plan.code.endswith("7") and plan.code[-2] in "02468",
            },
        )
        if created:
            participant.interests.set([types[c] for c in plan.interests if c in types])
        referral, _created = Referral.objects.get_or_create(
            participant=participant,
            referred_on=plan.person.referred_on,
            defaults={
                "goals": plan.goals,
                "planned_months": plan.planned_months,
                "scope_percent": plan.percent,
                "hours_per_day": plan.hours,
                "days_per_week": plan.days,
                "created_by": coach,
            },
        )
        if not plan.segments or plan.segments[0][1] > today:
            if plan.withdrawn_on is not None and plan.withdrawn_on <= today:
                if referral.waiting:
                    referral.withdrawn_on = plan.withdrawn_on
                    referral.withdrawn_reason = "Ingen plats inom rimlig tid; annan insats."
                    referral.save()
            elif referral.waiting:
                waiting += 1
            continue
        placed += 1
        for i, (slot, start, end) in enumerate(plan.segments):
            if start > today:
                break
            last = i == len(plan.segments) - 1
            placement = _placement(
                plan, participant, slot, start, end, referral if i == 0 else None, config.note
            )
            supervisor = supervisors.get(placement.organisation_id, coach)
            _attendance(plan, placement, supervisor, start, end, yesterday)
            _meetings(placement, coach, start, end, today)
            if end < today and placement.actual_end is None:
                placement_close(
                    placement=placement,
                    end=end,
                    destination=plan.destination if last else Destination.MOVED,
                    reason=config.note
                    if last
                    else "Nytt avtal med samma anordnare. " + config.note,
                    by=coach,
                    schedule_checks=last,
                )
            if last and end < today:
                _checks(plan, placement, coach, today)
    return LivingReport(len(plans), placed, waiting)


def _placement(
    plan: _Plan,
    participant: Participant,
    slot: _Slot,
    start: dt.date,
    end: dt.date,
    referral: Referral | None,
    note: str = NOTE,
) -> Placement:
    agreement = slot.agreement
    first_start = plan.segments[0][1]
    placement, created = Placement.objects.get_or_create(
        participant=participant,
        start_date=start,
        defaults={
            "organisation": agreement.organisation,
            "agreement": agreement,
            "place": slot.place,
            "goals": plan.goals,
            "planned_months": plan.planned_months,
            "planned_end": max(
                start, add_months(first_start, plan.planned_months) - dt.timedelta(days=1)
            ),
            "scope_percent": plan.percent,
            "synthetic": True,
            "source": note,
        },
    )
    if created:
        ScopeStep.objects.create(
            placement=placement,
            valid_from=start,
            percent=plan.percent,
            hours_per_day=plan.hours,
            days_per_week=plan.days,
        )
        later = start + dt.timedelta(days=42)
        if later < end and plan.percent < 100:
            ScopeStep.objects.create(
                placement=placement,
                valid_from=later,
                percent=min(100, plan.percent + 25),
                hours_per_day=plan.hours + 1,
                days_per_week=min(5, plan.days + 1),
            )
    if referral is not None and referral.placement_id is None:
        referral.placement = placement
        referral.save(update_fields=["placement"])
    return placement


def _attendance(
    plan: _Plan, placement: Placement, by: User, start: dt.date, end: dt.date, yesterday: dt.date
) -> None:
    last = min(end, yesterday)
    if plan.gap and end > yesterday:
        last = min(last, yesterday - dt.timedelta(days=12))  # the supervisor has stopped reporting
    # The same days whenever the demo is loaded.
    rng = random.Random(plan.person.rng_seed + start.toordinal())
    rows, day = [], start
    while day <= last:
        draw, reason_draw = rng.random(), rng.random()
        if day.weekday() < 5:
            if draw < plan.presence:
                rows.append(
                    Attendance(
                        placement=placement,
                        date=day,
                        status="present",
                        hours=plan.hours,
                        reported_by=by,
                    )
                )
            else:
                reason = (
                    "illness"
                    if reason_draw < 0.5
                    else "notified"
                    if reason_draw < 0.8
                    else "no_show"
                )
                rows.append(
                    Attendance(
                        placement=placement,
                        date=day,
                        status="absent",
                        absence_reason=reason,
                        reported_by=by,
                    )
                )
        day += dt.timedelta(days=1)
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)


def _meetings(
    placement: Placement, coach: User, start: dt.date, end: dt.date, today: dt.date
) -> None:
    day = start + dt.timedelta(days=14)
    while day <= min(end, today - dt.timedelta(days=1)):
        _meeting, created = FollowUpMeeting.objects.get_or_create(
            placement=placement,
            date=day,
            defaults={
                "coach_took_part": True,
                "participant_took_part": True,
                "supervisor_took_part": True,
                "tasks": "Genomgång av uppgifter och närvaro.",
                "next_steps": "Fortsätter enligt beställningen.",
                "recorded_by": coach,
            },
        )
        if created:
            # What the coach's meeting leaves in the access log, so that the log reviewer has a
            # month's sample to review in the demo too.
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
            for page, minutes, changed in (
                ("participant_timeline", 0, False),
                ("meeting_new", 20, True),
            ):
                access_write(
                    user=coach,
                    notes={placement.participant_id: placement.participant.municipality_id},
                    page=page,
                    changed=changed,
                    address=None,
                    at=when + dt.timedelta(minutes=minutes),
                )
        day += dt.timedelta(days=30)


def _checks(plan: _Plan, placement: Placement, coach: User, today: dt.date) -> None:
    """Checks due more than a week ago are answered; the week's are left for the coach."""
    rng = random.Random(plan.person.rng_seed + 2)
    for check in ExitCheck.objects.filter(placement=placement).order_by("months_after"):
        draw, source_draw = rng.random(), rng.random()
        if check.checked_on is not None or check.due_date > today - dt.timedelta(days=7):
            continue
        if plan.destination in (
            Destination.EMPLOYED_ELSEWHERE,
            Destination.EMPLOYED_AT_ORGANISATION,
        ):
            status = "employment" if draw < 0.8 else "social_assistance"
        elif plan.destination == Destination.STUDIES:
            status = "studies" if draw < 0.8 else "social_assistance"
        else:
            status = (
                "social_assistance" if draw < 0.6 else "unknown" if draw < 0.8 else "other_measure"
            )
        check.checked_on = check.due_date + dt.timedelta(days=3)
        check.status = status
        check.source = (
            "" if status == "unknown" else ("case_system" if source_draw < 0.6 else "participant")
        )
        check.checked_by = coach
        check.save()


def _close_the_cases_open_placements(
    municipality: Municipality, coach: User, *, today: dt.date
) -> None:
    """The report leaves OST-06 and OST-08 open (data from November 2023); in the living demo they
    end, without work or studies, so the 2022–23 figures stay as the report has them."""
    for code, end in _CASE_ENDS.items():
        placement = Placement.objects.filter(
            participant__municipality=municipality, participant__code=code, actual_end__isnull=True
        ).first()
        if placement is not None and end < today:
            placement_close(
                placement=placement,
                end=end,
                destination=Destination.OTHER_MEASURE,
                reason=NOTE,
                by=coach,
            )
