"""The full costs a municipality enters beyond the price of the places, each with its source."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.common.forms import attach_errors
from platsa.common.http import posted
from platsa.common.permissions import can, require
from platsa.impact.models import FullCosts


class FullCostsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FullCosts
        fields = [
            "coach_hours_per_placement",
            "coach_hour_cost_sek",
            "staff_source",
            "wage_subsidy_share",
            "wage_subsidy_per_month_sek",
            "wage_subsidy_months",
            "subsidy_source",
            "organisation_inputs_per_place_month_sek",
            "organisation_source",
        ]


@login_required
@require_http_methods(["GET", "POST"])
def full_costs(request: HttpRequest) -> HttpResponse:
    """See (every aggregate role) and set (the manager) what counts beyond the purchase."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "view_aggregates")
    may_set = can(user, "set_alternatives")
    if request.method == "POST" and not may_set:
        raise PermissionDenied
    entered = FullCosts.objects.filter(municipality_id=user.municipality_id).first()
    instance = entered or FullCosts(municipality_id=user.municipality_id)
    form = FullCostsForm(posted(request), instance=instance) if may_set else None
    if request.method == "POST" and form is not None and form.is_valid():
        saved = form.save(commit=False)
        saved.municipality_id = user.municipality_id
        saved.updated_by = user
        try:
            with transaction.atomic():
                saved.full_clean()
                saved.save()
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("The full costs are saved; SROI and payback count them from now on.")
            )
            return redirect("full_costs")
    return render(
        request, "impact/full_costs.html", {"form": form, "entered": entered, "may_set": may_set}
    )
