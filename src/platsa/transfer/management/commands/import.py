"""``platsa import KIND FILE --municipality CODE [--commit --user NAME] [--json]``.

Without ``--commit`` the file is previewed and nothing is written; with it, every row is
imported or none. Any refused row: its file, sheet, row, column and reason, and exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, User
from platsa.common.clock import today
from platsa.common.permissions import can
from platsa.transfer.kinds import KINDS, kind_for
from platsa.transfer.services import ImportRefused, commit, preview


class Command(BaseCommand):
    help = _(
        "Import a spreadsheet (.xlsx or .csv with Swedish column names): preview it, or import "
        "it whole with --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help=_("What the file holds."))
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", metavar="CODE", required=True, help=_("Four digits."))
        parser.add_argument(
            "--commit", action="store_true", help=_("Write it (otherwise only a preview).")
        )
        parser.add_argument(
            "--user",
            metavar="NAME",
            help=_("The account the import is made as (required with --commit)."),
        )
        parser.add_argument("--json", action="store_true", help=_("Print the result as JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        kind = kind_for(options["kind"])
        path: Path = options["file"]
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(
                _("No municipality has the code %(code)s.") % {"code": options["municipality"]}
            )
        user = None
        if options["user"]:
            user = User.objects.filter(
                username=options["user"], municipality=municipality, is_active=True
            ).first()
            if user is None:
                raise CommandError(
                    _("%(name)s is not an active account of %(municipality)s.")
                    % {"name": options["user"], "municipality": municipality.name}
                )
            if not can(user, kind.action):
                raise CommandError(
                    _("The account %(name)s may not import this kind of file.")
                    % {"name": user.username}
                )
        if options["commit"] and user is None:
            raise CommandError(_("Say with --user which account makes the import."))
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path.name}: {exc.strerror}") from exc
        on = today()
        planned = preview(
            kind, name=path.name, content=content, municipality=municipality, user=user, today=on
        )
        record = None
        if options["commit"] and planned.ok:
            assert user is not None
            try:
                record = commit(
                    kind,
                    name=path.name,
                    content=content,
                    municipality=municipality,
                    user=user,
                    today=on,
                )
            except ImportRefused as exc:  # changed between the preview and the import
                planned = exc.preview
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "kind": kind.code,
                        "file": path.name,
                        "sha256": planned.digest,
                        "counts": planned.counts,
                        "committed": record is not None,
                        "import_id": record.pk if record is not None else None,
                        "errors": planned.messages(),
                        "notes": planned.notes,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for note in planned.notes:
                self.stdout.write(note)
            counts = planned.counts
            self.stdout.write(
                _(
                    "%(file)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, "
                    "%(refused)s refused."
                )
                % {"file": path.name, **counts}
            )
        if not planned.ok:
            for line in planned.messages():
                self.stderr.write(line)
            raise CommandError(_("Nothing was imported."), returncode=2)
        if record is not None:
            if not options["json"]:
                self.stdout.write(
                    _("Imported (import %(id)s); it can be undone on the import page.")
                    % {"id": record.pk}
                )
        elif not options["json"]:
            self.stdout.write(_("A preview: nothing was written. Add --commit to import."))
