from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.core.clock import today
from platsa.core.permissions import can
from platsa.engine.occupancy import add_months
from platsa.impact.charts import value_cost_svg
from platsa.impact.dashboard import value_dashboard
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


class ValueForm(forms.Form):
    baseline = forms.DecimalField(
        label=_("Leaving assistance anyway (percent a month)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        initial=0,
    )
    drop_off = forms.DecimalField(
        label=_("Returning to assistance (percent a month)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        initial=0,
    )
    horizon = forms.IntegerField(
        label=_("Months to follow"), min_value=12, max_value=120, required=False, initial=60
    )


@login_required
def value(request: HttpRequest) -> HttpResponse:
    """Value created over time, who gains, and when it pays back (Figures 12–13 of the report)."""
    user: User = request.user  # type: ignore[assignment]
    form = ValueForm(request.GET or None)
    baseline = drop_off = 0.0
    horizon = 60
    if form.is_bound and form.is_valid():
        baseline = float(form.cleaned_data["baseline"] or 0) / 100
        drop_off = float(form.cleaned_data["drop_off"] or 0) / 100
        horizon = form.cleaned_data["horizon"] or 60
    dashboard = value_dashboard(
        user, today=today(), horizon_months=horizon, baseline=baseline, drop_off=drop_off
    )
    chart = ""
    if dashboard is not None:
        labels = [
            add_months(dashboard.first_month, i).strftime("%Y-%m") for i in range(dashboard.months)
        ]
        chart = value_cost_svg(
            dashboard.cumulative_value["municipality"], dashboard.cumulative_cost, labels
        )
    return render(
        request,
        "impact/value.html",
        {
            "form": form,
            "d": dashboard,
            "chart": mark_safe(chart),  # noqa: S308 - numbers and escaped text
            "threshold": 1 if can(user, "view_placements") else settings.PLATSA_MIN_GROUP_SIZE,
        },
    )
