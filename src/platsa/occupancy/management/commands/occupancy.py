"""``platsa occupancy --on DATE | --from D1 --to D2 [--json] [--municipality CODE]``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality
from platsa.common.clock import today
from platsa.occupancy.selectors import payment_models_for
from platsa.placements.occupancy import Scope, occupancy_for


def municipality_from_option(code: str | None) -> Municipality:
    if code:
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise CommandError(
                _("No municipality with the code %(code)s.") % {"code": code}, returncode=2
            )
        return found
    all_ = list(Municipality.objects.all()[:2])
    if len(all_) != 1:
        raise CommandError(_("Choose a municipality with --municipality CODE."), returncode=2)
    return all_[0]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(value)s is not a date; write it as YYYY-MM-DD.") % {"value": value}, returncode=2
        ) from None


class Command(BaseCommand):
    help = _("Occupancy of the bought places on a day or over a period.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help=_("A day, YYYY-MM-DD."))
        parser.add_argument("--from", dest="start", help=_("First day of a period."))
        parser.add_argument("--to", dest="end", help=_("Last day of a period."))
        parser.add_argument("--municipality", help=_("Municipality code (default: the only one)."))
        parser.add_argument("--json", action="store_true", help=_("Print JSON."))

    def handle(self, *args: Any, **o: Any) -> None:
        if not (
            (o["on"] and not (o["start"] or o["end"])) or (o["start"] and o["end"] and not o["on"])
        ):
            raise CommandError(_("Give either --on DATE or both --from and --to."), returncode=2)
        for key in ("on", "start", "end"):
            if o[key]:
                _date(o[key])
        municipality = municipality_from_option(o["municipality"])
        scope = Scope(municipality.pk)
        as_of = today()
        if o["on"] and not (o["start"] or o["end"]):
            day = _date(o["on"])
            result, _agreements = occupancy_for(scope, start=day, end=day, as_of=as_of)
            places, occupied = result.on(day)
            out: dict[str, Any] = {
                "municipality": municipality.code,
                "date": day.isoformat(),
                "places": places,
                "occupied": occupied,
                "by_organisation": {
                    name: dict(
                        zip(
                            ("places", "occupied"),
                            result.for_organisation(name).on(day),
                            strict=True,
                        )
                    )
                    for name in dict.fromkeys(result.organisations)
                },
            }
        elif o["start"] and o["end"] and not o["on"]:
            start, end = _date(o["start"]), _date(o["end"])
            if end < start:
                raise CommandError(_("--to is before --from."), returncode=2)
            result, agreements = occupancy_for(scope, start=start, end=end, as_of=as_of)
            out = {
                "municipality": municipality.code,
                "from": start.isoformat(),
                "to": end.isoformat(),
                **_summary(result),
            }
            out["months"] = [
                {
                    "month": m.month,
                    "capacity": m.capacity,
                    "average_occupied": m.average_occupied,
                    "end_of_month_occupied": m.end_of_month_occupied,
                    "cost_sek": m.cost_sek,
                }
                for m in result.months()
            ]
            out["by_organisation"] = {
                name: _summary(result.for_organisation(name))
                for name in dict.fromkeys(result.organisations)
            }
            out["over_capacity"] = [
                {"agreement": k, "date": d} for k, d in result.over_capacity_days
            ]
            out["payment_models"] = {
                k: m.as_dict() for k, m in payment_models_for(result, agreements).items()
            }
        else:
            raise CommandError(_("Give either --on DATE or both --from and --to."), returncode=2)
        if o["json"]:
            self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
            return
        for key, value in out.items():
            if not isinstance(value, (dict, list)):
                self.stdout.write(f"{key}: {value}")
        for name, row in out["by_organisation"].items():
            self.stdout.write(f"  {name}: {row}")


def _summary(result: Any) -> dict[str, Any]:
    return {
        "capacity_place_days": result.capacity_place_days,
        "occupied_place_days": result.occupied_place_days,
        "empty_place_days": result.empty_place_days,
        "utilisation": result.utilisation,
        "cost_sek": result.cost_sek,
        "empty_cost_sek": result.empty_cost_sek,
        "cost_per_occupied_place_month_sek": result.cost_per_occupied_place_month_sek,
    }
