"""Forms for a tender round: the procurement, a tender, an evaluator's scores, the award."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import User
from platsa.common.forms import SafeModelChoiceField, SafeModelMultipleChoiceField
from platsa.procurement.forms import DATE
from platsa.procurement.models import (
    AsfCriterion,
    EvaluationCriterion,
    Organisation,
    Procurement,
    Tender,
)
from platsa.procurement.services_tenders import EVALUATOR_ROLES


class ProcurementForm(forms.ModelForm):  # type: ignore[type-arg]
    criteria = forms.CharField(
        label=_("Evaluation criteria, one a line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    class Meta:
        model = Procurement
        fields = [
            "title",
            "kind",
            "information_meetings",
            "tender_deadline",
            "scale_min",
            "scale_max",
            "scale_description",
            "minimum_score",
            "places_to_buy",
            "contract_start",
            "contract_end",
            "extension_options",
            "auto_renew",
            "notice_months",
            "payment_model",
            "price_sek",
        ]
        widgets = {
            "tender_deadline": DATE,
            "contract_start": DATE,
            "contract_end": DATE,
            "scale_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = list(self.fields)
        order.insert(order.index("minimum_score"), order.pop(order.index("criteria")))
        self.order_fields(order)
        if self.instance.pk:
            self.fields["criteria"].initial = "\n".join(
                self.instance.criteria.order_by("position").values_list("text", flat=True)
            )

    @property
    def criteria_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["criteria"].splitlines() if line.strip()]


class EvaluatorForm(forms.Form):
    user = SafeModelChoiceField(queryset=User.objects.none(), label=_("Evaluator"))

    def __init__(self, *args: Any, procurement: Procurement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(
                municipality_id=procurement.municipality_id,
                role__in=EVALUATOR_ROLES,
                is_active=True,
            )
            .exclude(evaluations__procurement=procurement)
            .order_by("username")
        )
        field.label_from_instance = lambda u: (  # type: ignore[method-assign]
            f"{u.get_full_name() or u.username} ({u.get_role_display()})"
        )


def asf_field(code: str) -> str:
    return f"asf_{code}"


class TenderForm(forms.ModelForm):  # type: ignore[type-arg]
    """A tender as received; each ASF criterion met is written down with its evidence."""

    class Meta:
        model = Tender
        fields = [
            "organisation",
            "received_on",
            "places_offered",
            "work_types",
            "location",
            "physical_demand",
            "public_transport",
            "offer",
            "disadvantaged_share",
            "disadvantaged_evidence",
        ]
        field_classes = {
            "organisation": SafeModelChoiceField,
            "work_types": SafeModelMultipleChoiceField,
        }
        widgets = {
            "received_on": DATE,
            "work_types": forms.CheckboxSelectMultiple,
            "offer": forms.Textarea(attrs={"rows": 3}),
            "public_transport": forms.NullBooleanSelect,
        }

    def __init__(self, *args: Any, procurement: Procurement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(
            municipality_id=procurement.municipality_id
        )
        if self.instance.pk:
            organisation.disabled = True
        self.fields["places_offered"].required = True
        self.fields["received_on"].required = True
        if not procurement.reserved:
            self.fields["disadvantaged_share"].help_text = _(
                "Recorded for the record; checked only in a reserved procurement."
            )
        else:
            self.fields["disadvantaged_share"].help_text = _(
                "A reserved contract needs at least 30 %."
            )
        evidence = self.instance.asf_evidence or {}
        for code, label in AsfCriterion.choices:
            self.fields[asf_field(code)] = forms.CharField(
                label=_("ASF: %(criterion)s") % {"criterion": label},
                required=False,
                max_length=500,
                initial=evidence.get(code, ""),
                help_text=_("The evidence (e.g. the statutes, § 2). Leave empty if not met."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.instance.asf_evidence = {
            code: data[asf_field(code)].strip()
            for code in AsfCriterion.values
            if data.get(asf_field(code), "").strip()
        }
        return data


class ScoreForm(forms.Form):
    """One evaluator's scores and reasons on every criterion of one tender. Nothing is
    preselected: a criterion left untouched records nothing."""

    def __init__(
        self,
        *args: Any,
        procurement: Procurement,
        criteria: list[EvaluationCriterion],
        existing: dict[int, tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        scale = [(str(n), str(n)) for n in range(procurement.scale_min, procurement.scale_max + 1)]
        self.criteria = criteria
        for c in criteria:
            score, reason = existing.get(c.pk, (None, ""))
            self.fields[f"c{c.pk}_score"] = forms.TypedChoiceField(
                label=_("Score on criterion %(n)s") % {"n": c.position},
                choices=scale,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=str(score) if score is not None else None,
            )
            self.fields[f"c{c.pk}_reason"] = forms.CharField(
                label=_("Why, on criterion %(n)s") % {"n": c.position},
                required=False,
                max_length=2000,
                initial=reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (self.cleaned_data[f"c{c.pk}_score"], self.cleaned_data[f"c{c.pk}_reason"])
            for c in self.criteria
        }

    def rows(self) -> list[tuple[EvaluationCriterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"c{c.pk}_score"], self[f"c{c.pk}_reason"]) for c in self.criteria]


class AwardForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 10}), max_length=8000
    )

    def __init__(
        self, *args: Any, tenders: list[Tender], proposal: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tenders = tenders
        for t in tenders:
            self.fields[f"t{t.pk}"] = forms.IntegerField(
                label=_("Places to %(org)s") % {"org": t.organisation.name},
                min_value=0,
                max_value=200,
                initial=proposal.get(t.pk, 0),
            )

    def allocation(self) -> dict[int, int]:
        return {t.pk: self.cleaned_data[f"t{t.pk}"] for t in self.tenders}
