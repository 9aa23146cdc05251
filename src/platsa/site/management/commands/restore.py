"""``platsa restore FILE --yes``: replace the whole database with an encrypted backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.site.backup import BackupError, restore


class Command(BaseCommand):
    help = _(
        "Replace everything in the database with the backup in FILE (all or nothing). Stop the "
        "app first; run `platsa migrate` afterwards if the backup is older than this version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("The backup file to restore."))
        parser.add_argument(
            "--yes",
            action="store_true",
            help=_("Confirm that the database's present content is to be replaced."),
        )

    def handle(self, *args: Any, path: str, yes: bool, **options: Any) -> None:
        if not yes:
            raise CommandError(
                _(
                    "A restore replaces everything in the database with the backup. Add --yes "
                    "to confirm."
                )
            )
        try:
            header = restore(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored %(file)s (a backup of %(at)s). Run `platsa migrate` next.")
            % {"file": path, "at": header.get("created", "?")}
        )
