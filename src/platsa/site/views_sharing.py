"""Sharing with a region: the municipality's administrator records the decision to let a region
see its aggregates (the regional view), and withdraws it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from platsa.accounts.models import Region, RegionShare, User
from platsa.common.clock import today
from platsa.common.http import posted
from platsa.common.permissions import require
from platsa.impact.jobs import refresh_figures


class ShareForm(forms.ModelForm):  # type: ignore[type-arg]
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=gettext_lazy("region"), empty_label="—"
    )

    class Meta:
        model = RegionShare
        fields = ["region", "decision", "agreed_on"]
        widgets = {"agreed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: object, municipality_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.instance.municipality_id = municipality_id
        self.fields["region"].queryset = Region.objects.exclude(  # type: ignore[attr-defined]
            shares__municipality_id=municipality_id
        )

    def clean_agreed_on(self) -> object:
        agreed_on = self.cleaned_data["agreed_on"]
        if agreed_on > today():
            raise forms.ValidationError(_("A decision cannot be dated in the future."))
        if agreed_on < dt.date(2000, 1, 1):
            raise forms.ValidationError(_("Choose a day in the years 2000–2100."))
        return agreed_on


@login_required
@require_http_methods(["GET", "POST"])
def region_sharing(request: HttpRequest) -> HttpResponse:
    user: User = require(request.user, "share_with_region")
    assert user.municipality_id is not None
    form = ShareForm(posted(request), municipality_id=user.municipality_id)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            share = form.save(commit=False)
            share.recorded_by = user
            share.full_clean()
            share.save()
            municipality_id = user.municipality_id
            transaction.on_commit(lambda: refresh_figures.enqueue(municipality_id))
        messages.success(
            request,
            _(
                "%(region)s sees the municipality's aggregates as soon as they are computed, within minutes."
            )
            % {"region": share.region.name},
        )
        return redirect("region_sharing")
    shares = RegionShare.objects.filter(municipality_id=user.municipality_id).select_related(
        "region", "recorded_by"
    )
    return render(
        request,
        "accounts/region_sharing.html",
        {"form": form, "shares": shares, "any_region": Region.objects.exists()},
    )


@login_required
@require_POST
def region_sharing_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = require(request.user, "share_with_region")
    share = get_object_or_404(RegionShare, pk=pk, municipality_id=user.municipality_id)
    name = share.region.name
    share.delete()
    messages.success(
        request, _("%(region)s no longer sees the municipality's figures.") % {"region": name}
    )
    return redirect("region_sharing")
