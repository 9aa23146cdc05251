"""Spreadsheet and CSV cells that cannot run: text a spreadsheet would take as a formula
(``=``, ``+``, ``-``, ``@`` first) stays text, in every workbook and CSV file platsa writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@")
DATE = "yyyy-mm-dd"


def sheet_append(ws: Worksheet, row: list[Any]) -> None:
    """A row, with formula-like text kept as text and dates shown as dates."""
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
        elif isinstance(cell.value, dt.date):
            cell.number_format = DATE


def csv_cell(value: Any) -> Any:
    """A CSV value; formula-like text gets a leading apostrophe, as spreadsheets expect."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


#: The content type of an Excel workbook (.xlsx).
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as Swedish Excel opens CSV: a byte-order mark, semicolons, a decimal comma, ISO
    dates, and formula-like text kept as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(
            str(c).replace(".", ",")
            if isinstance(c, float)
            else (c.isoformat() if isinstance(c, dt.date) else csv_cell(c))
            for c in row
        )
    return "\ufeff" + buffer.getvalue()


def csv_response(rows: Iterable[Iterable[Any]], *, filename: str) -> HttpResponse:
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(rows: list[list[Any]], *, name: str, fmt: str, sheet: str) -> HttpResponse:
    """Rows as a file to download: ``fmt`` ``csv`` (as ``csv_text``) or ``xlsx`` (one sheet)."""
    if fmt == "csv":
        return csv_response(rows, filename=f"{name}.csv")
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet[:31]
    for row in rows:
        sheet_append(ws, row)
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
