"""``platsa purge [--dry-run]``: erase what is past each municipality's retention (gallring)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality
from platsa.common.clock import today
from platsa.impact.jobs import report_jobs_purge
from platsa.placements.retention import purge, purge_plan
from platsa.transfer.retention import UNDO_DAYS, import_purge, import_purge_plan


class Command(BaseCommand):
    help = _(
        "Erase participants' data a set time after their last entry (each municipality's "
        "retention), and access-log rows past the log's retention. For a daily timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("List what would be erased; change nothing.")
        )
        parser.add_argument(
            "--municipality", metavar="CODE", help=_("Only this municipality (four digits).")
        )

    def handle(self, *args: Any, dry_run: bool, municipality: str | None, **options: Any) -> None:
        municipalities = Municipality.objects.order_by("code")
        if municipality is not None:
            municipalities = municipalities.filter(code=municipality)
            if not municipalities.exists():
                raise CommandError(
                    _("No municipality has the code %(code)s.") % {"code": municipality}
                )
        on = today()
        for m in municipalities:
            plan = purge_plan(m, today=on)
            numbers = {
                "municipality": m.name,
                "n": len(plan.due),
                "cutoff": plan.cutoff.isoformat(),
                "kept": plan.kept_running,
                "rows": plan.access_rows,
                "years": m.access_log_retention_years,
            }
            if dry_run:
                self.stdout.write(
                    _(
                        "%(municipality)s: %(n)s participants would be erased (last entry before "
                        "%(cutoff)s; %(kept)s kept because a placement, referral or after-exit "
                        "check is still open), and %(rows)s access-log rows older than "
                        "%(years)s years."
                    )
                    % numbers
                )
                for due in plan.due:
                    self.stdout.write(f"  {due.code}  {due.last_entry.isoformat()}")
                imports = import_purge_plan(m, now=timezone.now())
                self.stdout.write(
                    _(
                        "%(municipality)s: %(previews)s previewed files would be discarded and "
                        "%(imports)s imports older than %(days)s days would no longer be "
                        "undoable."
                    )
                    % {"municipality": m.name, "days": UNDO_DAYS, **asdict(imports)}
                )
                continue
            erasure = purge(plan, today=on)
            imports = import_purge(m, now=timezone.now())
            numbers.update(n=erasure.participants, rows=erasure.access_log_rows)
            self.stdout.write(
                _(
                    "%(municipality)s: %(n)s participants erased (last entry before "
                    "%(cutoff)s), %(rows)s access-log rows removed."
                )
                % numbers
            )
            self.stdout.write(
                _(
                    "%(municipality)s: %(previews)s previewed files discarded, %(imports)s "
                    "imports older than %(days)s days no longer undoable."
                )
                % {"municipality": m.name, "days": UNDO_DAYS, **asdict(imports)}
            )
        if not dry_run:
            reports = report_jobs_purge(now=timezone.now())
            self.stdout.write(
                _("%(n)s board reports asked for more than a day ago removed.") % {"n": reports}
            )
