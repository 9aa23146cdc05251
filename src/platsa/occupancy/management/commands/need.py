"""``platsa need --municipality CODE [--from D1 --to D2] [--target-wait-days N]
[--target-share X] [--target-utilisation X] [--simulations N] [--seed S] [--json]``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.common.clock import today
from platsa.occupancy.management.commands.occupancy import _date, municipality_from_option
from platsa.occupancy.need import (
    default_window,
    missing_text,
    need_by_work_type,
    need_for,
    payment_for_need,
)


class Command(BaseCommand):
    help = _(
        "The need for places from the recorded history: places in use on average, and the "
        "places needed for a target wait, with its band. The window defaults to the last 12 "
        "months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", metavar="CODE")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
        parser.add_argument("--target-wait-days", type=int, default=14)
        parser.add_argument("--target-share", type=float, default=0.9)
        parser.add_argument("--target-utilisation", type=float, default=0.8)
        parser.add_argument("--simulations", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_from_option(options["municipality"])
        on = today()
        start, end = default_window(on)
        if options["start"]:
            start = _date(options["start"])
        if options["end"]:
            end = _date(options["end"])
        try:
            result = need_for(
                municipality.pk,
                start=start,
                end=end,
                today=on,
                target_wait_days=options["target_wait_days"],
                target_share=options["target_share"],
                target_utilisation=options["target_utilisation"],
                simulations=options["simulations"],
                seed=options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        inputs = result.inputs
        if options["json"]:
            out = {
                "municipality": municipality.code,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "average_places_in_use": round(inputs.average_in_use, 3),
                "places_bought": round(inputs.places_bought, 3),
                "recommended_places": result.recommended_places,
                "recommended_band": list(result.recommended_band)
                if result.recommended_band
                else None,
                "places_for_utilisation": result.places_for_utilisation,
                "littles_law_places": result.littles_law_places,
                "arrivals_per_month": result.arrivals_per_month,
                "suitable_share": result.suitable_share,
                "mean_length_days": result.mean_length_days,
                "targets": {
                    "wait_days": result.target_wait_days,
                    "share_within_wait": result.target_share,
                    "utilisation": result.target_utilisation,
                },
                "simulations": result.simulations,
                "seed": result.seed,
                "missing": [missing_text(m) for m in result.missing],
                "inputs": {
                    k: v
                    for k, v in dataclasses.asdict(inputs).items()
                    if k not in ("lengths_days", "ended")
                }
                | {
                    "placements_with_length": len(inputs.lengths_days),
                    "placements_ended": sum(inputs.ended),
                },
                "curve": [dataclasses.asdict(p) for p in result.curve],
                "payment_models": [
                    {
                        "model": c.model,
                        "places": c.places,
                        "cost_a_year_sek": round(c.mean_sek, 2),
                        "band_sek": [round(c.band[0], 2), round(c.band[1], 2)],
                        "average_places_in_use": round(c.in_use, 3),
                    }
                    for c in payment_for_need(result, simulations=options["simulations"])
                ],
                "by_work_type": [
                    dataclasses.asdict(w)
                    for w in need_by_work_type(municipality.pk, start=start, end=end, today=on)
                ],
            }
            self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "%(m)s, %(start)s – %(end)s: %(used).1f places in use on average, %(bought).1f bought."
            )
            % {
                "m": municipality.name,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "used": inputs.average_in_use,
                "bought": inputs.places_bought,
            }
        )
        if result.missing:
            self.stdout.write(
                _("Too little history for the places needed; missing: %(what)s.")
                % {"what": "; ".join(missing_text(m) for m in result.missing)}
            )
            return
        band = result.recommended_band or (0, 0)
        self.stdout.write(
            _(
                "For %(share)s %% of those referred to start within %(days)s days: %(n)s places "
                "(90 %% of the simulations between %(lo)s and %(hi)s). Little's law: "
                "%(little).1f places in use (%(rate).2f arrivals a month × %(length).0f days)."
            )
            % {
                "share": round(result.target_share * 100),
                "days": result.target_wait_days,
                "n": result.recommended_places if result.recommended_places is not None else "–",
                "lo": band[0],
                "hi": band[1],
                "little": result.littles_law_places or 0.0,
                "rate": result.arrivals_per_month or 0.0,
                "length": result.mean_length_days or 0.0,
            }
        )
