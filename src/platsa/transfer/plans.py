"""The building blocks of an import: the columns a kind reads, the planned change to one
database row (an :class:`Op`), and the plan for one row of the file (a :class:`RowPlan`).

Planning writes nothing: it finds each row's objects by their natural keys, sets the file's
values on them in memory, validates them as a form would and says what would change. The same
plan, made again inside the import's transaction, is what gets saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from platsa.accounts.models import Municipality, User


@dataclass(frozen=True)
class Column:
    header: str  # as in the template; files are matched without regard to case
    name: str  # the key the kind reads
    parse: Callable[[Any], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""  # the template's instructions sheet
    example: Any = None


@dataclass
class Op:
    """One database row to create or change."""

    obj: models.Model
    created: bool
    keys: list[str]  # the fields the import sets (and checks again before undoing)
    before: dict[str, Any]  # for a change: the changed fields as they were
    columns: dict[str, str] = field(default_factory=dict)  # model field → column header
    #: Comes with the row's object (a place of a new agreement, a planned check): not counted.
    side: bool = False
    exclude: list[str] = field(default_factory=list)  # fields not to validate
    #: For a changed attendance day: what it said before, for its correction history.
    history: dict[str, Any] | None = None

    @property
    def changed(self) -> list[str]:
        return list(self.before) if not self.created else []


RowStatus = str  # "new" | "changed" | "unchanged" | "refused"


@dataclass
class RowError:
    column: str
    message: str


@dataclass
class RowPlan:
    number: int
    label: str = ""
    errors: list[RowError] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    changed_columns: list[str] = field(default_factory=list)
    participant_ids: set[int] = field(default_factory=set)

    @property
    def status(self) -> RowStatus:
        if self.errors:
            return "refused"
        if any(op.created for op in self.ops if not op.side):
            return "new"
        if any(op.changed for op in self.ops if not op.side):
            return "changed"
        return "unchanged"

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(column, message))


class Refused(Exception):
    """Raised inside a kind's planning to refuse the row at once."""


T = TypeVar("T")


@dataclass
class Context:
    municipality: Municipality
    user: User | None
    today: dt.date
    cache: dict[Any, Any] = field(default_factory=dict)
    seen: dict[Any, int] = field(default_factory=dict)  # natural key → first row number

    def cached(self, key: Any, load: Callable[[], T]) -> T:
        """What ``load`` gives, loaded once per import (planning reads, never writes)."""
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]  # type: ignore[no-any-return]


def dump_value(obj: models.Model, name: str) -> Any:
    f = obj._meta.get_field(name)
    value = getattr(obj, f.attname)  # type: ignore[union-attr]
    if value is None:
        return None
    if isinstance(f, models.DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-(f.decimal_places or 0))))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def dump(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: dump_value(obj, name) for name in names}


def load_value(obj: models.Model, name: str, value: Any) -> None:
    f = obj._meta.get_field(name)
    setattr(obj, f.attname, None if value is None else f.to_python(value))  # type: ignore[union-attr]


#: ``upsert``'s default: look the row up by its lookup.
FIND = object()


def upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    existing: models.Model | None | object = FIND,
    columns: dict[str, str] | None = None,
) -> Op:
    """The op that makes the row at ``lookup`` hold ``values``: ``existing`` (None when the
    caller knows there is none; by default looked up in the database) changed in memory, or a
    new one. Nothing is saved."""
    obj = model._default_manager.filter(**lookup).first() if existing is FIND else existing
    assert obj is None or isinstance(obj, models.Model)
    if obj is None:
        obj = model(**lookup, **values)
        return Op(obj, True, [*lookup, *values], {}, columns or {})
    before = dump(obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    after = dump(obj, values)
    changed = {k: v for k, v in before.items() if after[k] != v}
    return Op(obj, False, list(values), changed, columns or {})


def _unsaved_relations(obj: models.Model) -> list[str]:
    cache = obj._state.fields_cache
    return [name for name, related in cache.items() if related is not None and related.pk is None]


def validate(plan: RowPlan, op: Op) -> None:
    """Validate the op's object as a form would; errors go to the row, under their column."""
    if not op.created and not op.changed:
        return
    try:
        op.obj.full_clean(
            exclude=[*_unsaved_relations(op.obj), *op.exclude],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = op.columns.get(name, "")
            for message in messages:
                plan.fail(column, message)
