"""``platsa worker``: run the background jobs (board reports, imports, the regional figures) from the database's queue, as
a service beside the web server (``--batch``: run what is queued, then stop)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Run the background jobs (board reports, imports, regional figures) until stopped.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help=_("Run what is queued, then stop.")
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        extra = ["--batch"] if batch else []
        call_command(
            "db_worker",
            *extra,
            "--interval",
            str(interval),
            "--no-startup-delay",
            verbosity=options.get("verbosity", 1),
        )
