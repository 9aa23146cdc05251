"""The template a kind's file is written in: its sheet with the column headings (required ones
marked *), and a sheet of instructions with what each column holds and an example."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from platsa.common.sheets import sheet_append
from platsa.transfer.kinds import Kind


def template_workbook(kind: Kind) -> Workbook:
    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = kind.sheet
    data.append([c.header + (" *" if c.required else "") for c in kind.columns])
    for i, column in enumerate(kind.columns, start=1):
        data.cell(row=1, column=i).font = Font(bold=True)
        data.column_dimensions[data.cell(row=1, column=i).column_letter].width = max(
            14, len(column.header) + 4
        )
    data.freeze_panes = "A2"
    guide = workbook.create_sheet("Anvisningar")
    sheet_append(guide, [str(kind.title)])
    guide["A1"].font = Font(bold=True)
    sheet_append(guide, ["Kolumn", "Måste fyllas i", "Vad den innehåller", "Exempel"])
    for cell in guide[2]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        sheet_append(
            guide,
            [column.header, "ja" if column.required else "nej", column.help, column.example],
        )
    sheet_append(guide, [])
    sheet_append(
        guide,
        [
            "Datum skrivs 2023-05-10, belopp 1 234,50, ja/nej som ja eller nej. Namn och "
            "personnummer hör inte hemma i filen: deltagare anges med sin kod."
        ],
    )
    for letter, width in (("A", 26), ("B", 16), ("C", 70), ("D", 24)):
        guide.column_dimensions[letter].width = width
    return workbook
