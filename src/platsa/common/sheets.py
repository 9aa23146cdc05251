"""Spreadsheet and CSV cells that cannot run: text a spreadsheet would take as a formula
(``=``, ``+``, ``-``, ``@`` first) stays text, in every workbook and CSV file platsa writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
