"""``platsa verify_access_log``: walk each municipality's whole access log and its chain.

For a timer next to ``platsa purge``: exit status 1 when a row has been changed or removed
outside the app, with the municipality and the time of the first broken row.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality
from platsa.placements.access import access_chain_check


class Command(BaseCommand):
    help = _(
        "Check every municipality's access log: each row against its digest and the row before."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = []
        for municipality in Municipality.objects.order_by("code"):
            check = access_chain_check(municipality.pk)
            if check.broken is None:
                self.stdout.write(
                    _("%(municipality)s: the chain is whole (%(n)s rows).")
                    % {"municipality": municipality.name, "n": check.rows}
                )
            else:
                broken.append(
                    _("%(municipality)s: the chain is broken at the row of %(at)s.")
                    % {
                        "municipality": municipality.name,
                        "at": f"{check.broken.at:%Y-%m-%d %H:%M}",
                    }
                )
        if broken:
            raise CommandError("\n".join(broken))
