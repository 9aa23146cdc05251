"""Forms for the referral queue, placing and moving."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.common.forms import SafeModelChoiceField
from platsa.placements.forms_followup import ParticipantProfileForm
from platsa.placements.models import Referral
from platsa.procurement.models import Place

DATE = forms.DateInput(attrs={"type": "date"})
#: The order a referral carries over to its placement (``services_intake.Order``).
ORDER_FIELDS = ["goals", "planned_months", "scope_percent", "hours_per_day", "days_per_week"]


class IntakeForm(ParticipantProfileForm):
    """A new participant: the pseudonymous code and the profile a placement must fit."""

    class Meta(ParticipantProfileForm.Meta):
        # The registering coach's caseload; moved to another coach on the profile.
        fields = [
            "code",
            *(f for f in ParticipantProfileForm.Meta.fields if f != "responsible_coach"),
        ]
        help_texts = {
            "code": _(
                "A code your unit assigns, e.g. AME-2026-014. Never a name or a personal identity "
                "number."
            )
        }


class ReferralForm(forms.ModelForm):  # type: ignore[type-arg]
    """The order the placement will carry: goal, planned months, the scope at the start."""

    class Meta:
        model = Referral
        fields = ["referred_on", *ORDER_FIELDS]
        widgets = {"referred_on": DATE, "goals": forms.Textarea(attrs={"rows": 3})}


class PlaceForm(forms.Form):
    """Placing on one place: the start and the order, prefilled from the referral.

    The order's fields, their limits and labels are the referral's own.
    """

    start = forms.DateField(
        label=_("Start"),
        widget=DATE,
        error_messages={"required": _("Give the first day of the placement.")},
    )
    over_capacity_reason = forms.CharField(
        label=_("Reason for placing over capacity (only when every place is taken)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = forms.fields_for_model(
            Referral, fields=ORDER_FIELDS, widgets={"goals": forms.Textarea(attrs={"rows": 3})}
        )
        reason = self.fields.pop("over_capacity_reason")
        self.fields.update(order)
        self.fields["over_capacity_reason"] = reason


class MoveForm(forms.Form):
    place = SafeModelChoiceField(
        label=_("New place"),
        queryset=Place.objects.none(),
        error_messages={"required": _("Choose the place the participant moves to.")},
    )
    on = forms.DateField(
        label=_("First day at the new place"),
        widget=DATE,
        error_messages={"required": _("Give the first day at the new place.")},
    )
    reason = forms.CharField(
        label=_("Reason for the move"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the participant moves.")},
    )
    over_capacity_reason = forms.CharField(
        label=_("Reason for placing over capacity (only when every place is taken)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = places
        field.label_from_instance = lambda p: f"{p.agreement.organisation.name} – {p.label}"  # type: ignore[method-assign]


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"),
        widget=DATE,
        error_messages={"required": _("Give the day the referral was withdrawn.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the referral is withdrawn.")},
    )
