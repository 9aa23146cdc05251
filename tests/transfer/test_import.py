"""Spreadsheet imports: preview names file, row and column of every refusal and writes nothing;
the import is all or nothing; the same file twice changes nothing; undo restores exactly."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from platsa.accounts.models import User
from platsa.placements.models import (
    Attendance,
    AttendanceChange,
    ExitCheck,
    Participant,
    ParticipantAccess,
    Placement,
)
from platsa.procurement.models import Agreement, AgreementPlaces, Organisation, Place
from platsa.transfer import cells
from platsa.transfer.kinds import kind_for
from platsa.transfer.models import ImportRecord, ImportStatus
from platsa.transfer.services import ImportRefused, UndoRefused, commit, preview, undo
from tests.conftest import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2023, 11, 20)
NOW = dt.datetime(2023, 11, 20, 12, tzinfo=dt.UTC)

HEAD = ["Deltagare", "Organisation", "Start", "Slut", "Planerat slut", "Omfattning (%)", "Utfall"]
GOOD = [
    ["NST-01", "Röda Korset", "2023-09-04", "", "2024-02-29", "50 %", ""],
    ["NST-02", "Hej Främling", "2023-09-11", "2023-10-31", "", "100", "Studier"],
    ["NST-03", "Robin Hood", "2023-10-02", "", "", "75", ""],
]


def xlsx(rows: list[list[Any]], sheet: str = "Placeringar") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    return "\n".join(";".join(str(c) for c in row) for row in rows).encode(encoding)


def snapshot() -> str:
    """Every row an import may touch, serialised: equal snapshots mean an equal database."""
    rows: list[Any] = []
    for model in (
        Participant,
        Placement,
        ExitCheck,
        Attendance,
        Organisation,
        Agreement,
        AgreementPlaces,
        Place,
    ):
        rows += list(model.objects.order_by("pk"))
    return serializers.serialize("json", rows)


def _preview(world: World, kind: str, name: str, content: bytes, user: User | None = None):
    return preview(
        kind_for(kind),
        name=name,
        content=content,
        municipality=world.ostersund,
        user=user or world.coach,
        today=TODAY,
    )


def _commit(world: World, kind: str, name: str, content: bytes, user: User | None = None):
    return commit(
        kind_for(kind),
        name=name,
        content=content,
        municipality=world.ostersund,
        user=user or world.coach,
        today=TODAY,
    )


def test_a_placement_list_with_two_bad_rows_names_them_and_writes_nothing(world: World) -> None:
    bad = [HEAD, *GOOD, ["NST-04", "Okänd förening", "2023-10-02", "", "", "", ""]]
    bad.append(["NST-05", "Röda Korset", "2023-13-01", "", "", "", ""])
    before = snapshot()
    planned = _preview(world, "placements", "nordanstig.xlsx", xlsx(bad))
    assert planned.counts == {"new": 3, "changed": 0, "unchanged": 0, "refused": 2}
    messages = planned.messages()
    assert len(messages) == 2
    assert messages[0].startswith("nordanstig.xlsx, blad Placeringar, rad 5, kolumn Organisation:")
    assert "Okänd förening är inte en av kommunens organisationer" in messages[0]
    assert messages[1].startswith("nordanstig.xlsx, blad Placeringar, rad 6, kolumn Start:")
    with pytest.raises(ImportRefused):
        _commit(world, "placements", "nordanstig.xlsx", xlsx(bad))
    assert snapshot() == before
    assert not ImportRecord.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_import_twice_changes_nothing_and_undo_restores_exactly(world: World) -> None:
    before = snapshot()
    record = _commit(world, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    assert record.status == ImportStatus.COMMITTED and record.content is None
    assert record.counts == {"new": 3, "changed": 0, "unchanged": 0, "refused": 0}
    nst2 = Placement.objects.get(participant__code="NST-02")
    assert (nst2.actual_end, nst2.destination, nst2.scope_percent) == (
        dt.date(2023, 10, 31),
        "studies",
        100,
    )
    assert Placement.objects.get(participant__code="NST-01").scope_percent == 50
    # An ended placement gets its checks 3, 6 and 12 months on, as when a coach closes it.
    assert list(nst2.exit_checks.values_list("months_after", "due_date")) == [
        (3, dt.date(2024, 1, 31)),
        (6, dt.date(2024, 4, 30)),
        (12, dt.date(2024, 10, 31)),
    ]
    assert Participant.objects.get(code="NST-01").responsible_coach == world.coach
    # Imported participants are in the access log, as a changed record each.
    logged = ParticipantAccess.objects.filter(page="import_placements", changed=True)
    assert logged.count() == 3 and {a.user for a in logged} == {world.coach}
    again = _preview(world, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 3, "refused": 0}
    second = _commit(world, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    assert second.changes.count() == 0

    # A corrected file changes one placement; undoing it puts the first import's state back.
    after_first = snapshot()
    changed = [HEAD, *GOOD[:2], ["NST-03", "Robin Hood", "2023-10-02", "", "", "50", ""]]
    planned = _preview(world, "placements", "lista-2.xlsx", xlsx(changed))
    assert planned.counts == {"new": 0, "changed": 1, "unchanged": 2, "refused": 0}
    assert planned.rows[2].changed_columns == ["Omfattning (%)"]
    third = _commit(world, "placements", "lista-2.xlsx", xlsx(changed))
    assert Placement.objects.get(participant__code="NST-03").scope_percent == 50
    undo(third, user=world.coach)
    assert snapshot() == after_first
    undo(record, user=world.coach)
    assert snapshot() == before
    record.refresh_from_db()
    assert record.status == ImportStatus.UNDONE and record.undone_by == world.coach
    with pytest.raises(UndoRefused):
        undo(record, user=world.coach)


@time_machine.travel(NOW, tick=False)
def test_undo_is_refused_whole_when_data_was_added_since(world: World) -> None:
    record = _commit(world, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    placement = Placement.objects.get(participant__code="NST-01")
    Attendance.objects.create(
        placement=placement, date=dt.date(2023, 9, 5), status="present", reported_by=world.coach
    )
    state = snapshot()
    with pytest.raises(UndoRefused) as refused:
        undo(record, user=world.coach)
    assert refused.value.problems == [
        "Rad 2 (placering): den har fått nya uppgifter sedan importen."
    ]
    assert snapshot() == state  # nothing undone, not even the other two rows


def test_an_identity_number_is_refused_and_never_repeated(world: World) -> None:
    number = "19" + "850101" + "-" + "1234"  # shaped like a personal identity number
    planned = _preview(
        world, "placements", "lista.csv", csv_bytes([HEAD, [number, "Röda Korset", "2023-09-04"]])
    )
    (message,) = planned.messages()
    assert "rad 2, kolumn Deltagare" in message and "personnummer" in message
    assert "850101" not in message and "850101" not in planned.rows[0].label


def test_the_same_placement_twice_in_a_file_is_refused(world: World) -> None:
    planned = _preview(world, "placements", "lista.csv", csv_bytes([HEAD, GOOD[0], GOOD[0]]))
    assert planned.messages() == ["lista.csv, rad 3: samma som rad 2 i filen"]


def test_an_ended_placement_needs_an_outcome_and_an_ongoing_one_has_none(world: World) -> None:
    rows = [
        HEAD,
        ["NST-01", "Röda Korset", "2023-09-04", "2023-10-01", "", "", ""],
        ["NST-02", "Röda Korset", "2023-09-04", "", "", "", "Studier"],
    ]
    messages = _preview(world, "placements", "lista.csv", csv_bytes(rows)).messages()
    assert messages == [
        "lista.csv, rad 2, kolumn Utfall: en avslutad placering behöver ett utfall; skriv Okänt om "
        "det inte är känt",
        "lista.csv, rad 3, kolumn Utfall: ett utfall anges bara för en placering som har slutat "
        "(Slut)",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "lista.csv: är tom: den har ingen rad med kolumnrubriker"),
        (b"Deltagare;Start\n", "lista.csv: kolumnen Organisation saknas"),
        (b"Deltagare;Organisation;Start\n", "lista.csv: har kolumnrubriker men inga rader"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(world: World, content: bytes, message: str) -> None:
    (got, *_rest) = _preview(world, "placements", "lista.csv", content).messages()
    assert got.startswith(message)


def test_an_old_excel_file_or_a_broken_workbook_is_refused_clearly(world: World) -> None:
    assert _preview(world, "placements", "lista.xls", b"x").messages() == [
        "lista.xls: spara den som Excel-arbetsbok (.xlsx) eller som CSV och försök igen"
    ]
    assert _preview(world, "placements", "lista.xlsx", b"not a zip").messages() == [
        "lista.xlsx: är inte en Excel-arbetsbok som går att läsa (.xlsx)"
    ]


def test_a_windows_1252_csv_is_read_and_said_so(world: World) -> None:
    rows = [HEAD, ["NST-01", "Hej Främling", "2023-09-04", "", "", "", ""]]
    planned = _preview(world, "placements", "lista.csv", csv_bytes(rows, "cp1252"))
    assert planned.ok and planned.counts["new"] == 1
    assert any("Windows-1252" in note for note in planned.notes)


def test_unknown_columns_are_named_and_not_read(world: World) -> None:
    rows = [[*HEAD, "Namn"], [*GOOD[0], "Anna Andersson"]]
    planned = _preview(world, "placements", "lista.csv", csv_bytes(rows))
    assert planned.notes == ["Lästes inte (ingen kolumn för den här sortens fil): Namn"]


def test_swedish_cells() -> None:
    assert cells.decimal("1 234,50") == cells.decimal("1\u00a0234,5") == cells.decimal(1234.5)
    assert cells.decimal("14 280 kr") == 14280
    assert cells.yes_no("Ja") is True and cells.yes_no("nej") is False
    assert cells.percent("75 %") == 75 and cells.percent(0.75) == 75
    assert cells.date("2023-05-10") == dt.date(2023, 5, 10)
    for bad, parse in (
        ("1,234.5", cells.decimal),
        ("10/5/2023", cells.date),
        ("kanske", cells.yes_no),
    ):
        with pytest.raises(cells.CellError):
            parse(bad)
    with pytest.raises(cells.CellError):
        cells.date("9999-12-31")


ATT_HEAD = ["Deltagare", "Datum", "Närvaro", "Timmar", "Frånvaroorsak"]


@time_machine.travel(NOW, tick=False)
def test_attendance_is_imported_once_per_day_and_a_change_keeps_its_history(world: World) -> None:
    # OST-06 (Hej Främling) is placed from 2023-02-13 and has not ended.
    rows = [
        ATT_HEAD,
        ["OST-06", "2023-11-13", "ja", "6,5", ""],
        ["OST-06", "2023-11-14", "nej", "", "sjuk"],
    ]
    record = _commit(world, "attendance", "narvaro.csv", csv_bytes(rows), world.supervisor_hf)
    assert record.counts["new"] == 2
    days = Attendance.objects.filter(placement=world.placement("OST-06")).order_by("date")
    assert [(a.status, a.hours, a.absence_reason) for a in days] == [
        ("present", 6.5, ""),
        ("absent", None, "illness"),
    ]
    assert _preview(world, "attendance", "narvaro.csv", csv_bytes(rows)).counts["unchanged"] == 2
    rows[2] = ["OST-06", "2023-11-14", "ja", "4", ""]
    second = _commit(world, "attendance", "narvaro.csv", csv_bytes(rows), world.supervisor_hf)
    assert second.counts == {"new": 0, "changed": 1, "unchanged": 1, "refused": 0}
    assert Attendance.objects.filter(placement=world.placement("OST-06")).count() == 2
    history = AttendanceChange.objects.get()
    assert history.before["status"] == "absent" and history.before["absence_reason"] == "illness"
    undo(second, user=world.supervisor_hf)
    assert Attendance.objects.get(date=dt.date(2023, 11, 14)).status == "absent"


@time_machine.travel(NOW, tick=False)
def test_attendance_is_refused_for_another_organisation_the_future_and_no_placement(
    world: World,
) -> None:
    rows = [
        ATT_HEAD,
        ["OST-06", "2023-11-13", "ja", "", ""],  # Hej Främling: not Röda Korset's
        ["OST-17", "2023-11-30", "ja", "", ""],  # a day ahead
        ["OST-17", "2023-05-02", "nej", "", ""],  # absent without a reason
        ["OST-17", "2023-05-03", "ja", "25", ""],  # more than a day
    ]
    messages = _preview(
        world, "attendance", "narvaro.csv", csv_bytes(rows), world.supervisor_rk
    ).messages()
    assert messages == [
        "narvaro.csv, rad 2, kolumn Datum: deltagaren har ingen placering 2023-11-13 som du får "
        "rapportera",
        "narvaro.csv, rad 3, kolumn Datum: en dag i framtiden kan inte rapporteras",
        "narvaro.csv, rad 4, kolumn Frånvaroorsak: Ange orsak till frånvaron.",
        "narvaro.csv, rad 5, kolumn Timmar: ange timmar från 0 till 24",
    ]


AGR_HEAD = [
    "Organisation",
    "Organisationsform",
    "Avtalsstart",
    "Avtalsslut",
    "Platser",
    "Pris (kr)",
]


def test_agreements_with_places_are_imported_and_undone(world: World) -> None:
    before = snapshot()
    rows = [
        AGR_HEAD,
        ["Second Hand Väst", "Ekonomisk förening", "2024-01-01", "2024-12-31", "4", "14 280"],
        ["Röda Korset", "", "2023-09-01", "2024-08-31", "3", "6 000,00"],
    ]
    record = _commit(world, "agreements", "avtal.xlsx", xlsx(rows, "Avtal"), world.manager)
    assert record.counts == {"new": 2, "changed": 0, "unchanged": 0, "refused": 0}
    new = Agreement.objects.get(organisation__name="Second Hand Väst")
    assert (new.places_on(dt.date(2024, 3, 1)), new.price_sek, new.payment_model) == (
        4,
        14280,
        "fixed_per_place_month",
    )
    assert new.organisation.legal_form == "economic_association"
    assert new.places.count() == 4
    again = _preview(world, "agreements", "avtal.xlsx", xlsx(rows, "Avtal"), world.manager)
    assert again.counts["unchanged"] == 2
    undo(record, user=world.manager)
    assert snapshot() == before


@time_machine.travel(NOW, tick=False)
def test_after_exit_answers_are_recorded_on_the_planned_check(world: World) -> None:
    _commit(world, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    head = ["Deltagare", "Slut", "Månader efter slut", "Kontrollerad", "Status", "Uppgiften från"]
    rows = [head, ["NST-02", "2023-10-31", "3", "2023-11-15", "I arbete", "Deltagaren"]]
    record = _commit(world, "exit_checks", "svar.csv", csv_bytes(rows))
    assert record.counts["changed"] == 1
    check = ExitCheck.objects.get(placement__participant__code="NST-02", months_after=3)
    assert (check.checked_on, check.status, check.source, check.checked_by) == (
        dt.date(2023, 11, 15),
        "employment",
        "participant",
        world.coach,
    )
    rows[1][2] = "4"
    assert _preview(world, "exit_checks", "svar.csv", csv_bytes(rows)).messages() == [
        "svar.csv, rad 2, kolumn Månader efter slut: ingen uppföljning är planerad 4 månader efter "
        "den här placeringen"
    ]


def _call(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_previews_commits_and_exits_2_on_refused_rows(
    world: World, tmp_path: Path
) -> None:
    good = tmp_path / "lista.xlsx"
    good.write_bytes(xlsx([HEAD, *GOOD]))
    out, _err = _call("placements", str(good), "--municipality", "2380")
    assert "3 nya, 0 ändrade, 0 oförändrade, 0 avvisade" in out and "inget sparades" in out
    assert not Participant.objects.filter(code="NST-01").exists()
    with pytest.raises(CommandError, match="--user"):
        _call("placements", str(good), "--municipality", "2380", "--commit")
    with pytest.raises(CommandError, match="får inte importera"):
        _call("placements", str(good), "--municipality", "2380", "--commit", "--user", "analyst")
    out, _err = _call(
        "placements", str(good), "--municipality", "2380", "--commit", "--user", "coach", "--json"
    )
    result = json.loads(out)
    assert result["committed"] and result["counts"]["new"] == 3 and result["errors"] == []
    bad = tmp_path / "fel.csv"
    bad.write_bytes(csv_bytes([HEAD, ["NST-09", "Röda Korset", "2023-02-30"]]))
    with pytest.raises(CommandError) as refused:
        _call("placements", str(bad), "--municipality", "2380")
    assert refused.value.returncode == 2


def test_a_crash_during_the_import_leaves_the_database_as_it_was(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot()

    def crash(**_kwargs: object) -> None:  # the last step of an import: the process dies here
        raise KeyboardInterrupt

    monkeypatch.setattr("platsa.transfer.services.access_write", crash)
    with pytest.raises(KeyboardInterrupt):
        _commit(world, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    assert snapshot() == before and not ImportRecord.objects.exists()


def test_another_municipality_s_rows_are_never_touched(world: World) -> None:
    rows = [ATT_HEAD, ["ANG-01", "2023-05-02", "ja", "", ""]]
    assert _preview(world, "attendance", "narvaro.csv", csv_bytes(rows)).messages() == [
        "narvaro.csv, rad 2, kolumn Deltagare: ingen deltagare har koden ANG-01"
    ]
    with pytest.raises(ImportRefused):
        _commit(world, "attendance", "narvaro.csv", csv_bytes(rows), world.admin)
    assert not Attendance.objects.filter(placement=world.elsewhere_placement).exists()


def test_the_purge_ends_undo_after_90_days_and_drops_old_previews(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        record = _commit(world, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
        waiting = ImportRecord.objects.create(
            municipality=world.ostersund,
            kind="placements",
            file_name="väntar.csv",
            digest="0" * 64,
            content=b"x",
            created_by=world.coach,
        )
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        call_command("purge", "--municipality", "2380", stdout=io.StringIO())
    waiting.refresh_from_db()
    record.refresh_from_db()
    assert waiting.status == ImportStatus.DISCARDED and waiting.content is None
    assert record.status == ImportStatus.COMMITTED and record.changes.exists()
    with time_machine.travel(NOW + dt.timedelta(days=91), tick=False):
        out = io.StringIO()
        call_command("purge", "--municipality", "2380", "--dry-run", stdout=out)
        assert "1 importer äldre än 90 dagar skulle inte längre kunna ångras" in out.getvalue()
        call_command("purge", "--municipality", "2380", stdout=io.StringIO())
    record.refresh_from_db()
    assert record.status == ImportStatus.FINAL and not record.changes.exists()
    assert record.counts["new"] == 3  # what it did stays on record, without the values
    with pytest.raises(UndoRefused):
        undo(record, user=world.coach)


WEEK_HEAD = ["Deltagare", "Vecka", "Mån", "Tis", "Ons", "Tor", "Fre"]


@time_machine.travel(NOW, tick=False)
def test_a_supplier_s_week_sheet_is_read_day_by_day(world: World) -> None:
    rows = [
        WEEK_HEAD,
        ["OST-17", "2023 v19", "6,5", "x", "sjuk", "", "uteblev"],
        ["OST-16", "2023-W19", "7 timmar", "nej", "", "", ""],  # OST-16 ended 2023-02-01
        ["OST-15", "v19 2023", "", "", "", "", ""],
    ]
    planned = _preview(world, "attendance_week", "vecka.xlsx", xlsx(rows, "Närvaro per vecka"))
    assert planned.messages() == [
        "vecka.xlsx, blad Närvaro per vecka, rad 3, kolumn Måndag: 7 timmar: skriv timmarna "
        "(t.ex. 6,5), x för närvarande, eller sjuk, anmäld, uteblev eller annat för frånvaro",
        "vecka.xlsx, blad Närvaro per vecka, rad 3, kolumn Tisdag: nej: skriv timmarna (t.ex. "
        "6,5), x för närvarande, eller sjuk, anmäld, uteblev eller annat för frånvaro",
        "vecka.xlsx, blad Närvaro per vecka, rad 4: ingen dag i veckan är ifylld",
    ]
    record = _commit(
        world,
        "attendance_week",
        "vecka.xlsx",
        xlsx(rows[:2], "Närvaro per vecka"),
        world.supervisor_rk,
    )
    assert record.counts == {"new": 1, "changed": 0, "unchanged": 0, "refused": 0}
    days = Attendance.objects.filter(placement=world.placement("OST-17")).order_by("date")
    assert [(a.date.day, a.status, a.hours, a.absence_reason) for a in days] == [
        (8, "present", 6.5, ""),
        (9, "present", None, ""),
        (10, "absent", None, "illness"),
        (12, "absent", None, "no_show"),
    ]
    again = _preview(
        world,
        "attendance_week",
        "vecka.xlsx",
        xlsx(rows[:2], "Närvaro per vecka"),
        world.supervisor_rk,
    )
    assert again.counts["unchanged"] == 1
    # A week outside the placement names the day.
    late = [WEEK_HEAD, ["OST-16", "2023-W19", "x", "", "", "", ""]]
    assert _preview(world, "attendance_week", "vecka.csv", csv_bytes(late)).messages() == [
        "vecka.csv, rad 2, kolumn Måndag: deltagaren har ingen placering 2023-05-08 som du får "
        "rapportera"
    ]


FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=list(HealthCheck),
)


@FUZZ
@given(
    content=st.binary(max_size=2000),
    name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x.ods", "x"]),
)
def test_any_bytes_give_a_preview_or_a_message_never_a_crash(
    world: World, content: bytes, name: str
) -> None:
    planned = _preview(world, "placements", name, content)
    assert planned.ok or planned.messages()
    assert not ImportRecord.objects.exists()


cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2023-09-04", "2023-02-30", "1 234,50", "ja", "nej", "Studier", "", "-1"]),
    st.integers(-(10**15), 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=7, max_size=7), min_size=1, max_size=5))
def test_any_cells_are_refused_with_a_reason_or_planned(
    world: World, rows: list[list[str]]
) -> None:
    content = "\n".join(";".join(c.replace(";", ",").replace("\n", " ") for c in r) for r in rows)
    for kind in ("placements", "attendance", "attendance_week", "agreements", "exit_checks"):
        head = [c.header for c in kind_for(kind).columns][:7]
        planned = _preview(world, kind, "x.csv", (";".join(head) + "\n" + content).encode())
        assert planned.rows or planned.file_errors
        for row in planned.rows:
            # Every accepted row plans at least one row to create or keep; a refused one says why.
            assert row.errors or row.ops
            assert all(e.message for e in row.errors)
