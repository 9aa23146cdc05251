from __future__ import annotations

import math

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.permissions import can
from platsa.procurement.forms import NoticeForm, PlaceCountForm, SupervisorForm
from platsa.procurement.models import AsfCriterion
from platsa.procurement.selectors import (
    agreement_get_for_user,
    agreement_list_for_user,
    agreement_table,
    notice_status,
    organisation_get_for_user,
    organisation_list_for_user,
)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisations = organisation_list_for_user(user)
    return render(
        request,
        "procurement/organisation_list.html",
        {"organisations": organisations, "can_manage": can(user, "manage_agreements")},
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = organisation_get_for_user(user, pk)
    agreements = None
    if can(user, "view_agreements"):
        agreements = agreement_list_for_user(user).filter(organisation=organisation)
    return render(
        request,
        "procurement/organisation_detail.html",
        {
            "organisation": organisation,
            "agreements": agreements,
            "asf_criteria": [AsfCriterion(c).label for c in organisation.asf_criteria],
            "can_manage": can(user, "manage_agreements"),
        },
    )


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    every = request.GET.get("alla") == "1"
    table = agreement_table(user, on=today(), every=every)
    return render(
        request,
        "procurement/agreement_list.html",
        {"table": table, "every": every, "can_manage": can(user, "manage_agreements")},
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    agreement = agreement_get_for_user(user, pk)
    on = today()
    status = notice_status(agreement, today=on)
    supervisors = [
        s for s in agreement.supervisor_links.all() if s.valid_to is None or s.valid_to >= on
    ]
    places = (
        agreement.places_on(on) if status.running else agreement.places_on(agreement.start_date)
    )
    needed = math.ceil(places / 8) if places else 0
    return render(
        request,
        "procurement/agreement_detail.html",
        {
            "agreement": agreement,
            "status": agreement.status_on(on),
            "contract_value": agreement.contract_value_sek(),
            "place_counts": agreement.place_counts.all(),
            "places": agreement.places.all(),
            "supervisors": agreement.supervisor_links.all(),
            "criteria": agreement.procurement.criteria.all() if agreement.procurement else [],
            "notice": status,
            "supervisors_now": len(supervisors),
            "supervisors_needed": needed,
            "can_manage": can(user, "manage_agreements"),
            "place_count_form": PlaceCountForm(prefix="count"),
            "supervisor_form": SupervisorForm(agreement=agreement, prefix="supervisor"),
            "notice_form": NoticeForm(),
        },
    )
