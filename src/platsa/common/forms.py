"""Form helpers shared by the apps' views."""

from __future__ import annotations

from typing import Any

from django import forms


def attach_errors(form: forms.Form, exc: Any, *, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on its field where the form has it, else on
    the form as a whole (never lost)."""
    for field, messages in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, messages)
