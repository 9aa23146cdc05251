"""Cells as Swedish spreadsheets write them: ``2023-05-10``, ``1 234,50``, ``ja``/``nej``, the
labels of a choice in Swedish or English. Each parser takes what a cell holds (text from a CSV
file, or a number, date or text from an Excel sheet) and returns the value or raises
:class:`CellError` with a message that says what was expected."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from platsa.common.numbers import NumberError, swedish_decimal


class CellError(ValueError):
    """A cell that cannot be read; the message is for the person who wrote the file."""


def text(value: Any) -> str:
    """A cell as text: empty cells are ``""``; whole numbers from Excel lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellError(_("expected a date, got a date and time"))
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        return None
    match = _DATE.match(raw)
    if match is None:
        raise CellError(_("%(value)s is not a date; write it as 2023-05-10") % {"value": raw[:40]})
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(_("%(value)s is not a date in the calendar") % {"value": raw}) from None
    if not 2000 <= day.year <= 2100:
        raise CellError(_("%(value)s is outside the years 2000–2100") % {"value": raw})
    return day


def decimal(value: Any) -> Decimal | None:
    """``1 234,50``, ``1234.5``, ``1 234`` (a no-break space as Excel writes it) or a number."""
    if isinstance(value, bool):
        raise CellError(_("expected a number"))
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("expected a number"))
        return Decimal(str(value))
    try:
        number = swedish_decimal(text(value))
    except NumberError as exc:
        message = (
            _("%(value)s: write a number as 1234,50")
            if exc.mixed
            else _("%(value)s is not a number; write it as 1234,50")
        )
        raise CellError(message % {"value": text(value)[:40]}) from None
    if number is None:
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise CellError(_("%(value)s is not a number we can use") % {"value": text(value)[:40]})
    return number


def whole(value: Any) -> int | None:
    number = decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("%(value)s is not a whole number") % {"value": text(value)})
    return int(number)


def percent(value: Any) -> int | None:
    """``75``, ``75 %`` or, from Excel's percent format, ``0.75``."""
    if isinstance(value, float) and 0 < value <= 1:
        value = value * 100
    raw = text(value).removesuffix("%").strip() if isinstance(value, str) else value
    return whole(raw)


_YES = {"ja", "j", "yes", "x", "1", "sant", "true"}
_NO = {"nej", "n", "no", "0", "falskt", "false"}


def yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = text(value).casefold()
    if not raw:
        return None
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(_("%(value)s: write ja or nej") % {"value": text(value)[:40]})


def choice(
    choices: type[TextChoices], aliases: dict[str, str] | None = None
) -> Callable[[Any], str]:
    """A parser for one of ``choices``, by its code or its label in Swedish or English."""
    known: dict[str, str] = {}

    def table() -> dict[str, str]:
        # Built on first use: labels translate only once the apps are loaded.
        if not known:
            for code, label in choices.choices:
                known[code.casefold()] = code
                for language in ("en", "sv"):
                    with translation.override(language):
                        known[str(label).casefold()] = code
            for alias, code in (aliases or {}).items():
                known[alias.casefold()] = code
        return known

    def parse(value: Any) -> str:
        raw = text(value)
        if not raw:
            return ""
        code = table().get(raw.casefold().rstrip("."))
        if code is None:
            labels = [str(label) for _code, label in choices.choices]
            raise CellError(
                _("%(value)s is not one of: %(labels)s")
                % {"value": raw[:60], "labels": "; ".join(labels)}
            )
        return str(code)

    return parse
