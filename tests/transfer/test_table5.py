"""The report's Table 5, imported from a spreadsheet, gives the same figures as the case file."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from django.db import transaction
from openpyxl import Workbook

from platsa.accounts.models import Municipality, Role, User
from platsa.impact.report import build_report
from platsa.site.casefile import load_case, load_case_file
from platsa.site.demo import DEMO_CASE
from platsa.transfer.kinds import kind_for
from platsa.transfer.services import commit, preview

pytestmark = pytest.mark.django_db
TABLE_5 = Path(__file__).resolve().parents[2] / "examples" / "import" / "ostersund-tabell-5.csv"
TODAY = dt.date(2026, 11, 27)


def _figures(municipality: Municipality) -> dict[str, object]:
    report = build_report(
        municipality, start=dt.date(2022, 9, 1), end=dt.date(2023, 8, 31), today=TODAY, threshold=1
    )
    return {
        "months": [(m.month, m.average_occupied) for m in report.occupancy.months()],
        "utilisation": report.occupancy.utilisation,
        "exits": report.recorded.exits,
        "payback": report.payback_as_report,
        "payback_parameters": report.payback_parameters,
        "sroi": report.sroi,
        "indicators": report.indicators,
        "quality": report.quality,
    }


def _xlsx(csv_path: Path) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in csv_path.read_text(encoding="utf-8").splitlines():
        cells = line.split(";")
        sheet.append(
            [
                dt.date.fromisoformat(c) if c[:2] == "20" and len(c) == 10 else c or None
                for c in cells
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_table_5_from_a_spreadsheet_gives_the_case_file_s_figures(form: str) -> None:
    with transaction.atomic():
        reference = _figures(load_case_file(DEMO_CASE).municipality)
        transaction.set_rollback(True)
    case = yaml.safe_load(DEMO_CASE.read_text(encoding="utf-8"))
    case["placements"] = []
    municipality = load_case(case, file=DEMO_CASE.name).municipality
    coach = User.objects.create(username="c", municipality=municipality, role=Role.COACH)
    content = TABLE_5.read_bytes() if form == "csv" else _xlsx(TABLE_5)
    name = f"tabell-5.{form}"
    kind = kind_for("placements")
    planned = preview(
        kind, name=name, content=content, municipality=municipality, user=coach, today=TODAY
    )
    assert planned.messages() == []
    assert planned.counts == {"new": 17, "changed": 0, "unchanged": 0, "refused": 0}
    commit(kind, name=name, content=content, municipality=municipality, user=coach, today=TODAY)
    assert _figures(municipality) == reference
    again = preview(
        kind, name=name, content=content, municipality=municipality, user=coach, today=TODAY
    )
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 17, "refused": 0}
