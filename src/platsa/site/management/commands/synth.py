"""``platsa synth --municipalities M --participants N --years Y --seed S [--json]``: synthetic
municipalities for benchmarks and for trying the app at size (see ``platsa.site.synth``)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.common.clock import today
from platsa.site.synth import synth


class Command(BaseCommand):
    help = _("Add synthetic municipalities (for benchmarks and trying the app at size).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipalities", type=int, default=1)
        parser.add_argument("--participants", type=int, default=150)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            reports = synth(
                municipalities=options["municipalities"],
                participants=options["participants"],
                years=options["years"],
                seed=options["seed"],
                today=today(),
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "municipalities": [r.__dict__ for r in reports],
                        "seconds": round(seconds, 1),
                    },
                    indent=2,
                )
            )
            return
        for r in reports:
            self.stdout.write(
                _(
                    "%(code)s: %(n)s referred, %(p)s placed, %(w)s waiting (users: coach-%(code)s, "
                    "manager-%(code)s … with the demo's password)."
                )
                % {"code": r.municipality, "n": r.participants, "p": r.placements, "w": r.waiting}
            )
        self.stdout.write(_("Done in %(s)s s.") % {"s": f"{seconds:.1f}"})
