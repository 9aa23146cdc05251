"""Forms for organisations, agreements, their places and named supervisors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Role, User
from platsa.common.forms import SafeModelChoiceField, SafeModelMultipleChoiceField
from platsa.procurement.models import (
    Agreement,
    AgreementSupervisor,
    AsfCriterion,
    Organisation,
    Place,
    Procurement,
)

DATE = forms.DateInput(attrs={"type": "date"})


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    asf_criteria = forms.MultipleChoiceField(
        label=_("ASF criteria met"),
        choices=AsfCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "meets_asf",
            "asf_criteria",
            "turnover_sek",
            "turnover_year",
            "employees",
            "description",
            "work_types",
        ]
        field_classes = {"work_types": SafeModelMultipleChoiceField}
        widgets = {
            "work_types": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class AgreementForm(forms.ModelForm):  # type: ignore[type-arg]
    """The agreement's terms; places and supervisors have forms of their own."""

    class Meta:
        model = Agreement
        fields = [
            "organisation",
            "procurement",
            "reference",
            "start_date",
            "end_date",
            "extension_options",
            "auto_renew",
            "notice_months",
            "payment_model",
            "price_sek",
            "notes",
        ]
        field_classes = {
            "organisation": SafeModelChoiceField,
            "procurement": SafeModelChoiceField,
        }
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        procurement = self.fields["procurement"]
        assert isinstance(organisation, forms.ModelChoiceField)
        assert isinstance(procurement, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(municipality_id=user.municipality_id)
        procurement.queryset = Procurement.objects.filter(municipality_id=user.municipality_id)
        if self.instance.pk:
            organisation.disabled = True  # an agreement does not change supplier


class NewAgreementForm(AgreementForm):
    places = forms.IntegerField(
        label=_("Places bought"),
        min_value=0,
        max_value=200,
        error_messages={"required": _("Give the number of places bought.")},
    )


class PlaceCountForm(forms.Form):
    valid_from = forms.DateField(label=_("From"), widget=DATE)
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=200)


class PlaceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Place
        fields = [
            "label",
            "work_type",
            "location",
            "physical_demand",
            "public_transport",
            "demands",
        ]
        widgets = {"demands": forms.Textarea(attrs={"rows": 2})}


class SupervisorForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AgreementSupervisor
        fields = ["user", "valid_from", "valid_to", "approved_on"]
        field_classes = {"user": SafeModelChoiceField}
        widgets = {"valid_from": DATE, "valid_to": DATE, "approved_on": DATE}

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            role=Role.SUPERVISOR, organisation_id=agreement.organisation_id, is_active=True
        )
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign]


class NoticeForm(forms.Form):
    notice_given_on = forms.DateField(
        label=_("Notice given on"),
        widget=DATE,
        error_messages={"required": _("Give the day the written notice was sent.")},
    )
