"""Before an agreement's notice deadline: what it gave, what the municipality needs, and the
decision (renew, change the places, give notice) with its reason."""

from __future__ import annotations

from collections import Counter

import numpy as np
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.http import posted
from platsa.common.permissions import require
from platsa.occupancy.need import default_window, need_for
from platsa.placements.confirmation import month_differences
from platsa.placements.models import Placement
from platsa.placements.occupancy import Scope, occupancy_for
from platsa.procurement.models import RenewalChoice, RenewalDecision
from platsa.procurement.selectors import agreement_get_for_user, notice_status
from platsa.procurement.services import renewal_decide


class RenewalForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=RenewalChoice.choices, widget=forms.RadioSelect
    )
    places = forms.IntegerField(
        label=gettext_lazy("Places from the next period (if changed)"),
        min_value=0,
        max_value=500,
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_renewal(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    assert user.municipality_id is not None
    on = today()
    agreement = agreement_get_for_user(user, pk)
    status = notice_status(agreement, today=on)
    if status.running is None:
        return render(
            request, "occupancy/agreement_renewal.html", {"agreement": agreement, "status": status}
        )
    start, end = status.running
    until = min(end, on)
    existing = RenewalDecision.objects.filter(agreement=agreement, period_end=end).first()
    form = RenewalForm(posted(request), initial={"decided_on": on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            renewal_decide(
                agreement=agreement,
                period_end=end,
                choice=data["choice"],
                places=data["places"],
                reason=data["reason"],
                decided_on=data["decided_on"],
                by=user,
                today=on,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("agreement_renewal", pk=agreement.pk)
    figures = None
    if until >= start:
        result, _agreements = occupancy_for(
            Scope(user.municipality_id, agreement_id=agreement.pk), start=start, end=until, as_of=on
        )
        weekdays = result.weekday
        placed_days = float(result.occupied[:, weekdays].sum())
        reported_days = float(result.attendance_known[:, weekdays].sum())
        placements = Placement.objects.filter(agreement=agreement)
        ended = placements.filter(actual_end__range=(start, until))
        outcomes = Counter(ended.values_list("destination", flat=True))
        differences = month_differences(placements, start=start, end=until)
        figures = {
            "utilisation": result.utilisation,
            "cost": result.cost_sek,
            "empty_cost": result.empty_cost_sek,
            "average_used": result.occupied_place_days / max(1, (until - start).days + 1),
            "places": float(np.mean(result.capacity.sum(axis=0))) if result.capacity.size else 0,
            "reported": reported_days / placed_days if placed_days else None,
            "ended": ended.count(),
            "to_work": outcomes.get("employed_at_organisation", 0)
            + outcomes.get("employed_elsewhere", 0),
            "to_studies": outcomes.get("studies", 0),
            "unexplained": differences.unexplained,
            "confirmed_weeks": differences.confirmed_weeks,
            "reported_weeks": differences.reported_weeks,
        }
    window = default_window(on)
    need = need_for(user.municipality_id, start=window[0], end=window[1], today=on, simulations=100)
    return render(
        request,
        "occupancy/agreement_renewal.html",
        {
            "agreement": agreement,
            "status": status,
            "period": (start, end),
            "until": until,
            "figures": figures,
            "need": need,
            "existing": existing,
            "form": form,
        },
    )
