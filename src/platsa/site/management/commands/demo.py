"""``platsa demo``: migrate, load the Östersund case and demo accounts, serve the web app."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.common.clock import today
from platsa.site.demo import DEMO_PASSWORD, DEMO_REGION, demo_load, demo_refusal
from platsa.site.synth import synth


class Command(BaseCommand):
    help = _(
        "Load the Östersund 2022–23 case with one demo account per role and serve the web app."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=8000, help=_("Port to serve on (default 8000).")
        )
        parser.add_argument(
            "--host", default="127.0.0.1", help=_("Address to serve on (default 127.0.0.1).")
        )
        parser.add_argument("--no-serve", action="store_true", help=_("Load the demo and exit."))

    def handle(self, *args: Any, port: int, host: str, no_serve: bool, **options: Any) -> None:
        database = settings.DATABASES["default"]
        self.stdout.write(
            _("Database: %(engine)s %(name)s")
            % {"engine": database["ENGINE"].rsplit(".", 1)[-1], "name": database["NAME"]}
        )
        refusal = demo_refusal()
        if refusal is not None:
            raise CommandError(refusal, returncode=2)
        call_command("migrate", interactive=False, verbosity=0)
        report, accounts, living = demo_load(living_until=today())
        # Two small synthetic neighbours share with the demo's region beside Östersund, so the
        # regional analyst compares municipalities (Östersund's own figures are unchanged).
        neighbours = synth(
            municipalities=2, participants=40, years=3, seed=1, today=today(), region=DEMO_REGION
        )
        self.stdout.write(
            _("Loaded the case of %(municipality)s.") % {"municipality": report.municipality.name}
        )
        if living is not None:
            self.stdout.write(
                _(
                    "Synthetic continuation up to %(today)s: %(participants)s referred, "
                    "%(placements)s placed, %(waiting)s waiting (codes SYN-…; the 2022–23 case is "
                    "unchanged)."
                )
                % {
                    "today": today().isoformat(),
                    "participants": living.participants,
                    "placements": living.placements,
                    "waiting": living.waiting,
                }
            )
        self.stdout.write(
            _(
                "%(region)s: Östersund and the synthetic municipalities %(codes)s share their figures."
            )
            % {"region": DEMO_REGION, "codes": ", ".join(n.municipality for n in neighbours)}
        )
        self.stdout.write("")
        self.stdout.write(
            _("Demo accounts (password: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for account in accounts:
            suffix = f" – {account.organisation}" if account.organisation else ""
            self.stdout.write(f"  {account.username:<32} {account.role}{suffix}")
        if no_serve:
            return
        # The demo's accounts have a published password and no second factor: the demo asks
        # for none. Everywhere else every account must pass one (PLATSA_MFA_REQUIRED).
        settings.PLATSA_MFA_REQUIRED = False
        self.stdout.write(
            _(
                "The demo asks for no second factor; in production every account must set one "
                "up (an authenticator app or a security key)."
            )
        )
        url = f"http://{host}:{port}/"
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(_("platsa is running at %(url)s (stop with Ctrl+C)") % {"url": url})
        )
        self.stdout.flush()
        from waitress import serve

        from platsa.wsgi import application

        # The background jobs (board reports, imports, regional figures): a worker of its own beside the web server,
        # stopped with it.
        worker = subprocess.Popen(  # noqa: S603 — our own command, no shell
            [sys.executable, "-m", "platsa", "worker", "--verbosity", "0"]
        )
        # Stopped (Ctrl+C or a service manager's SIGTERM): stop the worker too.
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
        try:
            serve(application, host=host, port=port, threads=8, ident="platsa")
        finally:
            worker.terminate()
            worker.wait(timeout=10)
