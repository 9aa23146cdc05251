"""``platsa figures [--municipality CODE …] [--all]``: read each year's figures again for the
regional view, for a nightly timer (docs/production.md). By default every municipality that
shares with a region; the rows of the others are removed, as a region may no longer see them."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platsa.accounts.models import Municipality
from platsa.common.clock import today
from platsa.impact.models import YearFigures
from platsa.impact.regional import figures_refresh


class Command(BaseCommand):
    help = _("Compute each municipality's figures of every year for the regional view.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality",
            action="append",
            default=[],
            metavar="CODE",
            help=_("Only this municipality (its four-digit code); may be given more than once."),
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help=_("Every municipality, also those that share with no region."),
        )

    def handle(self, *args: Any, municipality: list[str], all: bool, **options: Any) -> None:
        on = today()
        chosen = Municipality.objects.order_by("code")
        if municipality:
            unknown = sorted(set(municipality) - set(chosen.values_list("code", flat=True)))
            if unknown:
                raise CommandError(
                    _("No municipality has the code %(codes)s.") % {"codes": ", ".join(unknown)},
                    returncode=2,
                )
            chosen = chosen.filter(code__in=municipality)
        elif not all:
            chosen = chosen.filter(region_shares__isnull=False).distinct()
            YearFigures.objects.exclude(municipality__in=chosen).delete()
        began = time.perf_counter()
        count = years = 0
        for m in chosen:
            years += figures_refresh(m, today=on)
            count += 1
        self.stdout.write(
            ngettext(
                "Figures of %(years)s years in %(count)s municipality, in %(seconds).1f s.",
                "Figures of %(years)s years in %(count)s municipalities, in %(seconds).1f s.",
                count,
            )
            % {"years": years, "count": count, "seconds": time.perf_counter() - began}
        )
