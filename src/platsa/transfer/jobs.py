"""An import in the background: the page queues it, ``platsa worker`` writes it (every row or
none, as ``services.commit``), and the page follows it until it is done."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from platsa.common.clock import today
from platsa.transfer.kinds import KINDS
from platsa.transfer.models import ImportRecord, ImportStatus
from platsa.transfer.services import ImportRefused, commit

log = logging.getLogger(__name__)


def import_queue(record: ImportRecord, *, user: object, address: str | None) -> None:
    """Queue the previewed file's import. The task's row is written in the same transaction as
    the record's new status, so the worker sees both or neither."""
    record.status, record.queued_by, record.queued_from = ImportStatus.QUEUED, user, address
    record.progress, record.step, record.error = 0, _("Waiting for its turn"), ""
    record.save(update_fields=["status", "queued_by", "queued_from", "progress", "step", "error"])
    import_file.enqueue(record.pk)


@task()
def import_file(record_id: int) -> None:
    record = (
        ImportRecord.objects.select_related("municipality", "queued_by")
        .filter(pk=record_id, status=ImportStatus.QUEUED)
        .first()
    )
    if record is None:
        return  # discarded, or already imported by another worker
    assert record.municipality is not None and record.queued_by is not None
    record.progress, record.step = 10, _("Checking the rows again and writing them")
    record.save(update_fields=["progress", "step"])
    try:
        commit(
            KINDS[record.kind],
            name=record.file_name,
            content=bytes(record.content or b""),
            municipality=record.municipality,
            user=record.queued_by,
            today=today(),
            address=record.queued_from,
            record=record,
        )
    except ImportRefused:
        _stopped(record, _("Nothing was imported: some rows are refused. Correct the file and "
                           "upload it again."))  # fmt: skip
        return
    except Exception:
        log.exception("import %s failed", record_id)  # the record's id only: no one's data
        _stopped(record, _("The import failed and nothing was written. Try again, or ask the "
                           "administrator to look at the server's log."))  # fmt: skip
        return
    record.progress, record.step = 100, ""
    record.save(update_fields=["progress", "step"])


def _stopped(record: ImportRecord, message: str) -> None:
    """Back to the preview, with why: the file is still there to look at or discard."""
    record.refresh_from_db()
    record.status, record.progress, record.step, record.error = (
        ImportStatus.PREVIEWED,
        0,
        "",
        message[:300],
    )
    record.save(update_fields=["status", "progress", "step", "error"])
