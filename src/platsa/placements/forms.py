from __future__ import annotations

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
