"""A spreadsheet as rows: the first sheet (or the one named for the kind) of an Excel workbook,
or a CSV file as Swedish Excel saves it (semicolons, UTF-8 or Windows-1252). Headers are
matched without regard to case, spaces or a trailing ``*``; blank rows are skipped; every row
keeps the number a spreadsheet shows for it."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

#: What one import may hold: a year of daily attendance for about 80 people fits.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000


class FileError(Exception):
    """The file as a whole cannot be read; the message names the file."""

    def __init__(self, file: str, message: str) -> None:
        self.file, self.message = file, message
        super().__init__(f"{file}: {message}")


@dataclass
class Table:
    file: str
    sheet: str  # "" for a CSV file
    headers: list[str]  # as written, in order
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number, cells)
    notes: list[str] = field(default_factory=list)


def header_key(name: Any) -> str:
    return re.sub(r"\s+", " ", str(name or "")).strip().rstrip("*").strip().casefold()


def read_table(name: str, content: bytes, *, sheet: str = "") -> Table:
    if len(content) > MAX_BYTES:
        raise FileError(
            name,
            _("is %(size)s MB; an import takes at most %(max)s MB: split it")
            % {"size": round(len(content) / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024},
        )
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(name, content, sheet)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(name, content)
    if lower.endswith((".xls", ".ods", ".numbers")):
        raise FileError(name, _("save it as an Excel workbook (.xlsx) or as CSV and try again"))
    raise FileError(name, _("is neither an Excel workbook (.xlsx) nor a CSV file (.csv)"))


def _table(name: str, sheet: str, raw_rows: Any) -> Table:
    table: Table | None = None
    for number, values in enumerate(raw_rows, start=1):
        cells = list(values)
        if not any(v is not None and str(v).strip() for v in cells):
            continue
        if table is None:
            headers = [str(v).strip() if v is not None else "" for v in cells]
            while headers and not headers[-1]:
                headers.pop()
            seen: dict[str, str] = {}
            for h in headers:
                if h and header_key(h) in seen:
                    raise FileError(name, _("the column %(column)s appears twice") % {"column": h})
                seen[header_key(h)] = h
            table = Table(name, sheet, headers)
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileError(
                name,
                _("has more than %(max)s rows; an import takes at most that many: split it")
                % {"max": MAX_ROWS},
            )
        row = {
            header_key(h): cells[i] if i < len(cells) else None
            for i, h in enumerate(table.headers)
            if h
        }
        table.rows.append((number, row))
    if table is None:
        raise FileError(name, _("is empty: it has no row of column headings"))
    return table


def _read_xlsx(name: str, content: bytes, sheet: str) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(name, _("is not an Excel workbook that can be read (.xlsx)")) from exc
    try:
        names = workbook.sheetnames
        chosen = next((n for n in names if n.casefold() == sheet.casefold()), names[0])
        ws = workbook[chosen]
        return _table(name, chosen, ws.iter_rows(values_only=True))
    finally:
        workbook.close()


def _read_csv(name: str, content: bytes) -> Table:
    notes = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252.
        text = content.decode("cp1252", errors="replace")
        notes.append(_("The file is not UTF-8; it was read as Windows-1252 (as Excel saves CSV)."))
    if "\x00" in text:
        raise FileError(name, _("is not a text file: save it as CSV or as .xlsx"))
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    try:
        table = _table(name, "", csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileError(name, _("is not a CSV file that can be read: %(e)s") % {"e": exc}) from exc
    table.notes = notes
    return table
