"""Preview, import and undo a spreadsheet: all or nothing, every time.

``preview`` reads the file and plans every row without writing; ``commit`` plans it again inside
one transaction (the database may have changed since the preview) and saves only if no row is
refused, recording every row it created or changed; ``undo`` puts those rows back as they were,
unless something has changed or been added to them since, in which case nothing is undone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, User
from platsa.placements.access import access_write
from platsa.placements.models import AttendanceChange, Participant
from platsa.transfer.kinds import Kind
from platsa.transfer.models import ChangeAction, ImportChange, ImportRecord, ImportStatus
from platsa.transfer.plans import Context, Refused, RowPlan, dump, load_value, validate
from platsa.transfer.reading import FileError, header_key, read_table

STATUSES = ("new", "changed", "unchanged", "refused")


@dataclass
class Preview:
    kind: Kind
    file: str
    digest: str
    sheet: str = ""
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.status for row in self.rows)
        return {status: counted.get(status, 0) for status in STATUSES}

    @property
    def refused(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.refused

    def where(self, row: RowPlan, column: str) -> str:
        """File, sheet, row and column, as a person finds them in a spreadsheet."""
        parts = [self.file]
        if self.sheet:
            parts.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        parts.append(_("row %(row)s") % {"row": row.number})
        if column:
            parts.append(_("column %(column)s") % {"column": column})
        return ", ".join(parts)

    def messages(self) -> list[str]:
        lines = [f"{self.file}: {error}" for error in self.file_errors]
        for row in self.refused:
            for error in row.errors:
                lines.append(f"{self.where(row, error.column)}: {error.message}")
        return lines


class ImportRefused(Exception):
    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        super().__init__("\n".join(preview.messages()))


class UndoRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def digest_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def preview(
    kind: Kind,
    *,
    name: str,
    content: bytes,
    municipality: Municipality,
    user: User | None,
    today: dt.date,
) -> Preview:
    """Plan every row of the file; nothing is written."""
    result = Preview(kind, name, digest_of(content))
    try:
        table = read_table(name, content, sheet=kind.sheet)
    except FileError as exc:
        result.file_errors.append(exc.message)
        return result
    result.sheet, result.notes = table.sheet, list(table.notes)
    headers = {header_key(h) for h in table.headers if h}
    present: set[str] = set()
    known: set[str] = set()
    for column in kind.columns:
        names = {header_key(column.header), *(header_key(a) for a in column.aliases)}
        known |= names
        if names & headers:
            present.add(column.name)
        elif column.required:
            result.file_errors.append(
                _("the column %(column)s is missing; the template has every column")
                % {"column": column.header}
            )
    unused = [h for h in table.headers if h and header_key(h) not in known]
    if unused:
        result.notes.append(
            _("Not read (not a column of this kind): %(columns)s") % {"columns": ", ".join(unused)}
        )
    if result.file_errors:
        return result
    if not table.rows:
        result.file_errors.append(_("has column headings but no rows"))
        return result
    ctx = Context(municipality, user, today)
    for number, cells in table.rows:
        plan = RowPlan(number)
        values = kind.read(plan, cells, present)
        if not plan.errors:
            try:
                kind.plan_row(ctx, plan, values)
            except Refused:
                pass
        if not plan.errors:
            for op in plan.ops:
                validate(plan, op)
        plan.changed_columns = sorted(
            {op.columns.get(name, name) for op in plan.ops if not op.side for name in op.changed}
        )
        result.rows.append(plan)
    return result


def commit(
    kind: Kind,
    *,
    name: str,
    content: bytes,
    municipality: Municipality,
    user: User,
    today: dt.date,
    address: str | None = None,
    record: ImportRecord | None = None,
) -> ImportRecord:
    """Import the file: every row or none. Raises :class:`ImportRefused` if any row is refused."""
    with transaction.atomic():
        # One import at a time per municipality: the plan must still hold when it is saved.
        list(Municipality.objects.select_for_update().filter(pk=municipality.pk).values("pk"))
        planned = preview(
            kind, name=name, content=content, municipality=municipality, user=user, today=today
        )
        if not planned.ok:
            raise ImportRefused(planned)
        if record is None:
            record = ImportRecord(municipality=municipality, kind=kind.code, created_by=user)
        record.file_name, record.digest = name[:255], planned.digest
        record.status, record.content = ImportStatus.COMMITTED, None
        record.counts, record.committed_at = planned.counts, timezone.now()
        record.save()
        changes: list[ImportChange] = []
        participants: set[int] = set()
        for plan in planned.rows:
            for op in plan.ops:
                if not op.created and not op.changed:
                    continue
                op.obj.save()
                if op.history is not None:
                    AttendanceChange.objects.create(
                        attendance=op.obj, changed_by=user, before=op.history
                    )
                if isinstance(op.obj, Participant):
                    participants.add(op.obj.pk)
                changes.append(
                    ImportChange(
                        record=record,
                        position=len(changes),
                        model=op.obj._meta.label_lower,
                        object_id=op.obj.pk,
                        action=ChangeAction.CREATED if op.created else ChangeAction.UPDATED,
                        before=None if op.created else op.before,
                        after=dump(op.obj, op.keys if op.created else list(op.before)),
                        row=plan.number,
                    )
                )
            participants |= plan.participant_ids
        ImportChange.objects.bulk_create(changes)
        if kind.personal and participants:
            access_write(
                user=user,
                notes={pk: municipality.pk for pk in participants},
                page=f"import_{kind.code}",
                changed=True,
                address=address,
            )
    return record


def _dependents(obj: object) -> int:
    """How many other rows deleting ``obj`` would take with it (attendance, meetings…)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])  # type: ignore[list-item]
    count = sum(len(objs) for objs in collector.data.values()) - 1
    for qs in collector.fast_deletes:
        count += qs.count()  # type: ignore[union-attr]
    return count


def undo(record: ImportRecord, *, user: User, address: str | None = None) -> ImportRecord:
    """Put back every row the import created or changed, or refuse and change nothing."""
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if record.status != ImportStatus.COMMITTED:
            raise UndoRefused([_("This import is not in force: nothing to undo.")])
        problems: list[str] = []
        failed_rows: set[int | None] = set()  # one problem per row of the file is enough
        participants: set[int] = set()
        for change in record.changes.order_by("-position"):
            if change.row in failed_rows:
                continue
            model = apps.get_model(change.model)
            label = str(model._meta.verbose_name)
            where = _("Row %(row)s (%(what)s)") % {"row": change.row, "what": label}
            obj = model._default_manager.filter(pk=change.object_id).first()
            if obj is None:
                problems.append(where + ": " + _("it has been removed since the import."))
                failed_rows.add(change.row)
                continue
            if dump(obj, change.after) != change.after:
                problems.append(where + ": " + _("it has been changed since the import."))
                failed_rows.add(change.row)
                continue
            if isinstance(obj, Participant):
                participants.add(obj.pk)
            elif hasattr(obj, "participant_id"):
                participants.add(obj.participant_id)
            if change.action == ChangeAction.CREATED:
                try:
                    extra = _dependents(obj)
                except (ProtectedError, RestrictedError):
                    extra = 1
                if extra:
                    problems.append(where + ": " + _("data has been added to it since the import."))
                    failed_rows.add(change.row)
                    continue
                obj.delete()
            else:
                for name, value in (change.before or {}).items():
                    load_value(obj, name, value)
                obj.save(update_fields=[obj._meta.get_field(n).name for n in change.before or {}])
        if problems:
            raise UndoRefused(problems)
        record.status, record.undone_at, record.undone_by = (
            ImportStatus.UNDONE,
            timezone.now(),
            user,
        )
        record.save(update_fields=["status", "undone_at", "undone_by"])
        if participants and record.kind != "agreements":
            access_write(
                user=user,
                notes={pk: record.municipality_id for pk in participants},
                page=f"import_undo_{record.kind}",
                changed=True,
                address=address,
            )
    return record
