from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from platsa.common.forms import SafeModelChoiceField
from platsa.procurement.models import Agreement, Organisation

MAX_DAYS = 5 * 366


class OccupancyFilterForm(forms.Form):
    organisation = SafeModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    agreement = SafeModelChoiceField(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        required=False,
        empty_label=_("All agreements"),
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        agreements: QuerySet[Agreement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both a start and an end, or neither."))
        if start and end:
            if end < start:
                self.add_error("end", _("The end must not be before the start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most five years."))
        return data


class InvoiceForm(forms.Form):
    organisation = SafeModelChoiceField(label=_("Supplier"), queryset=Organisation.objects.none())
    month = forms.CharField(
        label=_("Month (YYYY-MM)"),
        max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"\d{4}-\d{2}"}),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date:
        value = self.cleaned_data["month"]
        try:
            month = dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2023-05.")) from None
        if not 2000 <= month.year <= 2100:
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return month


class NeedForm(forms.Form):
    """The history to learn from and the targets; every value bounded."""

    start = forms.DateField(label=_("History from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("History to"), widget=forms.DateInput(attrs={"type": "date"}))
    target_wait_days = forms.IntegerField(
        label=_("Start within (days)"), min_value=0, max_value=365, initial=14
    )
    target_share = forms.IntegerField(
        label=_("For this share of those referred (%)"), min_value=1, max_value=100, initial=90
    )
    target_utilisation = forms.IntegerField(
        label=_("Places used at least (%)"), min_value=1, max_value=100, initial=80
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                self.add_error("end", _("The end is before the start."))
            elif (end - start).days > 3660:
                self.add_error("end", _("Choose a period of at most ten years."))
            elif start.year < 2000 or end.year > 2100:
                self.add_error("start", _("Choose dates within the years 2000–2100."))
        return data
