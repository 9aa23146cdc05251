"""What can be imported, column by column: organisations and agreements with places,
participants and placements (a Nordanstig-style placement list, or the report's Table 5),
attendance per day, and the answers of the checks after the end.

Every kind finds its rows by natural keys (organisation name; organisation and agreement start;
participant code, organisation and placement start; participant, day), so importing the same
file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platsa.accounts.models import Role
from platsa.common.permissions import Action
from platsa.engine.occupancy import add_months
from platsa.placements.models import (
    AbsenceReason,
    Attendance,
    AttendanceStatus,
    Destination,
    ExitCheck,
    ExitCheckSource,
    ExitCheckStatus,
    Participant,
    Placement,
)
from platsa.placements.models.core import IDENTITY_NUMBER
from platsa.placements.services import EXIT_CHECK_MONTHS, attendance_snapshot
from platsa.procurement.models import (
    Agreement,
    AgreementPlaces,
    LegalForm,
    Organisation,
    PaymentModel,
    Place,
)
from platsa.procurement.selectors import agreement_for
from platsa.transfer import cells
from platsa.transfer.plans import Column, Context, Op, Refused, RowPlan, upsert, validate
from platsa.transfer.reading import header_key

M = TypeVar("M")

DESTINATION = cells.choice(
    Destination,
    {
        "fick en tjänst": Destination.EMPLOYED_AT_ORGANISATION,
        "anställd hos organisationen": Destination.EMPLOYED_AT_ORGANISATION,
        "arbete": Destination.EMPLOYED_ELSEWHERE,
        "anställning": Destination.EMPLOYED_ELSEWHERE,
        "studier": Destination.STUDIES,
        "avbrott": Destination.ENDED_EARLY,
        "avslutad": Destination.UNKNOWN,
        "okänt": Destination.UNKNOWN,
        "okänd": Destination.UNKNOWN,
        # Table 5 writes "Pågående" for a placement that has not ended: no destination.
        "pågående": "",
    },
)
STATUS = cells.choice(
    AttendanceStatus,
    {"ja": "present", "x": "present", "närvarande": "present", "nej": "absent"},
)
ABSENCE = cells.choice(
    AbsenceReason,
    {"sjuk": "illness", "anmäld": "notified", "uteblev": "no_show", "annat": "other"},
)
LEGAL_FORM = cells.choice(
    LegalForm, {"ekonomisk förening": "economic_association", "ideell förening": "non_profit"}
)
PAYMENT = cells.choice(PaymentModel)
CHECK_STATUS = cells.choice(
    ExitCheckStatus,
    {
        "arbete": "employment",
        "i arbete": "employment",
        "studier": "studies",
        "försörjningsstöd": "social_assistance",
    },
)
CHECK_SOURCE = cells.choice(ExitCheckSource)


#: The participant's code: the first column of every kind about participants.
PARTICIPANT = Column(
    "Deltagare",
    "code",
    cells.text,
    True,
    aliases=("deltagarkod", "kod"),
    help="Deltagarens kod (pseudonym): aldrig namn eller personnummer",
    example="NST-001",
)


def _grouped(rows: Iterable[M], key: str) -> dict[int, list[M]]:
    by: dict[int, list[M]] = {}
    for row in rows:
        by.setdefault(getattr(row, key), []).append(row)
    return by


class Kind:
    code: ClassVar[str]
    title: ClassVar[Any]
    sheet: ClassVar[str]
    action: ClassVar[Action]
    columns: ClassVar[list[Column]]
    #: Whether rows concern individual participants (their reading is logged).
    personal: ClassVar[bool] = True

    def read(self, plan: RowPlan, cells_: dict[str, Any], present: set[str]) -> dict[str, Any]:
        """The row's values by column name; a cell that cannot be read refuses the row."""
        values: dict[str, Any] = {}
        for column in self.columns:
            raw = None
            for key in (column.header, *column.aliases):
                if header_key(key) in cells_:
                    raw = cells_[header_key(key)]
                    break
            try:
                value = column.parse(raw)
            except cells.CellError as exc:
                plan.fail(column.header, str(exc))
                continue
            if column.required and value in (None, ""):
                plan.fail(column.header, _("is required"))
            if column.name in present:
                values[column.name] = value
        return values

    def plan_row(self, ctx: Context, plan: RowPlan, values: dict[str, Any]) -> None:
        raise NotImplementedError

    # Shared lookups, loaded once per import.

    def organisations(self, ctx: Context) -> dict[str, Organisation]:
        return ctx.cached(
            "organisations",
            lambda: {
                o.name.casefold(): o
                for o in Organisation.objects.filter(municipality=ctx.municipality)
            },
        )

    def organisation(self, ctx: Context, plan: RowPlan, name: str) -> Organisation:
        found = self.organisations(ctx).get(name.casefold())
        if found is None:
            known = sorted(o.name for o in self.organisations(ctx).values())
            plan.fail(
                "Organisation",
                _("%(name)s is not an organisation of the municipality; known: %(known)s")
                % {"name": name[:80], "known": ", ".join(known[:12]) or "–"},
            )
            raise Refused
        return found

    def participants(self, ctx: Context) -> dict[str, Participant]:
        return ctx.cached(
            "participants",
            lambda: {
                p.code.casefold(): p
                for p in Participant.objects.filter(municipality=ctx.municipality)
            },
        )

    def checked_code(self, plan: RowPlan, code: str) -> str:
        if IDENTITY_NUMBER.search(code):
            # Never repeated back: it may be a real person's number.
            plan.fail(
                "Deltagare",
                _("looks like a personal identity number; give the participant's code instead"),
            )
            raise Refused
        return code

    def participant(self, ctx: Context, plan: RowPlan, code: str) -> Participant:
        found = self.participants(ctx).get(self.checked_code(plan, code).casefold())
        if found is None:
            plan.fail("Deltagare", _("no participant has the code %(code)s") % {"code": code[:40]})
            raise Refused
        if found.erased_on is not None:
            plan.fail("Deltagare", _("the participant's data has been erased"))
            raise Refused
        return found

    def placements(self, ctx: Context) -> dict[int, list[Placement]]:
        """The municipality's placements by participant, scoped for a supervisor."""
        qs = Placement.objects.filter(participant__municipality=ctx.municipality)
        if ctx.user is not None and ctx.user.role == Role.SUPERVISOR:
            qs = qs.filter(organisation_id=ctx.user.organisation_id)
        return ctx.cached(
            "placements",
            lambda: _grouped(qs.select_related("organisation", "participant"), "participant_id"),
        )

    def agreements(self, ctx: Context) -> dict[int, list[Agreement]]:
        """The municipality's agreements by organisation."""
        return ctx.cached(
            "agreements",
            lambda: _grouped(
                Agreement.objects.filter(organisation__municipality=ctx.municipality),
                "organisation_id",
            ),
        )

    def exit_checks(self, ctx: Context) -> dict[int, dict[int, ExitCheck]]:
        """The planned checks after the end, by placement and months after."""

        def load() -> dict[int, dict[int, ExitCheck]]:
            by: dict[int, dict[int, ExitCheck]] = {}
            for c in ExitCheck.objects.filter(
                placement__participant__municipality=ctx.municipality
            ):
                by.setdefault(c.placement_id, {})[c.months_after] = c
            return by

        return ctx.cached("exit_checks", load)

    def attendance(self, ctx: Context, placement: Placement) -> dict[dt.date, Attendance]:
        """One placement's reported days, read when the file first reaches it (not the whole
        municipality's history)."""
        return ctx.cached(
            ("attendance", placement.pk),
            lambda: {a.date: a for a in Attendance.objects.filter(placement=placement)},
        )

    def once(self, ctx: Context, plan: RowPlan, key: Any) -> None:
        first = ctx.seen.setdefault(key, plan.number)
        if first != plan.number:
            plan.fail("", _("the same as row %(row)s of the file") % {"row": first})
            raise Refused


class AgreementsKind(Kind):
    code = "agreements"
    title = gettext_lazy("Organisations and agreements with places")
    sheet = "Avtal"
    action: ClassVar[Action] = "manage_agreements"
    personal = False
    columns: ClassVar[list[Column]] = [
        Column("Organisation", "organisation", cells.text, True, example="Hej Främling"),
        Column(
            "Organisationsform",
            "legal_form",
            LEGAL_FORM,
            help="Ekonomisk förening, ideell förening, aktiebolag, stiftelse, annan",
            example="Ekonomisk förening",
        ),
        Column("Avtalsstart", "start", cells.date, True, example=dt.date(2022, 9, 1)),
        Column("Avtalsslut", "end", cells.date, True, example=dt.date(2023, 8, 31)),
        Column("Platser", "places", cells.whole, True, example=3),
        Column(
            "Pris (kr)",
            "price",
            cells.decimal,
            True,
            aliases=("pris",),
            help="Per plats och månad, eller per dag efter betalningsmodellen",
            example="14 280",
        ),
        Column(
            "Betalningsmodell",
            "payment_model",
            PAYMENT,
            help="Fast per plats och månad (tomt), per schemalagd veckodag, per närvarodag",
            example="Fast per plats och månad",
        ),
        Column("Referens", "reference", cells.text, example="KS 2022/123"),
        Column("Uppsägningstid (månader)", "notice_months", cells.whole, example=6),
    ]

    def plan_row(self, ctx: Context, plan: RowPlan, values: dict[str, Any]) -> None:
        name, start = values["organisation"], values["start"]
        plan.label = f"{name[:60]}, {start.isoformat()}"
        self.once(ctx, plan, (name.casefold(), start))
        orgs = self.organisations(ctx)
        org = orgs.get(name.casefold())
        if org is None:
            if not values.get("legal_form"):
                plan.fail("Organisationsform", _("a new organisation needs its legal form"))
                raise Refused
            op = upsert(
                Organisation,
                {"municipality": ctx.municipality, "name": name},
                {"legal_form": values["legal_form"]},
                existing=None,
                columns={"name": "Organisation", "legal_form": "Organisationsform"},
            )
            plan.ops.append(op)
            org = op.obj  # type: ignore[assignment]
            orgs[name.casefold()] = org
        elif values.get("legal_form"):
            plan.ops.append(
                upsert(
                    Organisation,
                    {},
                    {"legal_form": values["legal_form"]},
                    existing=org,
                    columns={"legal_form": "Organisationsform"},
                )
            )
        agreement_values: dict[str, Any] = {"end_date": values["end"], "price_sek": values["price"]}
        for name_, field in (
            ("payment_model", "payment_model"),
            ("reference", "reference"),
            ("notice_months", "notice_months"),
        ):
            if values.get(name_) not in (None, ""):
                agreement_values[field] = values[name_]
        existing = (
            Agreement.objects.filter(organisation=org, start_date=start).first() if org.pk else None
        )
        if existing is None:
            agreement_values.setdefault("payment_model", PaymentModel.FIXED_PER_PLACE_MONTH)
        op = upsert(
            Agreement,
            {"organisation": org, "start_date": start},
            agreement_values,
            existing=existing,
            columns={
                "start_date": "Avtalsstart",
                "end_date": "Avtalsslut",
                "price_sek": "Pris (kr)",
                "payment_model": "Betalningsmodell",
                "reference": "Referens",
                "notice_months": "Uppsägningstid (månader)",
            },
        )
        plan.ops.append(op)
        agreement = op.obj
        places = values["places"]
        if places < 0 or places > 500:
            plan.fail("Platser", _("give a number of places from 0 to 500"))
            raise Refused
        count = (
            AgreementPlaces.objects.filter(agreement=agreement, valid_from=start).first()
            if agreement.pk
            else None
        )
        plan.ops.append(
            upsert(
                AgreementPlaces,
                {"agreement": agreement, "valid_from": start},
                {"places": places},
                existing=count,
                columns={"places": "Platser"},
            )
        )
        labels = (
            set(Place.objects.filter(agreement=agreement).values_list("label", flat=True))
            if (agreement.pk)
            else set()
        )
        for n in range(1, places + 1):
            if f"Plats {n}" not in labels:
                place = upsert(
                    Place, {"agreement": agreement, "label": f"Plats {n}"}, {}, existing=None
                )
                place.side = True  # a place comes with the agreement: not a row of its own
                plan.ops.append(place)


class PlacementsKind(Kind):
    code = "placements"
    title = gettext_lazy("Participants and placements")
    sheet = "Placeringar"
    action: ClassVar[Action] = "intake"
    columns: ClassVar[list[Column]] = [
        PARTICIPANT,
        Column("Organisation", "organisation", cells.text, True, example="Hej Främling"),
        Column("Start", "start", cells.date, True, example=dt.date(2023, 2, 13)),
        Column(
            "Slut",
            "end",
            cells.date,
            help="Sista dagen; tomt medan placeringen pågår",
            example=dt.date(2023, 6, 9),
        ),
        Column("Planerat slut", "planned_end", cells.date, example=dt.date(2023, 8, 31)),
        Column("Omfattning (%)", "scope_percent", cells.percent, aliases=("omfattning",)),
        Column(
            "Utfall",
            "destination",
            DESTINATION,
            aliases=("vart deltagaren gick", "status"),
            help=(
                "För en avslutad placering: anställning hos organisationen (fick en tjänst), "
                "anställning på annat håll, studier, annan insats, avbrott, flytt till annan "
                "placering, okänt (avslutad)"
            ),
            example="Fick en tjänst",
        ),
        Column("Orsak till avslut", "end_reason", cells.text),
        Column("Mål", "goals", cells.text),
        Column(
            "Källa", "source", cells.text, help="Varifrån uppgiften kommer, t.ex. raden i en tabell"
        ),
        Column(
            "Anmärkning",
            "source_note",
            cells.text,
            help="Hur uppgiften skiljer sig från källan, t.ex. ett datum skrivet på annat sätt",
        ),
    ]

    def plan_row(self, ctx: Context, plan: RowPlan, values: dict[str, Any]) -> None:
        code = self.checked_code(plan, values["code"])
        start: dt.date = values["start"]
        org = self.organisation(ctx, plan, values["organisation"])
        plan.label = f"{code}, {org.name[:60]}, {start.isoformat()}"
        self.once(ctx, plan, (code.casefold(), org.pk, start))
        participants = self.participants(ctx)
        participant = participants.get(code.casefold())
        if participant is None:
            op = upsert(
                Participant,
                {"municipality": ctx.municipality, "code": code},
                {
                    "responsible_coach": ctx.user
                    if ctx.user is not None and ctx.user.role == Role.COACH
                    else None
                },
                existing=None,
                columns={"code": "Deltagare"},
            )
            plan.ops.append(op)
            participant = op.obj  # type: ignore[assignment]
            participants[code.casefold()] = participant
        elif participant.erased_on is not None:
            plan.fail("Deltagare", _("the participant's data has been erased"))
            raise Refused
        elif participant.pk:
            plan.participant_ids.add(participant.pk)
        existing = None
        if participant.pk:
            existing = next(
                (
                    p
                    for p in self.placements(ctx).get(participant.pk, [])
                    if p.organisation_id == org.pk and p.start_date == start
                ),
                None,
            )
        # The end and the outcome as they will be: the file's where it has the column, else kept.
        end = values["end"] if "end" in values else getattr(existing, "actual_end", None)
        outcome = (
            values["destination"]
            if "destination" in values
            else getattr(existing, "destination", "")
        )
        if outcome and end is None:
            plan.fail("Utfall", _("an outcome is only for a placement that has ended (Slut)"))
        if end is not None and not outcome:
            plan.fail(
                "Utfall", _("an ended placement needs an outcome; write Okänt if it is not known")
            )
        fields = {
            "end": "actual_end",
            "planned_end": "planned_end",
            "scope_percent": "scope_percent",
            "destination": "destination",
            "end_reason": "end_reason",
            "goals": "goals",
            "source": "source",
            "source_note": "source_note",
        }
        changes = {field: values[name] for name, field in fields.items() if name in values}
        for text_field in ("destination", "end_reason", "goals", "source", "source_note"):
            if text_field in changes and changes[text_field] is None:
                changes[text_field] = ""
        if existing is None:
            changes["agreement"] = agreement_for(self.agreements(ctx).get(org.pk, []), start)
            if not changes.get("source"):
                changes["source"] = _("Imported, row %(row)s") % {"row": plan.number}
        op = upsert(
            Placement,
            {"participant": participant, "organisation": org, "start_date": start},
            changes,
            existing=existing,
            columns={
                "participant": "Deltagare",
                "organisation": "Organisation",
                "start_date": "Start",
                "actual_end": "Slut",
                "planned_end": "Planerat slut",
                "scope_percent": "Omfattning (%)",
                "destination": "Utfall",
                "end_reason": "Orsak till avslut",
                "goals": "Mål",
                "source": "Källa",
                "source_note": "Anmärkning",
            },
        )
        plan.ops.append(op)
        placement: Placement = op.obj  # type: ignore[assignment]
        if existing is not None and "actual_end" in op.changed and placement.actual_end:
            later = Attendance.objects.filter(placement=existing, date__gt=placement.actual_end)
            if later.exists():
                plan.fail(
                    "Slut",
                    _("attendance is reported after %(date)s; correct it first")
                    % {"date": placement.actual_end.isoformat()},
                )
        if placement.actual_end and placement.actual_end > ctx.today + dt.timedelta(days=366):
            plan.fail("Slut", _("the last day is more than a year ahead"))
        # An ended placement gets its checks 3, 6 and 12 months on, as when a coach closes it.
        if placement.actual_end and placement.destination and placement.destination != "moved":
            have = self.exit_checks(ctx).get(existing.pk, {}) if existing is not None else {}
            for months in EXIT_CHECK_MONTHS:
                check = upsert(
                    ExitCheck,
                    {"placement": placement, "months_after": months},
                    {"due_date": add_months(placement.actual_end, months)},
                    existing=have.get(months),
                )
                check.side = True
                plan.ops.append(check)


class AttendanceKind(Kind):
    code = "attendance"
    title = gettext_lazy("Attendance per day")
    sheet = "Närvaro"
    action: ClassVar[Action] = "report_attendance"
    columns: ClassVar[list[Column]] = [
        PARTICIPANT,
        Column(
            "Organisation",
            "organisation",
            cells.text,
            help="Behövs bara om deltagaren hade två placeringar samma dag",
        ),
        Column("Datum", "day", cells.date, True, aliases=("dag",), example=dt.date(2023, 5, 10)),
        Column(
            "Närvaro",
            "status",
            STATUS,
            True,
            help="Närvarande (ja, x) eller frånvarande (nej)",
            example="ja",
        ),
        Column("Timmar", "hours", cells.decimal, example="6,5"),
        Column(
            "Frånvaroorsak",
            "absence_reason",
            ABSENCE,
            help="Vid frånvaro: sjuk, anmäld frånvaro, uteblev, annat",
        ),
    ]

    def plan_row(self, ctx: Context, plan: RowPlan, values: dict[str, Any]) -> None:
        participant = self.participant(ctx, plan, values["code"])
        day: dt.date = values["day"]
        plan.label = f"{participant.code}, {day.isoformat()}"
        plan.participant_ids.add(participant.pk)
        hours = values.get("hours")
        if hours is not None and not 0 <= hours <= 24:
            plan.fail("Timmar", _("give hours from 0 to 24"))
        self.day_op(
            ctx,
            plan,
            participant.pk,
            day,
            (values["status"], hours, values.get("absence_reason") or ""),
            organisation=values.get("organisation") or "",
            column="Datum",
            columns={"status": "Närvaro", "hours": "Timmar", "absence_reason": "Frånvaroorsak"},
        )

    def day_op(
        self,
        ctx: Context,
        plan: RowPlan,
        participant_id: int,
        day: dt.date,
        report: tuple[str, Any, str],
        *,
        organisation: str,
        column: str,
        columns: dict[str, str],
    ) -> None:
        """The op that records one day of one participant's placement (the one running that
        day, of the organisation if named), refusing the row under ``column`` if none can."""
        if day > ctx.today:
            plan.fail(column, _("a day in the future cannot be reported"))
            raise Refused
        candidates = [
            p
            for p in self.placements(ctx).get(participant_id, [])
            if p.start_date <= day and (p.actual_end is None or day <= p.actual_end)
        ]
        if organisation:
            candidates = [
                p for p in candidates if p.organisation.name.casefold() == organisation.casefold()
            ]
        if not candidates:
            plan.fail(
                column,
                _("the participant has no placement on %(day)s that you may report")
                % {"day": day.isoformat()},
            )
            raise Refused
        if len(candidates) > 1:
            plan.fail(
                "Organisation",
                _("the participant has two placements that day: name the organisation"),
            )
            raise Refused
        placement = candidates[0]
        self.once(ctx, plan, (placement.pk, day))
        existing = self.attendance(ctx, placement).get(day)
        status, hours, reason = report
        values: dict[str, Any] = {"status": status, "hours": hours, "absence_reason": reason}
        if ctx.user is not None:
            values["reported_by"] = ctx.user
        # Taken before the op changes the day in memory.
        history = attendance_snapshot(existing) if existing is not None else None
        op = upsert(
            Attendance,
            {"placement": placement, "date": day},
            values,
            existing=existing,
            columns={"date": column, **columns},
        )
        op.history = history
        # Who reported it is not a change of the day, only what it says; undoing puts it back.
        if set(op.before) == {"reported_by"}:
            op.before = {}
        if ctx.user is None:
            op.exclude.append("reported_by")  # a preview from the command line
        plan.ops.append(op)


WEEKDAYS = ("Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag")
_WEEK = re.compile(
    r"^(?:(\d{4})\s*-?\s*(?:w|v|vecka)\s*(\d{1,2})|(?:w|v|vecka)\s*(\d{1,2})\s*,?\s*(\d{4}))$"
)
_DAY_CODES = {
    "x": ("present", ""),
    "ja": ("present", ""),
    "närvarande": ("present", ""),
    "sjuk": ("absent", "illness"),
    "s": ("absent", "illness"),
    "anmäld": ("absent", "notified"),
    "ledig": ("absent", "notified"),
    "a": ("absent", "notified"),
    "uteblev": ("absent", "no_show"),
    "u": ("absent", "no_show"),
    "annat": ("absent", "other"),
}


def week_monday(value: Any) -> dt.date | None:
    """``2023-W19``, ``2023 v19``, ``v19 2023``, ``vecka 19 2023``, or any day of the week."""
    if isinstance(value, dt.date | dt.datetime):
        day = cells.date(value)
        assert day is not None
        return day - dt.timedelta(days=day.weekday())
    raw = cells.text(value).casefold().replace(".", "")
    if not raw:
        return None
    match = _WEEK.match(raw)
    if match is None:
        day = cells.date(raw)  # a date, or the message to write one
        assert day is not None
        return day - dt.timedelta(days=day.weekday())
    year, week = (
        (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    )
    try:
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise cells.CellError(
            _("%(value)s is not a week of the year") % {"value": cells.text(value)}
        ) from None
    if not 2000 <= monday.year <= 2100:
        raise cells.CellError(
            _("%(value)s is outside the years 2000–2100") % {"value": cells.text(value)}
        )
    return monday


def day_cell(value: Any) -> tuple[str, Any, str] | None:
    """One weekday of a supplier's week sheet: hours (present), x or ja (present), sjuk, anmäld or
    ledig, uteblev, annat (absent, with that reason); empty: not reported."""
    if value is None or cells.text(value) == "":
        return None
    code = _DAY_CODES.get(cells.text(value).casefold())
    if code is not None:
        return (code[0], None, code[1])
    try:
        hours = cells.decimal(value)
    except cells.CellError:
        hours = None
    if hours is None or not 0 < hours <= 24:
        raise cells.CellError(
            _(
                "%(value)s: write the hours (e.g. 6,5), x for present, or sjuk, anmäld, uteblev "
                "or annat for an absence"
            )
            % {"value": cells.text(value)[:40]}
        )
    return ("present", hours, "")


class AttendanceWeekKind(AttendanceKind):
    """A supplier's week sheet: one row per participant and week, a cell per weekday."""

    code = "attendance_week"
    title = gettext_lazy("Attendance per week")
    sheet = "Närvaro per vecka"
    columns: ClassVar[list[Column]] = [
        PARTICIPANT,
        Column(
            "Organisation",
            "organisation",
            cells.text,
            help="Behövs bara om deltagaren hade två placeringar samma vecka",
        ),
        Column(
            "Vecka",
            "week",
            week_monday,
            True,
            help="2023-W19, 2023 v19 eller ett datum i veckan",
            example="2023-W19",
        ),
        *(
            Column(
                name,
                f"day{i}",
                day_cell,
                aliases=(name[:3],),
                help=(
                    "Timmar (t.ex. 6,5) eller x om närvarande; sjuk, anmäld, uteblev eller annat "
                    "vid frånvaro; tomt om dagen inte rapporteras"
                )
                if i == 0
                else "",
                example="6,5" if i == 0 else None,
            )
            for i, name in enumerate(WEEKDAYS)
        ),
    ]

    def plan_row(self, ctx: Context, plan: RowPlan, values: dict[str, Any]) -> None:
        participant = self.participant(ctx, plan, values["code"])
        monday: dt.date = values["week"]
        plan.label = f"{participant.code}, {monday:%G-W%V}"
        plan.participant_ids.add(participant.pk)
        reported = False
        for i, name in enumerate(WEEKDAYS):
            report = values.get(f"day{i}")
            if report is None:
                continue
            reported = True
            day = monday + dt.timedelta(days=i)
            try:
                self.day_op(
                    ctx,
                    plan,
                    participant.pk,
                    day,
                    report,
                    organisation=values.get("organisation") or "",
                    column=name,
                    columns={"status": name, "hours": name, "absence_reason": name},
                )
            except Refused:
                continue  # the next days are checked too: every problem of the row at once
        if not reported:
            plan.fail("", _("no day of the week is filled in"))


class ExitChecksKind(Kind):
    code = "exit_checks"
    title = gettext_lazy("Answers after the end")
    sheet = "Efter avslut"
    action: ClassVar[Action] = "follow_up"
    columns: ClassVar[list[Column]] = [
        PARTICIPANT,
        Column(
            "Slut",
            "end",
            cells.date,
            True,
            help="Placeringens sista dag, som den är registrerad",
            example=dt.date(2023, 6, 9),
        ),
        Column(
            "Månader efter slut",
            "months",
            cells.whole,
            True,
            help="3, 6 eller 12",
            example=3,
        ),
        Column("Kontrollerad", "checked_on", cells.date, True, example=dt.date(2023, 9, 12)),
        Column(
            "Status",
            "status",
            CHECK_STATUS,
            True,
            help="I arbete, studerar, har försörjningsstöd, i annan insats, okänt",
            example="I arbete",
        ),
        Column(
            "Uppgiften från",
            "source",
            CHECK_SOURCE,
            help="Deltagaren, leverantören, ett register, verksamhetssystemet",
            example="Deltagaren",
        ),
    ]

    def plan_row(self, ctx: Context, plan: RowPlan, values: dict[str, Any]) -> None:
        participant = self.participant(ctx, plan, values["code"])
        end: dt.date = values["end"]
        months = values["months"]
        plan.label = f"{participant.code}, {end.isoformat()}, +{months}"
        plan.participant_ids.add(participant.pk)
        placement = next(
            (p for p in self.placements(ctx).get(participant.pk, []) if p.actual_end == end),
            None,
        )
        if placement is None:
            plan.fail(
                "Slut",
                _("the participant has no placement that ended on %(day)s")
                % {"day": end.isoformat()},
            )
            raise Refused
        self.once(ctx, plan, (placement.pk, months))
        check = self.exit_checks(ctx).get(placement.pk, {}).get(months)
        if check is None:
            plan.fail(
                "Månader efter slut",
                _("no check is planned %(months)s months after this placement")
                % {"months": months},
            )
            raise Refused
        checked_on: dt.date = values["checked_on"]
        if checked_on > ctx.today:
            plan.fail("Kontrollerad", _("a check cannot be recorded in the future"))
        if checked_on < end:
            plan.fail("Kontrollerad", _("a check cannot be before the placement ended"))
        changes: dict[str, Any] = {
            "checked_on": checked_on,
            "status": values["status"],
            "source": values.get("source") or "",
        }
        if ctx.user is not None and check.checked_on != checked_on:
            changes["checked_by"] = ctx.user
        op = upsert(
            ExitCheck,
            {},
            changes,
            existing=check,
            columns={
                "checked_on": "Kontrollerad",
                "status": "Status",
                "source": "Uppgiften från",
            },
        )
        plan.ops.append(op)


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        AgreementsKind(),
        PlacementsKind(),
        AttendanceKind(),
        AttendanceWeekKind(),
        ExitChecksKind(),
    )
}


def kind_for(code: str) -> Kind:
    return KINDS[code]


__all__ = ["KINDS", "Kind", "Op", "kind_for", "validate"]
