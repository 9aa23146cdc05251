"""``platsa report --municipality CODE --from D --to D --out FILE.pdf|FILE.xlsx``.

The board report from the municipality's records: the PDF in Swedish, or the workbook with the
tables behind every figure. Bad arguments exit with status 2 and say which one and why; nothing
is written unless the whole report could be made.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality
from platsa.common.clock import today
from platsa.impact.models import Scenario
from platsa.impact.report import ReportError, build_report, render_pdf
from platsa.impact.workbook import render_xlsx


def _date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(name)s: %(value)s is not a date (YYYY-MM-DD)") % {"name": name, "value": value},
            returncode=2,
        ) from None


class Command(BaseCommand):
    help = _("Make the board report (PDF) or its workbook (XLSX) for a municipality and period.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality", required=True, help=_("Municipality code, e.g. 2380.")
        )
        parser.add_argument("--from", dest="start", required=True, help=_("First day, YYYY-MM-DD."))
        parser.add_argument("--to", dest="end", required=True, help=_("Last day, YYYY-MM-DD."))
        parser.add_argument("--out", required=True, type=Path, help=_("FILE.pdf or FILE.xlsx."))
        parser.add_argument(
            "--min-group-size",
            type=int,
            default=None,
            help=_("Hide counts below this (default: PLATSA_MIN_GROUP_SIZE, 5)."),
        )
        parser.add_argument(
            "--scenario", type=int, default=None, help=_("A saved scenario's number.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        kind = out.suffix.lower()
        if kind not in (".pdf", ".xlsx"):
            raise CommandError(
                _("--out: %(file)s must end in .pdf or .xlsx") % {"file": out}, returncode=2
            )
        start = _date("--from", options["start"])
        end = _date("--to", options["end"])
        if end < start:
            raise CommandError("--to: " + _("The end must not be before the start."), returncode=2)
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist:
            raise CommandError(
                _("--municipality: no municipality with the code %(code)s")
                % {"code": options["municipality"]},
                returncode=2,
            ) from None
        scenario = None
        if options["scenario"] is not None:
            scenario = Scenario.objects.filter(
                pk=options["scenario"], municipality=municipality
            ).first()
            if scenario is None:
                raise CommandError(
                    _("--scenario: %(municipality)s has no scenario %(n)s")
                    % {"municipality": municipality.name, "n": options["scenario"]},
                    returncode=2,
                )
        try:
            report = build_report(
                municipality,
                start=start,
                end=end,
                today=today(),
                threshold=options["min_group_size"],
                scenario=scenario,
            )
        except ReportError as e:
            raise CommandError(str(e), returncode=2) from None
        data = render_pdf(report) if kind == ".pdf" else render_xlsx(report)
        # Written whole or not at all: a temporary file beside the target, then renamed.
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=kind)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
        self.stdout.write(
            _("Wrote %(file)s (%(kb)s kB).") % {"file": out, "kb": round(len(data) / 1024)}
        )
