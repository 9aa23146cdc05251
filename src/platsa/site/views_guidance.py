"""The municipality's guidance: definitions and the follow-up checklist."""

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

from platsa.accounts.models import Guidance, User
from platsa.common.http import posted
from platsa.common.permissions import can, require


class GuidanceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Guidance
        fields = ["occupation", "close_supervision", "follow_up_checklist"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in fields}


def guidance_for(user: User) -> Guidance:
    """The user's municipality's guidance (empty until the administrator writes it)."""
    if user.municipality_id is None:
        raise PermissionDenied
    return Guidance.objects.filter(municipality_id=user.municipality_id).first() or Guidance(
        municipality_id=user.municipality_id
    )


@login_required
def guidance(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/guidance.html",
        {"guidance": guidance_for(user), "can_edit": can(user, "edit_guidance")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guidance_edit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "edit_guidance")
    form = GuidanceForm(posted(request), instance=guidance_for(user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.updated_by = user
            saved.full_clean()
            saved.save()
        messages.success(request, _("The guidance is saved; supervisors see it where they report."))
        return redirect("guidance")
    return render(request, "accounts/guidance_edit.html", {"form": form})
