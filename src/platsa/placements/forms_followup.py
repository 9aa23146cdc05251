from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Role, User
from platsa.common.forms import SafeModelChoiceField, SafeModelMultipleChoiceField
from platsa.placements.models import (
    Destination,
    ExitCheckSource,
    ExitCheckStatus,
    FollowUpMeeting,
    Participant,
    Placement,
    ScopeStep,
)

CHOOSE = ("", _("Choose…"))


class CloseForm(forms.Form):
    """Nothing is preselected: an untouched form records nothing and says what is missing."""

    end = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the last day of the placement.")},
    )
    destination = forms.ChoiceField(
        label=_("Where the participant went"),
        # A move to another organisation is made with "Move", which starts the next placement.
        choices=[
            CHOOSE,
            *((v, label) for v, label in Destination.choices if v != Destination.MOVED),
        ],
        error_messages={
            "required": _(
                "Choose where the participant went; if nobody knows, choose "
                "“Unknown: could not be reached”."
            )
        },
    )
    reason = forms.CharField(
        label=_("Reason for the ending"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExitCheckForm(forms.Form):
    """An after-exit check: what was found, when, and where the answer comes from."""

    status = forms.ChoiceField(
        label=_("Where the participant is"),
        choices=[CHOOSE, *ExitCheckStatus.choices],
        error_messages={
            "required": _(
                "Choose what the check found; if nobody could be reached, choose "
                "“Unknown: could not be reached”."
            )
        },
    )
    checked_on = forms.DateField(
        label=_("Checked on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the day of the check.")},
    )
    source = forms.ChoiceField(
        label=_("Source of the answer"),
        choices=[CHOOSE, *ExitCheckSource.choices],
        required=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        status = data.get("status")
        if status and status != ExitCheckStatus.UNKNOWN and not data.get("source"):
            self.add_error("source", _("Say where the answer comes from."))
        return data


class MeetingForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FollowUpMeeting
        fields = [
            "date",
            "coach_took_part",
            "participant_took_part",
            "supervisor_took_part",
            "tasks",
            "attendance_notes",
            "wellbeing",
            "next_steps",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in ("tasks", "attendance_notes", "wellbeing", "next_steps", "notes")
            },
        }


class ParticipantProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Participant
        fields = [
            "birth_year",
            "gender",
            "interests",
            "excluded_work_types",
            "setting",
            "max_physical_demand",
            "needs_public_transport",
            "language_note",
            "interests_note",
            "constraints_note",
            "case_reference",
            "protected_identity",
            "responsible_coach",
        ]
        field_classes = {
            "interests": SafeModelMultipleChoiceField,
            "excluded_work_types": SafeModelMultipleChoiceField,
            "responsible_coach": SafeModelChoiceField,
        }
        widgets = {
            "interests": forms.CheckboxSelectMultiple,
            "excluded_work_types": forms.CheckboxSelectMultiple,
            "interests_note": forms.Textarea(attrs={"rows": 2}),
            "constraints_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "responsible_coach" in self.fields:
            # The coaches of the participant's own municipality, active ones only.
            self.fields["responsible_coach"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                municipality_id=self.instance.municipality_id, role=Role.COACH, is_active=True
            ).order_by("username")
            self.fields["responsible_coach"].label_from_instance = lambda u: u.username  # type: ignore[attr-defined]
            self.fields["responsible_coach"].empty_label = _("The whole team")  # type: ignore[attr-defined]


class PlanForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Placement
        fields = ["goals", "planned_months", "review_date", "planned_end"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "review_date": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
        }


class ScopeStepForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ScopeStep
        fields = ["valid_from", "percent", "hours_per_day", "days_per_week"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"})}


class PauseForm(forms.Form):
    start = forms.DateField(
        label=_("First day of the pause"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the first day of the pause.")},
    )
    end = forms.DateField(
        label=_("Last day of the pause"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the last day of the pause.")},
    )
    reason = forms.CharField(
        label=_("Reason for the pause"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the placement is paused.")},
    )
