"""``platsa alerts [--on DATE] [--email]``: the alerts of every user, for cron or a systemd timer.

Without --email it prints them (pseudonymous codes only). With --email each user with an email
address gets theirs; email must be configured (PLATSA_EMAIL=true and PLATSA_EMAIL_HOST).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.occupancy.alerts import alerts_for_user


class Command(BaseCommand):
    help = _("Print or email every user's alerts.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help=_("The day to compute the alerts for (default: today)."))
        parser.add_argument("--email", action="store_true", help=_("Email each user their alerts."))

    def handle(self, *args: Any, on: str | None, email: bool, **options: Any) -> None:
        day = dt.date.fromisoformat(on) if on else today()
        if email and not settings.PLATSA_EMAIL_ENABLED:
            raise CommandError(
                _("Email is not configured: set PLATSA_EMAIL=true and PLATSA_EMAIL_HOST."),
                returncode=2,
            )
        sent = 0
        users = User.objects.filter(is_active=True, municipality__isnull=False).select_related(
            "municipality", "organisation"
        )
        for user in users.order_by("municipality__name", "username"):
            alerts = alerts_for_user(user, today=day)
            if not alerts:
                continue
            lines = [f"- {a.message}" for a in alerts]
            if email:
                if user.email:
                    send_mail(
                        _("platsa: %(n)s things need attention") % {"n": len(alerts)},
                        "\n".join(lines),
                        None,
                        [user.email],
                    )
                    sent += 1
                continue
            self.stdout.write(f"{user.municipality} / {user.username} ({user.get_role_display()}):")
            for line in lines:
                self.stdout.write(f"  {line}")
        if email:
            self.stdout.write(_("Sent %(n)s emails.") % {"n": sent})
