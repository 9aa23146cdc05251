"""The import pages: upload, preview row by row, import, undo; templates; who may see what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from platsa.placements.models import Attendance, Participant, ParticipantAccess
from platsa.transfer.kinds import KINDS
from platsa.transfer.models import ImportRecord, ImportStatus
from platsa.transfer.services import preview
from tests.conftest import World, client_for
from tests.test_report import _worker
from tests.transfer.test_import import GOOD, HEAD, csv_bytes, xlsx

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2023, 11, 20, 12, tzinfo=dt.UTC)


def _upload(client, kind: str, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("import_list"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


@time_machine.travel(NOW, tick=False)
def test_upload_preview_import_and_undo_as_the_coach(world: World) -> None:
    client = client_for(world.coach)
    page = client.get(reverse("import_list")).content.decode()
    # No kind is preselected: the coach says what the file holds.
    assert '<option value="" selected>Välj …</option>' in page
    assert "Mall: Deltagare och placeringar (.xlsx)" in page
    assert "Organisationer och avtal" not in page  # the manager's kind
    bad = [HEAD, *GOOD, ["NST-04", "Okänd förening", "2023-10-02", "", "", "", ""]]
    response = _upload(client, "placements", "lista.xlsx", xlsx(bad))
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "import_detail", args=[record.pk]
    )
    assert record.file_name == "lista.xlsx" and record.status == ImportStatus.PREVIEWED
    page = client.get(response.url).content.decode()
    assert "lista.xlsx" in page and "3 nya, 0 ändrade, 0 oförändrade, 1 avvisade." in page
    assert "lista.xlsx, blad Placeringar, rad 5, kolumn Organisation: Okänd förening" in page
    assert "Importera alla" not in page  # nothing can be imported while a row is refused
    # Posting the import anyway queues it, and the worker writes nothing and says why.
    client.post(reverse("import_commit", args=[record.pk]))
    _worker()
    assert not Participant.objects.filter(code__startswith="NST-").exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    page = client.get(reverse("import_detail", args=[record.pk])).content.decode()
    assert "Inget importerades" in page
    client.post(reverse("import_discard", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.DISCARDED and record.content is None

    _upload(client, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    record = ImportRecord.objects.get(status=ImportStatus.PREVIEWED)
    page = client.get(reverse("import_detail", args=[record.pk])).content.decode()
    assert "Importera alla 3 rader" in page
    response = client.post(reverse("import_commit", args=[record.pk]), follow=True)
    # The import is queued: the page follows it, then the worker writes every row.
    page = response.content.decode()
    assert "Importeras" in page and reverse("import_status", args=[record.pk]) in page
    assert not Participant.objects.filter(code__startswith="NST-").exists()
    status = client.get(reverse("import_status", args=[record.pk])).json()
    assert status["status"] == "running"
    # Queued once: posting again does not queue it twice.
    client.post(reverse("import_commit", args=[record.pk]))
    _worker()
    assert client.get(reverse("import_status", args=[record.pk])).json() == {
        "status": "done",
        "progress": 100,
        "step": "",
    }
    page = client.get(reverse("import_detail", args=[record.pk])).content.decode()
    assert "Importerat: 3 nya, 0 ändrade, 0 oförändrade rader." in page
    assert Participant.objects.filter(code__startswith="NST-").count() == 3
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED and record.content is None
    assert ParticipantAccess.objects.filter(page="import_placements").count() == 3

    _upload(client, "placements", "lista.xlsx", xlsx([HEAD, *GOOD]))
    second = ImportRecord.objects.get(status=ImportStatus.PREVIEWED)
    page = client.get(reverse("import_detail", args=[second.pk])).content.decode()
    assert "0 nya, 0 ändrade, 3 oförändrade, 0 avvisade." in page

    response = client.post(reverse("import_undo", args=[record.pk]), follow=True)
    assert "Importen ångrades" in response.content.decode()
    assert not Participant.objects.filter(code__startswith="NST-").exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.UNDONE and record.undone_by == world.coach


def test_a_template_has_the_kind_s_columns_and_instructions(world: World) -> None:
    response = client_for(world.supervisor_rk).get(reverse("import_template", args=["attendance"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Närvaro", "Anvisningar"]
    headings = [c.value for c in workbook["Närvaro"][1]]
    assert headings == [
        "Deltagare *",
        "Organisation",
        "Datum *",
        "Närvaro *",
        "Timmar",
        "Frånvaroorsak",
    ]
    assert workbook["Närvaro"].max_row == 1  # no example rows to import by mistake
    # The template, filled in, imports as it is (the "*" of a heading is not part of its name).
    workbook["Närvaro"].append(["OST-17", None, "2023-05-02", "ja", "6", None])
    filled = io.BytesIO()
    workbook.save(filled)
    planned = preview(
        KINDS["attendance"],
        name="mall.xlsx",
        content=filled.getvalue(),
        municipality=world.ostersund,
        user=world.supervisor_rk,
        today=dt.date(2023, 11, 20),
    )
    assert planned.messages() == [] and planned.counts["new"] == 1
    assert (
        client_for(world.supervisor_rk)
        .get(reverse("import_template", args=["placements"]))
        .status_code
        == 404
    )  # a supervisor does not import placements


@time_machine.travel(NOW, tick=False)
def test_a_supervisor_imports_attendance_and_sees_only_their_own_imports(world: World) -> None:
    rows = [["Deltagare", "Datum", "Närvaro"], ["OST-17", "2023-05-02", "ja"]]
    client = client_for(world.supervisor_rk)
    _upload(client, "attendance", "vecka.csv", csv_bytes(rows))
    mine = ImportRecord.objects.get()
    client.post(reverse("import_commit", args=[mine.pk]))
    _worker()
    assert Attendance.objects.filter(placement=world.placement("OST-17")).count() == 1
    # Another supervisor, of another organisation, neither lists nor opens it.
    other = client_for(world.supervisor_hf)
    assert "vecka.csv" not in other.get(reverse("import_list")).content.decode()
    assert other.get(reverse("import_detail", args=[mine.pk])).status_code == 404
    assert other.post(reverse("import_undo", args=[mine.pk])).status_code == 404
    # A kind the role may not import is refused at upload.
    response = _upload(client, "placements", "lista.csv", csv_bytes([HEAD, GOOD[0]]))
    assert response.status_code == 200 and ImportRecord.objects.count() == 1
    # The analyst and the log reviewer import nothing.
    for user in (world.analyst, world.reviewer):
        assert client_for(user).get(reverse("import_list")).status_code == 403


def test_an_empty_form_says_what_is_missing_and_records_nothing(world: World) -> None:
    response = client_for(world.coach).post(reverse("import_list"), {})
    assert response.status_code == 200
    assert response.content.decode().count('class="field-error"') == 2
    assert not ImportRecord.objects.exists()


def test_the_menu_offers_import_to_exactly_the_roles_of_the_kinds() -> None:
    from platsa.common.permissions import IMPORT_ACTIONS

    assert {k.action for k in KINDS.values()} == set(IMPORT_ACTIONS)
