from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from platsa.common.forms import SafeModelChoiceField
from platsa.common.labels import STATUS_LABELS
from platsa.engine.quality import PlacementStatus
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end must not be before the start."))
        return data
