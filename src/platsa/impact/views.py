from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.core.clock import today
from platsa.core.permissions import can
from platsa.impact.models import Goal
from platsa.impact.selectors import goal_statuses


class GoalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Goal
        fields = ["kind", "target", "period_start", "period_end", "note"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest) -> HttpResponse:
    """The municipality's goals for the activity, tracked against what is recorded."""
    user: User = request.user  # type: ignore[assignment]
    statuses = goal_statuses(user, today=today())  # refuses roles without aggregates
    may_set = can(user, "set_goals")
    form = GoalForm(request.POST or None) if may_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            goal = form.save(commit=False)
            goal.municipality_id = user.municipality_id
            goal.created_by = user
            with transaction.atomic():
                goal.full_clean()
                goal.save()
            messages.success(request, _("The goal is saved."))
            return redirect("goals")
    return render(request, "impact/goals.html", {"statuses": statuses, "form": form})
