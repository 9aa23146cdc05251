"""Exports a municipality must deliver: the year's figures (annual follow-up) and the
participation extract, each as Excel or CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.permissions import can
from platsa.common.sheets import download
from platsa.transfer.exports import participation_rows, year_figures, year_table

FORMATS = [("xlsx", "Excel (.xlsx)"), ("csv", "CSV")]


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMATS)


class ParticipationForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMATS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end is before the start."))
            elif (end - start).days > 3660:
                self.add_error("end", _("Choose a period of at most ten years."))
            elif not (dt.date(2000, 1, 1) <= start and end <= dt.date(2100, 12, 31)):
                self.add_error("start", _("Choose dates within the years 2000–2100."))
        return data


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not (
        can(user, "view_aggregates") or can(user, "export_participation")
    ):
        raise PermissionDenied
    return user


@login_required
def exports(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    on = today()
    year_form = YearForm(request.GET if "year" in request.GET else None)
    part_form = ParticipationForm(request.GET if "start" in request.GET else None)
    figures = None
    if can(user, "view_aggregates") and year_form.is_bound and year_form.is_valid():
        year = year_form.cleaned_data["year"]
        if dt.date(year, 1, 1) > on:
            year_form.add_error("year", _("The year has not begun."))
        else:
            figures = year_figures(user, year=year, today=on)
            if request.GET.get("download"):
                return download(
                    year_table(figures),
                    name=f"arsuppfoljning-{year}",
                    fmt=year_form.cleaned_data["format"],
                    sheet=_("Annual follow-up %(year)s") % {"year": year},
                )
    if can(user, "export_participation") and part_form.is_bound and part_form.is_valid():
        data = part_form.cleaned_data
        rows = participation_rows(user, start=data["start"], end=data["end"])
        table: list[list[Any]] = [
            [
                _("Participant code"),
                _("Organisation"),
                _("Start"),
                _("End"),
                _("Reason for ending"),
                _("Code"),
            ]
        ]
        table += [
            [r.code, r.organisation, r.start, r.end or "", r.destination_label, r.destination]
            for r in rows
        ]
        return download(
            table,
            name=f"deltagande-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}",
            fmt=data["format"],
            sheet=_("Participation"),
        )
    table = year_table(figures) if figures is not None else None
    return render(
        request,
        "transfer/exports.html",
        {
            "year_form": year_form if can(user, "view_aggregates") else None,
            "part_form": part_form if can(user, "export_participation") else None,
            "figures": figures,
            "head": table[0] if table else None,
            "body": [list(zip(table[0], row, strict=True)) for row in table[1:]] if table else None,
        },
    )
