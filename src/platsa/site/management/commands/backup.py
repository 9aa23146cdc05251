"""``platsa backup FILE``: an encrypted, consistent copy of the whole database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.site.backup import KEY_VARIABLE, BackupError, backup
from platsa.site.backup import new_key as make_key


class Command(BaseCommand):
    help = _(
        "Write an encrypted copy of the whole database to FILE, consistent while the app runs "
        "(the key comes from PLATSA_BACKUP_KEY)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help=_("The backup file to write."))
        parser.add_argument(
            "--new-key", action="store_true", help=_("Print a new key for PLATSA_BACKUP_KEY.")
        )

    def handle(self, *args: Any, path: str | None, new_key: bool, **options: Any) -> None:
        if new_key:
            self.stdout.write(make_key())
            self.stderr.write(
                _(
                    "Keep the key as %(var)s, apart from the backups: without it they cannot be read."
                )
                % {"var": KEY_VARIABLE}
            )
            return
        if not path:
            raise CommandError(_("Name the backup file, e.g. platsa backup platsa-2026-11-27.bak"))
        try:
            info = backup(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup written: %(file)s (%(vendor)s, %(mb).1f MB before encryption, %(at)s).")
            % {
                "file": info.path,
                "vendor": info.vendor,
                "mb": info.plain_bytes / 1e6,
                "at": info.created,
            }
        )
