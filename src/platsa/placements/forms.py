from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from platsa.common.forms import SafeModelChoiceField
from platsa.common.labels import STATUS_LABELS
from platsa.engine.quality import PlacementStatus
from platsa.placements.models import ReviewOutcome
from platsa.procurement.models import Organisation


class PlacementFilterForm(forms.Form):
    organisation = SafeModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: object, organisations: QuerySet[Organisation], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (s.value, STATUS_LABELS[s]) for s in PlacementStatus
        ]


INDICATOR_YEARS = 3


def default_indicator_period(on: dt.date) -> tuple[dt.date, dt.date]:
    """The indicators' period when none is asked for: the placements that started in the last
    three years up to ``on``, so that the page reads a bounded stretch however long the history
    (three years leave time for the checks 6 and 12 months after an end)."""
    try:
        start = on.replace(year=on.year - INDICATOR_YEARS)
    except ValueError:  # 29 February
        start = on.replace(year=on.year - INDICATOR_YEARS, day=28)
    return start + dt.timedelta(days=1), on


class IndicatorPeriodForm(forms.Form):
    """Which placements the indicators count: those that started between two days (both
    optional: both emptied is the whole history; untouched, the last three years)."""

    fran = forms.DateField(
        label=_("Started from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    till = forms.DateField(
        label=_("Started to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fran"), data.get("till")
        for name in ("fran", "till"):
            day = data.get(name)
            if day is not None and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
                self.add_error(name, _("Choose a day in the years 2000–2100."))
        if start and end and end < start:
            self.add_error("till", _("The end must not be before the start."))
        return data


class AccessSearchForm(forms.Form):
    """The administrator's search of the access log: a participant, a user, a period."""

    participant_code = forms.CharField(label=_("Participant code"), max_length=31, required=False)
    username = forms.CharField(label=_("User"), max_length=150, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    protected_only = forms.BooleanField(
        label=_("Only people with protected personal data"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None and not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        if start and end and end < start:
            self.add_error("end", _("The end must not be before the start."))
        return data


class ReviewMonthForm(forms.Form):
    """Which completed month's sample to review."""

    month = forms.CharField(label=_("Month"), max_length=7)

    def __init__(self, *args: Any, this_month: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.this_month = this_month

    def clean_month(self) -> dt.date:
        value = self.cleaned_data["month"]
        try:
            month = dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2023-05.")) from None
        if month >= self.this_month:
            raise forms.ValidationError(
                _("Choose a month that has ended: this month's sample is drawn when it is over.")
            )
        if month.year < 2000:
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return month


class AccessReviewForm(forms.Form):
    """The documented check of one sampled row: nothing preselected; a deviation is explained."""

    access = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == ReviewOutcome.DEVIATION and not data.get("note", "").strip():
            self.add_error("note", _("Say what the deviation is and what is done about it."))
        return data


class AccessReasonForm(forms.Form):
    """Why a coach opens a participant outside their caseload: kept in the access log."""

    reason = forms.CharField(
        label=_("Reason"),
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. covering for a colleague who is away, or a meeting you take part in."),
    )
