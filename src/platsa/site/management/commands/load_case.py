"""``platsa load_case FILE.yaml``: load a case file; all or nothing, idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.site.casefile import CaseFileError, load_case_file


class Command(BaseCommand):
    help = _("Load a case file (YAML) with organisations, agreements and placements.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("The case file to load."))

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            report = load_case_file(path)
        except CaseFileError as exc:
            raise CommandError(str(exc)) from exc
        created = ", ".join(f"{k} {v}" for k, v in sorted(report.created.items())) or "–"
        updated = ", ".join(f"{k} {v}" for k, v in sorted(report.updated.items())) or "–"
        self.stdout.write(
            _("Loaded %(municipality)s. Created: %(created)s. Updated: %(updated)s.")
            % {"municipality": report.municipality.name, "created": created, "updated": updated}
        )
