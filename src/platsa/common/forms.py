"""Form helpers shared by the apps' views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from platsa.common.numbers import NumberError, swedish_decimal


def attach_errors(form: forms.Form, exc: Any, *, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on its field where the form has it, else on
    the form as a whole (never lost)."""
    if not hasattr(exc, "error_dict"):  # a message for the whole form
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, messages)


def _looks_like_a_key(value: object) -> bool:
    """A primary key as a form posts it: digits, short enough for the database's integers."""
    return isinstance(value, str | int) and str(value).isdigit() and len(str(value)) <= 18


class SafeModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one row that refuses a value no key could be, before asking the database
    (a 20-digit id overflows its integers and used to cost a server error)."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if not _looks_like_a_key(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several rows, with the same check of every value."""

    def _check_values(self, value: Any) -> Any:
        for v in value:
            if not _looks_like_a_key(v):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(v)[:20]},
                )
        return super()._check_values(value)


class SwedishDecimalField(forms.DecimalField):
    """A number as people write it in Swedish (``common.numbers.swedish_decimal``): a decimal
    comma or point, spaces between the thousands, a trailing ``kr``: ``10 250``, ``22,02``."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                number = swedish_decimal(value)
            except NumberError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            value = "" if number is None else str(number)
        return super().to_python(value)
