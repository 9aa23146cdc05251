"""Import pages: upload a file, see the preview row by row, import it whole, undo it whole;
a template per kind to download."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from platsa.accounts.models import Role, User
from platsa.common.clock import today
from platsa.common.http import client_address, posted
from platsa.common.permissions import can
from platsa.common.sheets import XLSX
from platsa.placements.access import access_note_list
from platsa.transfer.forms import UploadForm
from platsa.transfer.jobs import import_queue
from platsa.transfer.kinds import KINDS, Kind
from platsa.transfer.models import ImportRecord, ImportStatus
from platsa.transfer.services import (
    Preview,
    UndoRefused,
    digest_of,
    preview,
    undo,
)
from platsa.transfer.workbooks import template_workbook

#: Rows shown on the preview besides the refused ones (all of which are shown).
SHOWN = 300


def status_labels() -> dict[str, str]:
    return {
        "new": _("New"),
        "changed": _("Changed"),
        "unchanged": _("Unchanged"),
        "refused": _("Refused"),
    }


def kinds_for(user: User) -> list[Kind]:
    return [k for k in KINDS.values() if can(user, k.action)]


def may_import(user: User) -> bool:
    return bool(user.is_authenticated and kinds_for(user))


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_import(user):
        raise PermissionDenied
    return user


def record_list_for_user(user: User) -> QuerySet[ImportRecord]:
    """Imports the user may see: their municipality's, of the kinds their role may import;
    a supervisor sees only their own."""
    qs = ImportRecord.objects.filter(
        municipality_id=user.municipality_id, kind__in=[k.code for k in kinds_for(user)]
    )
    if user.role == Role.SUPERVISOR:
        qs = qs.filter(created_by=user)
    return qs.select_related("created_by", "undone_by")


def record_get_for_user(user: User, pk: int) -> ImportRecord:
    try:
        return record_list_for_user(user).get(pk=pk)
    except ImportRecord.DoesNotExist:
        raise Http404 from None


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    kinds = kinds_for(user)
    form = UploadForm(
        posted(request), request.FILES or None, kinds=[(k.code, str(k.title)) for k in kinds]
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        record = ImportRecord.objects.create(
            municipality_id=user.municipality_id,
            kind=form.cleaned_data["kind"],
            file_name=(upload.name or "fil")[:255],
            digest=digest_of(content),
            content=content,
            created_by=user,
        )
        return redirect("import_detail", pk=record.pk)
    return render(
        request,
        "transfer/import_list.html",
        {
            "form": form,
            "kinds": kinds,
            "records": record_list_for_user(user).exclude(status=ImportStatus.DISCARDED)[:50],
        },
    )


def _preview_of(record: ImportRecord, user: User) -> Preview:
    assert record.municipality is not None
    return preview(
        KINDS[record.kind],
        name=record.file_name,
        content=bytes(record.content or b""),
        municipality=record.municipality,
        user=user,
        today=today(),
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = record_get_for_user(user, pk)
    planned = None
    if record.status == ImportStatus.PREVIEWED:
        planned = _preview_of(record, user)
        if KINDS[record.kind].personal:
            access_note_list(user)  # the preview lists participants' codes and dates
    changes = None
    if record.status == ImportStatus.COMMITTED:
        changes = record.changes.count()
    rows: list[dict[str, object]] = []
    refusals: list[str] = []
    if planned is not None:
        shown = [r for r in planned.rows if r.errors]
        shown += [r for r in planned.rows if not r.errors][: max(0, SHOWN - len(shown))]
        labels = status_labels()
        rows = [
            {
                "number": r.number,
                "status": r.status,
                "status_label": labels[r.status],
                "label": r.label,
                "errors": r.errors,
                "changed_columns": r.changed_columns,
            }
            for r in sorted(shown, key=lambda r: r.number)
        ]
        refusals = [
            planned.where(r, e.column) + ": " + e.message for r in planned.refused for e in r.errors
        ]
    return render(
        request,
        "transfer/import_detail.html",
        {
            "record": record,
            "kind": KINDS[record.kind],
            "preview": planned,
            "rows": rows,
            "refusals": refusals,
            "hidden_rows": len(planned.rows) - len(rows) if planned is not None else 0,
            "changes": changes,
            "may_undo": record.status == ImportStatus.COMMITTED,
        },
    )


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the import; the worker writes it and the page follows it."""
    user = _user(request)
    with transaction.atomic():
        record = record_get_for_user(user, pk)
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != ImportStatus.PREVIEWED:
            messages.error(request, _("This file has already been imported or discarded."))
            return redirect("import_detail", pk=record.pk)
        import_queue(record, user=user, address=client_address(request))
    return redirect("import_detail", pk=record.pk)


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    """How far the import has come, for the page to follow (static/platsa/job.js)."""
    record = record_get_for_user(_user(request), pk)
    if record.status == ImportStatus.QUEUED:
        status = "running"
    elif record.status == ImportStatus.PREVIEWED:
        status = "failed" if record.error else "previewed"
    else:
        status = "done"
    return JsonResponse({"status": status, "progress": record.progress, "step": record.step})


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = record_get_for_user(user, pk)
    if record.status == ImportStatus.PREVIEWED:
        record.status, record.content = ImportStatus.DISCARDED, None
        record.save(update_fields=["status", "content"])
        messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect("import_list")


@login_required
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = record_get_for_user(user, pk)
    try:
        undo(record, user=user, address=client_address(request))
    except UndoRefused as exc:
        for problem in exc.problems[:20]:
            messages.error(request, problem)
        messages.error(request, _("Nothing was undone."))
        return redirect("import_detail", pk=record.pk)
    messages.success(request, _("The import was undone: every row is as it was before."))
    return redirect("import_detail", pk=record.pk)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    if kind not in {k.code for k in kinds_for(user)}:
        raise Http404
    out = io.BytesIO()
    template_workbook(KINDS[kind]).save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="platsa-mall-{kind}.xlsx"'
    return response
