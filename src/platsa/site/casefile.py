"""Load a case file (YAML): a municipality's organisations, procurements, agreements,
placements and cohort outcomes, all at once or not at all.

Loading is idempotent: every row is matched on its natural key (organisation name, agreement
organisation and start, participant code and placement start…) and updated in place, so loading
the same file twice duplicates nothing. Every error names the file, the row and the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality
from platsa.impact.models import Goal
from platsa.placements.models import CohortOutcome, Participant, Placement
from platsa.procurement.models import (
    Agreement,
    AgreementPlaces,
    EvaluationCriterion,
    Organisation,
    Place,
    Procurement,
    Tender,
    WorkType,
)
from platsa.procurement.selectors import agreement_for

FORMAT = "platsa-case/1"
BUNDLED = Path(__file__).resolve().parent / "cases"


class CaseFileError(Exception):
    """A case file cannot be loaded; the message names the file, the row and the field."""

    def __init__(self, file: str, where: str, message: str) -> None:
        self.file, self.where, self.message = file, where, message
        super().__init__(f"{file}: {where}: {message}" if where else f"{file}: {message}")


@dataclass
class LoadReport:
    municipality: Municipality
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[kind] = target.get(kind, 0) + 1


class _Reader:
    """Typed, strict access to one mapping of the file, with errors that say where."""

    def __init__(self, file: str, where: str, data: Any, allowed: set[str]) -> None:
        self.file, self.where = file, where
        if not isinstance(data, dict):
            self.fail("", _("expected a mapping of fields"))
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.fail(
                "",
                _("unknown field(s) %(unknown)s; allowed: %(allowed)s")
                % {"unknown": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))},
            )
        self.data: dict[str, Any] = data

    def fail(self, key: str, message: str) -> None:
        where = f"{self.where}.{key}" if key else self.where
        raise CaseFileError(self.file, where, message)

    def str(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, _("is required"))
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(key, _("expected text, got %(value)r") % {"value": value})
        return str(value).strip()

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, _("is required"))
            return None
        if isinstance(value, dt.datetime):
            self.fail(
                key,
                _("expected a date YYYY-MM-DD, got a date and time %(value)s") % {"value": value},
            )
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(key, _("%(value)r is not a date; write it as YYYY-MM-DD") % {"value": value})
        raise AssertionError  # unreachable

    def int(self, key: str, *, required: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, _("is required"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, _("expected a whole number, got %(value)r") % {"value": value})
        return int(value)

    def decimal(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, _("is required"))
            return None
        if isinstance(value, bool):
            self.fail(key, _("expected an amount, got %(value)r") % {"value": value})
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.fail(key, _("expected an amount, got %(value)r") % {"value": value})
        raise AssertionError  # unreachable

    def bool(self, key: str, *, default: bool | None = None) -> bool | None:
        value = self.data.get(key, default)
        if value is not None and not isinstance(value, bool):
            self.fail(key, _("expected true or false, got %(value)r") % {"value": value})
        return value

    def list(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, _("expected a list"))
        return value


def _save(obj: models.Model, reader: _Reader, keys: dict[str, str] | None = None) -> None:
    """Validate like a form would, then save; a ValidationError names the row and the field.

    ``keys`` maps model field names to the case file's keys where they differ.
    """
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        key = "" if field_name == "__all__" else (keys or {}).get(field_name, field_name)
        reader.fail(key, " ".join(messages))
    obj.save()


def _upsert(
    report: LoadReport,
    kind: str,
    model: type[models.Model],
    reader: _Reader,
    keys: dict[str, Any],
    values: dict[str, Any],
    file_keys: dict[str, str] | None = None,
) -> Any:
    obj = model.objects.filter(**keys).first()
    created = obj is None
    if obj is None:
        obj = model(**keys)
    for name, value in values.items():
        setattr(obj, name, value)
    _save(obj, reader, file_keys)
    report.count(kind, created)
    return obj


def load_case_file(path: Path | str) -> LoadReport:
    """Load the case file at ``path`` inside one transaction."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseFileError(
            name, "", _("cannot be read: %(reason)s") % {"reason": exc.strerror}
        ) from exc
    except UnicodeDecodeError as exc:
        raise CaseFileError(
            name, "", _("is not UTF-8 text (byte %(n)s): save it as UTF-8") % {"n": exc.start}
        ) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(n)s") % {"n": mark.line + 1} if mark else ""
        raise CaseFileError(
            name,
            where,
            _("is not valid YAML: %(problem)s") % {"problem": getattr(exc, "problem", exc)},
        ) from exc
    return load_case(data, file=name)


@transaction.atomic
def load_case(data: Any, *, file: str) -> LoadReport:
    top = _Reader(
        file,
        "(top)",
        data,
        {
            "format",
            "source",
            "municipality",
            "work_types",
            "organisations",
            "procurements",
            "agreements",
            "placements",
            "cohort_outcomes",
            "goals",
        },
    )
    if top.str("format", required=True) != FORMAT:
        top.fail("format", _("must be %(format)s") % {"format": FORMAT})
    m = _Reader(file, "municipality", top.data.get("municipality"), {"code", "name"})
    municipality = Municipality.objects.filter(code=m.str("code", required=True)).first()
    if municipality is None:
        municipality = Municipality(code=m.str("code"))
    municipality.name = m.str("name", required=True)
    _save(municipality, m)
    report = LoadReport(municipality)

    for i, row in enumerate(top.list("work_types")):
        r = _Reader(file, f"work_types[{i}]", row, {"code", "name", "indoor"})
        code = r.str("code", required=True)
        values = {"name": r.str("name", required=True), "indoor": r.bool("indoor")}
        existing = WorkType.objects.filter(code=code).first()
        if existing is None:
            _upsert(report, "work_types", WorkType, r, {"code": code}, values)
        elif (existing.name, existing.indoor) == (values["name"], values["indoor"]):
            report.count("work_types", False)
        else:
            # Work types are shared by every municipality: one file may add, never change them.
            r.fail(
                "name",
                _(
                    "the work type %(code)s is shared by every municipality and is called "
                    "%(name)s; a case file may add work types but not change them"
                )
                % {"code": code, "name": existing.name},
            )

    organisations: dict[str, Organisation] = {
        o.name: o for o in Organisation.objects.filter(municipality=municipality)
    }
    for i, row in enumerate(top.list("organisations")):
        r = _Reader(
            file,
            f"organisations[{i}]",
            row,
            {
                "name",
                "legal_form",
                "meets_asf",
                "asf_criteria",
                "turnover_sek",
                "turnover_year",
                "turnover_note",
                "employees",
                "employees_note",
                "description",
                "work_types",
                "source",
            },
        )
        org = _upsert(
            report,
            "organisations",
            Organisation,
            r,
            {"municipality": municipality, "name": r.str("name", required=True)},
            {
                "legal_form": r.str("legal_form", required=True),
                "meets_asf": r.bool("meets_asf"),
                "asf_criteria": r.list("asf_criteria"),
                "turnover_sek": r.decimal("turnover_sek"),
                "turnover_year": r.int("turnover_year"),
                "turnover_note": r.str("turnover_note"),
                "employees": r.int("employees"),
                "employees_note": r.str("employees_note"),
                "description": r.str("description"),
                "source": r.str("source"),
            },
        )
        codes = [str(c) for c in r.list("work_types")]
        types = list(WorkType.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {t.code for t in types})
        if missing:
            r.fail(
                "work_types", _("unknown work type(s) %(codes)s") % {"codes": ", ".join(missing)}
            )
        org.work_types.set(types)
        organisations[org.name] = org

    def organisation(r: _Reader, key: str = "organisation") -> Organisation:
        org_name = r.str(key, required=True)
        if org_name not in organisations:
            r.fail(
                key,
                _("unknown organisation %(name)r; known: %(known)s")
                % {"name": org_name, "known": ", ".join(sorted(organisations))},
            )
        return organisations[org_name]

    tender_rows: dict[str, tuple[int, list[Any]]] = {}
    procurements: dict[str, Procurement] = {
        p.title: p for p in Procurement.objects.filter(municipality=municipality)
    }
    for i, row in enumerate(top.list("procurements")):
        r = _Reader(
            file,
            f"procurements[{i}]",
            row,
            {
                "title",
                "kind",
                "information_meetings",
                "tender_deadline",
                "tenders_received",
                "places_offered_note",
                "scale_min",
                "scale_max",
                "scale_description",
                "criteria",
                "minimum_score",
                "places_to_buy",
                "contract_start",
                "contract_end",
                "extension_options",
                "auto_renew",
                "notice_months",
                "payment_model",
                "price_sek",
                "awarded",
                "award_rationale",
                "tenders",
                "source",
            },
        )
        proc = _upsert(
            report,
            "procurements",
            Procurement,
            r,
            {"municipality": municipality, "title": r.str("title", required=True)},
            {
                "kind": r.str("kind", required=True),
                "information_meetings": r.str("information_meetings"),
                "tender_deadline": r.date("tender_deadline"),
                "tenders_received": r.int("tenders_received"),
                "places_offered_note": r.str("places_offered_note"),
                "scale_min": r.int("scale_min") or 1,
                "scale_max": r.int("scale_max") or 5,
                "scale_description": r.str("scale_description"),
                "minimum_score": r.int("minimum_score"),
                "places_to_buy": r.int("places_to_buy"),
                "contract_start": r.date("contract_start"),
                "contract_end": r.date("contract_end"),
                "extension_options": r.str("extension_options"),
                "auto_renew": bool(r.bool("auto_renew", default=False)),
                "notice_months": r.int("notice_months")
                if r.int("notice_months") is not None
                else 6,
                "payment_model": r.str("payment_model") or "fixed_per_place_month",
                "price_sek": r.decimal("price_sek"),
                "awarded": bool(r.bool("awarded", default=False)),
                "award_rationale": r.str("award_rationale"),
                "source": r.str("source"),
            },
        )
        texts = [str(text) for text in r.list("criteria")]
        if list(proc.criteria.values_list("text", flat=True)) != texts:
            proc.criteria.all().delete()
            for position, text in enumerate(texts, start=1):
                EvaluationCriterion.objects.create(procurement=proc, position=position, text=text)
        procurements[proc.title] = proc
        tender_rows[proc.title] = (i, r.list("tenders"))

    def procurement(r: _Reader) -> Procurement | None:
        title = r.str("procurement")
        if not title:
            return None
        if title not in procurements:
            r.fail("procurement", _("unknown procurement %(title)r") % {"title": title})
        return procurements[title]

    agreements: dict[int, list[Agreement]] = {}
    for existing in Agreement.objects.filter(organisation__municipality=municipality):
        agreements.setdefault(existing.organisation_id, []).append(existing)
    for i, row in enumerate(top.list("agreements")):
        r = _Reader(
            file,
            f"agreements[{i}]",
            row,
            {
                "organisation",
                "procurement",
                "reference",
                "start",
                "end",
                "extension_options",
                "auto_renew",
                "notice_months",
                "notice_given_on",
                "payment_model",
                "price_sek",
                "places",
                "place_labels",
                "notes",
            },
        )
        org = organisation(r)
        agreement = _upsert(
            report,
            "agreements",
            Agreement,
            r,
            {"organisation": org, "start_date": r.date("start", required=True)},
            {
                "procurement": procurement(r),
                "reference": r.str("reference"),
                "end_date": r.date("end", required=True),
                "extension_options": r.str("extension_options"),
                "auto_renew": bool(r.bool("auto_renew", default=False)),
                "notice_months": r.int("notice_months")
                if r.int("notice_months") is not None
                else 6,
                "notice_given_on": r.date("notice_given_on"),
                "payment_model": r.str("payment_model", required=True),
                "price_sek": r.decimal("price_sek", required=True),
                "notes": r.str("notes"),
            },
            {"start_date": "start", "end_date": "end"},
        )
        counts = r.list("places")
        if not counts:
            r.fail(
                "places", _("give the number of places, e.g. [{valid_from: 2022-09-01, places: 3}]")
            )
        for j, count_row in enumerate(counts):
            c = _Reader(file, f"agreements[{i}].places[{j}]", count_row, {"valid_from", "places"})
            places = c.int("places", required=True)
            if places is not None and places < 0:
                c.fail("places", _("must be 0 or more, got %(places)s") % {"places": places})
            _upsert(
                report,
                "place_counts",
                AgreementPlaces,
                c,
                {"agreement": agreement, "valid_from": c.date("valid_from", required=True)},
                {"places": places},
            )
        most = max(p.places for p in agreement.place_counts.all())
        for n in range(1, most + 1):
            Place.objects.get_or_create(agreement=agreement, label=f"Plats {n}")
        if agreement not in agreements.setdefault(org.pk, []):
            agreements[org.pk].append(agreement)

    for title, (i, rows) in tender_rows.items():
        proc = procurements[title]
        for j, row in enumerate(rows):
            r = _Reader(
                file,
                f"procurements[{i}].tenders[{j}]",
                row,
                {"organisation", "places_offered", "places_awarded", "source"},
            )
            org = organisation(r)
            awarded_to = [a for a in agreements.get(org.pk, []) if a.procurement_id == proc.pk]
            _upsert(
                report,
                "tenders",
                Tender,
                r,
                {"procurement": proc, "organisation": org},
                {
                    "places_offered": r.int("places_offered"),
                    "places_awarded": r.int("places_awarded"),
                    "agreement": awarded_to[0] if awarded_to else None,
                    "source": r.str("source"),
                },
            )

    participants: dict[str, Participant] = {
        p.code: p for p in Participant.objects.filter(municipality=municipality)
    }
    for i, row in enumerate(top.list("placements")):
        r = _Reader(
            file,
            f"placements[{i}]",
            row,
            {
                "participant",
                "organisation",
                "start",
                "end",
                "planned_end",
                "destination",
                "goals",
                "scope_percent",
                "planned_months",
                "review_date",
                "source",
                "source_note",
            },
        )
        code = r.str("participant", required=True)
        participant = participants.get(code)
        if participant is None:
            participant = Participant(municipality=municipality, code=code)
            _save(participant, r, {"code": "participant"})
            participants[code] = participant
            report.count("participants", True)
        org = organisation(r)
        start = r.date("start", required=True)
        end = r.date("end")
        assert start is not None
        destination = r.str("destination")
        if end is not None and not destination:
            r.fail(
                "destination",
                _("an ended placement needs a destination (use unknown if it is not known)"),
            )
        _upsert(
            report,
            "placements",
            Placement,
            r,
            {"participant": participant, "organisation": org, "start_date": start},
            {
                "agreement": agreement_for(agreements.get(org.pk, []), start),
                "actual_end": end,
                "planned_end": r.date("planned_end"),
                "destination": destination,
                "goals": r.str("goals"),
                "scope_percent": r.int("scope_percent"),
                "planned_months": r.int("planned_months"),
                "review_date": r.date("review_date"),
                "source": r.str("source"),
                "source_note": r.str("source_note"),
            },
            _PLACEMENT_KEYS,
        )

    for i, row in enumerate(top.list("cohort_outcomes")):
        r = _Reader(
            file,
            f"cohort_outcomes[{i}]",
            row,
            {"procurement", "destination", "count", "period_start", "period_end", "note", "source"},
        )
        proc = procurement(r)
        if proc is None:
            r.fail("procurement", _("is required"))
        _upsert(
            report,
            "cohort_outcomes",
            CohortOutcome,
            r,
            {
                "procurement": proc,
                "destination": r.str("destination", required=True),
                "period_start": r.date("period_start", required=True),
                "period_end": r.date("period_end", required=True),
            },
            {
                "count": r.int("count", required=True),
                "note": r.str("note"),
                "source": r.str("source"),
            },
        )

    for i, row in enumerate(top.list("goals")):
        r = _Reader(
            file, f"goals[{i}]", row, {"kind", "target", "period_start", "period_end", "note"}
        )
        _upsert(
            report,
            "goals",
            Goal,
            r,
            {
                "municipality": municipality,
                "kind": r.str("kind", required=True),
                "period_start": r.date("period_start", required=True),
            },
            {
                "period_end": r.date("period_end", required=True),
                "target": r.decimal("target", required=True),
                "note": r.str("note"),
            },
        )
    return report


_PLACEMENT_KEYS = {"start_date": "start", "actual_end": "end", "organisation": "organisation"}
