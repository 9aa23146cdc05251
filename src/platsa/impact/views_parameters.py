"""The municipality's own parameter values: its social assistance a month, its tax rates, the
share of a tax krona it keeps, the salary it assumes. Every aggregate role sees what the figures
are computed with; the manager and the administrator enter a dated value with its source, or
remove one of their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from platsa.accounts.models import Municipality, RegionShare, User
from platsa.common.clock import today
from platsa.common.forms import SwedishDecimalField
from platsa.common.http import posted
from platsa.common.permissions import can, require
from platsa.common.templatetags.platsa import sek
from platsa.engine.parameters import ParameterError, ParameterSet
from platsa.impact.jobs import refresh_figures
from platsa.impact.models import MUNICIPAL_PARAMETERS, ParameterValue
from platsa.impact.parameters import bounds, municipality_parameters, own_values

#: How far ahead a value may be dated: next year's budget figure, not a guess a decade out.
AHEAD_DAYS = 2 * 366


def shown(value: float | Decimal, unit: str) -> str:
    """A value as the page writes it: a share in per cent (``22,02 %``), an amount in kronor."""
    if unit == "share":
        text = f"{float(value) * 100:.4f}".rstrip("0").rstrip(".")
        return f"{text.replace('.', ',')}\u00a0%"
    return sek(value)


class ParameterValueForm(forms.Form):
    name = forms.ChoiceField(label=gettext_lazy("Parameter"))
    effective_from = forms.DateField(
        label=gettext_lazy("Applies from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    value = SwedishDecimalField(
        label=gettext_lazy("Value"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        max_digits=12,
        decimal_places=4,
        help_text=gettext_lazy("A rate or share in per cent (22,02), an amount in kronor a month."),
    )
    reference = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=255,
        help_text=gettext_lazy("Where the figure comes from: a decision, a budget, a statistic."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, parameters: ParameterSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parameters = parameters
        self.fields["name"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (n, parameters.get(n).description) for n in MUNICIPAL_PARAMETERS
        ]

    def clean_effective_from(self) -> dt.date:
        day: dt.date = self.cleaned_data["effective_from"]
        if day < dt.date(2000, 1, 1):
            raise forms.ValidationError(_("Choose a day in the years 2000–2100."))
        if day > today() + dt.timedelta(days=AHEAD_DAYS):
            raise forms.ValidationError(_("A value may be dated at most two years ahead."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, value = data.get("name"), data.get("value")
        if name and value is not None:
            unit = self.parameters.get(name).unit
            low, high = bounds(unit)
            stored = value / 100 if unit == "share" else value
            if not low < float(stored) <= high:
                self.add_error(
                    "value",
                    _("A rate or share is more than 0 and at most 100 per cent.")
                    if unit == "share"
                    else _("An amount is more than 0 and at most 200 000 kronor a month."),
                )
            else:
                data["stored"] = stored
        return data


@dataclass(frozen=True)
class Row:
    """One dated value of a parameter, shipped or the municipality's own."""

    effective_from: dt.date
    value: str
    reference: str
    note: str
    own: ParameterValue | None


@dataclass(frozen=True)
class ParameterRow:
    name: str
    description: str
    unit: str
    today: Row | None
    history: list[Row]
    #: Shipped values dated after one of the municipality's own: each takes over from its day
    #: (a dated value applies until the next one, whoever's), which the page points out.
    shipped_after_own: list[Row]


def _table(municipality: Municipality, on: dt.date) -> list[ParameterRow]:
    parameters = municipality_parameters(municipality)
    own = {(v.name, v.effective_from): v for v in own_values(municipality)}
    out = []
    for name in MUNICIPAL_PARAMETERS:
        parameter = parameters.get(name)
        rows = []
        for v in parameter.values:
            mine = own.get((name, v.effective_from))
            rows.append(
                Row(
                    v.effective_from,
                    shown(v.value, parameter.unit),
                    mine.reference if mine else v.reference,  # whose it is has its own column
                    v.note,
                    mine,
                )
            )
        try:
            in_force = parameter.at(on)
        except ParameterError:
            current = None
        else:
            current = next(r for r in rows if r.effective_from == in_force.effective_from)
        first_own = min((r.effective_from for r in rows if r.own), default=None)
        after = [r for r in rows if not r.own and first_own and r.effective_from > first_own]
        out.append(
            ParameterRow(name, parameter.description, parameter.unit, current, rows[::-1], after)
        )
    return out


def _refresh_regional(municipality_id: int) -> None:
    """The regional figures keep the parameters' digest: refresh them within minutes."""
    if RegionShare.objects.filter(municipality_id=municipality_id).exists():
        transaction.on_commit(lambda: refresh_figures.enqueue(municipality_id))


@login_required
@require_http_methods(["GET", "POST"])
def municipal_parameters(request: HttpRequest) -> HttpResponse:
    user: User = require(request.user, "view_aggregates")
    municipality = user.municipality
    assert municipality is not None
    may_set = can(user, "set_parameters")
    if request.method == "POST" and not may_set:
        raise PermissionDenied
    parameters = municipality_parameters(municipality)
    form = ParameterValueForm(posted(request), parameters=parameters) if may_set else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                ParameterValue.objects.create(
                    municipality=municipality,
                    name=data["name"],
                    effective_from=data["effective_from"],
                    value=data["stored"],
                    reference=data["reference"].strip(),
                    note=data["note"].strip(),
                    recorded_by=user,
                )
                _refresh_regional(municipality.pk)
        except IntegrityError:
            form.add_error(
                "effective_from",
                _(
                    "The municipality already has a value of this parameter from this day: "
                    "remove it first."
                ),
            )
        else:
            messages.success(
                request,
                _("Saved: the figures are computed with it from %(day)s on.")
                % {"day": data["effective_from"].isoformat()},
            )
            return redirect("municipal_parameters")
    return render(
        request,
        "impact/parameters.html",
        {
            "form": form,
            "may_set": may_set,
            "rows": _table(municipality, today()),
            "today": today(),
        },
    )


@login_required
@require_POST
def municipal_parameter_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = require(request.user, "set_parameters")
    value = get_object_or_404(ParameterValue, pk=pk, municipality_id=user.municipality_id)
    with transaction.atomic():
        value.delete()
        _refresh_regional(value.municipality_id)
    messages.success(
        request,
        _("Removed: the value from %(day)s no longer counts.")
        % {"day": value.effective_from.isoformat()},
    )
    return redirect("municipal_parameters")
