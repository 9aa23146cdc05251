"""Organisations, agreements, their places and named supervisors, kept by the manager in the app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.forms import attach_errors
from platsa.common.http import posted
from platsa.common.permissions import require
from platsa.procurement.forms import (
    AgreementForm,
    NewAgreementForm,
    NoticeForm,
    OrganisationForm,
    PlaceCountForm,
    PlaceForm,
    SupervisorForm,
)
from platsa.procurement.models import AgreementSupervisor, Organisation
from platsa.procurement.selectors import (
    agreement_get_for_user,
    organisation_get_for_user,
    place_get_for_user,
)
from platsa.procurement.services import (
    agreement_create,
    agreement_give_notice,
    agreement_places_set,
    agreement_update,
    organisation_save,
    supervisor_name,
)


def _form_page(
    request: HttpRequest, title: str, form: object, back: str, back_label: str
) -> HttpResponse:
    return render(
        request,
        "procurement/form.html",
        {"title": title, "form": form, "back": back, "back_label": back_label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    organisation = organisation_get_for_user(user, pk) if pk is not None else Organisation()
    form = OrganisationForm(posted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = organisation_save(
                organisation=form.save(commit=False),
                municipality=user.municipality,  # type: ignore[arg-type]
            )
            form.save_m2m()
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("%(org)s is saved.") % {"org": saved.name})
            return redirect("organisation_detail", pk=saved.pk)
    title = organisation.name if pk is not None else _("New organisation")
    return _form_page(request, title, form, reverse("organisation_list"), _("Organisations"))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    initial = {}
    raw = request.GET.get("organisation", "")
    if raw.isdigit() and len(raw) < 10:
        initial["organisation"] = organisation_get_for_user(user, int(raw))
    form = NewAgreementForm(posted(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_create(
                agreement=form.save(commit=False), places=form.cleaned_data["places"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("The agreement is saved. Describe its places and name its supervisors below."),
            )
            return redirect("agreement_detail", pk=agreement.pk)
    return _form_page(request, _("New agreement"), form, reverse("agreement_list"), _("Agreements"))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    agreement = agreement_get_for_user(user, pk)
    form = AgreementForm(posted(request), instance=agreement, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            agreement_update(agreement=form.save(commit=False))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect("agreement_detail", pk=agreement.pk)
    return _form_page(
        request,
        _("Agreement with %(org)s") % {"org": agreement.organisation.name},
        form,
        reverse("agreement_detail", args=[agreement.pk]),
        _("The agreement"),
    )


@login_required
@require_http_methods(["POST"])
def agreement_places(request: HttpRequest, pk: int) -> HttpResponse:
    """A new number of places from a date on."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    agreement = agreement_get_for_user(user, pk)
    form = PlaceCountForm(request.POST, prefix="count")
    if form.is_valid():
        try:
            agreement_places_set(
                agreement=agreement,
                valid_from=form.cleaned_data["valid_from"],
                places=form.cleaned_data["places"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
    return _after(request, form, agreement.pk, _("The number of places is saved."))


@login_required
@require_http_methods(["POST"])
def agreement_supervisor(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    agreement = agreement_get_for_user(user, pk)
    form = SupervisorForm(request.POST, agreement=agreement, prefix="supervisor")
    if form.is_valid():
        link: AgreementSupervisor = form.save(commit=False)
        link.agreement = agreement
        try:
            supervisor_name(link=link)
        except ValidationError as exc:
            attach_errors(form, exc)
    return _after(request, form, agreement.pk, _("The supervisor is named on the agreement."))


@login_required
@require_http_methods(["POST"])
def agreement_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    agreement = agreement_get_for_user(user, pk)
    form = NoticeForm(request.POST)
    if form.is_valid():
        try:
            agreement_give_notice(
                agreement=agreement, on=form.cleaned_data["notice_given_on"], today=today()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
    return _after(request, form, agreement.pk, _("The notice is recorded."))


def _after(request: HttpRequest, form: object, pk: int, done: str) -> HttpResponse:
    errors = getattr(form, "errors", {})
    if errors:
        messages.error(
            request,
            _("Nothing was saved: %(errors)s")
            % {
                "errors": " ".join(
                    f"{form.fields[f].label}: {' '.join(m)}" if f in form.fields else " ".join(m)  # type: ignore[attr-defined]
                    for f, m in errors.items()
                )
            },
        )
    else:
        messages.success(request, done)
    return redirect("agreement_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """What a place offers, so the place finder can match participants to it."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    place = place_get_for_user(user, pk)
    form = PlaceForm(posted(request), instance=place)
    if request.method == "POST" and form.is_valid():
        try:
            form.instance.full_clean()
            form.save()
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The place is saved."))
            return redirect("agreement_detail", pk=place.agreement_id)
    return _form_page(
        request,
        f"{place.agreement.organisation.name} – {place.label}",
        form,
        reverse("agreement_detail", args=[place.agreement_id]),
        _("The agreement"),
    )
