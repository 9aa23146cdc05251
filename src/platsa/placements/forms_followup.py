from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.placements.models import (
    Destination,
    ExitCheckStatus,
    FollowUpMeeting,
    Participant,
    Placement,
    ScopeStep,
)


class CloseForm(forms.Form):
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    destination = forms.ChoiceField(
        label=_("Where the participant went"), choices=Destination.choices
    )
    reason = forms.CharField(
        label=_("Reason for the ending"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExitCheckForm(forms.Form):
    checked_on = forms.DateField(
        label=_("Checked on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ExitCheckStatus.choices)


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
            "interests_note",
            "constraints_note",
        ]
        widgets = {
            "interests": forms.CheckboxSelectMultiple,
            "excluded_work_types": forms.CheckboxSelectMultiple,
            "interests_note": forms.Textarea(attrs={"rows": 2}),
            "constraints_note": forms.Textarea(attrs={"rows": 2}),
        }


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
