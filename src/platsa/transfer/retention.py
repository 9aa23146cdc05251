"""How long an import keeps what it read: a previewed file a day, the means to undo it
``UNDO_DAYS``. After that an import stays in the list (who, when, which file's digest, the
counts) but its rows' values before and after are gone, so no participant's data outlives
the municipality's retention in an import record. The API's remembered answers to
``Idempotency-Key`` writes go after a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from platsa.accounts.models import Municipality
from platsa.transfer.models import IdempotentRequest, ImportChange, ImportRecord, ImportStatus

#: An import can be undone for this long; a preview waits a day for its import.
UNDO_DAYS = 90
PREVIEW_HOURS = 24
#: An Idempotency-Key is honoured this long: long enough for any client's retries.
IDEMPOTENCY_HOURS = 24


@dataclass(frozen=True)
class ImportPurge:
    previews: int  # previewed files discarded
    imports: int  # imports made final: no longer undoable


def _due(
    municipality: Municipality, now: dt.datetime
) -> tuple[QuerySet[ImportRecord], QuerySet[ImportRecord]]:
    previews = ImportRecord.objects.filter(
        municipality=municipality,
        status=ImportStatus.PREVIEWED,
        created_at__lt=now - dt.timedelta(hours=PREVIEW_HOURS),
    )
    imports = ImportRecord.objects.filter(
        municipality=municipality,
        status=ImportStatus.COMMITTED,
        committed_at__lt=now - dt.timedelta(days=UNDO_DAYS),
    )
    return previews, imports


def import_purge_plan(municipality: Municipality, *, now: dt.datetime) -> ImportPurge:
    previews, imports = _due(municipality, now)
    return ImportPurge(previews.count(), imports.count())


@transaction.atomic
def import_purge(municipality: Municipality, *, now: dt.datetime) -> ImportPurge:
    previews, imports = _due(municipality, now)
    n_previews = previews.update(status=ImportStatus.DISCARDED, content=None)
    ids = list(imports.values_list("pk", flat=True))
    ImportChange.objects.filter(record_id__in=ids).delete()
    # Undone imports keep no values either: they were put back already.
    undone = ImportRecord.objects.filter(municipality=municipality, status=ImportStatus.UNDONE)
    ImportChange.objects.filter(record__in=undone).delete()
    ImportRecord.objects.filter(pk__in=ids).update(status=ImportStatus.FINAL)
    # An API write's remembered answer (it holds a day's attendance) serves retries only.
    IdempotentRequest.objects.filter(
        token__user__municipality=municipality,
        created_at__lt=now - dt.timedelta(hours=IDEMPOTENCY_HOURS),
    ).delete()
    return ImportPurge(n_previews, len(ids))
