from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.permissions import can, count_threshold, require
from platsa.common.sheets import XLSX, csv_response, sheet_append
from platsa.engine.privacy import suppressed_keys
from platsa.occupancy.charts import occupancy_svg
from platsa.occupancy.forms import InvoiceForm, NeedForm, OccupancyFilterForm
from platsa.occupancy.need import (
    default_window,
    missing_text,
    need_by_work_type,
    need_for,
    payment_for_need,
)
from platsa.occupancy.selectors import (
    InvoiceBasis,
    agreement_periods_all,
    default_period,
    invoicing_basis,
    payment_models_for,
    scope_for_user,
)
from platsa.placements.confirmation import month_differences
from platsa.placements.occupancy import free_places, occupancy_for
from platsa.placements.selectors import placement_list_for_user
from platsa.procurement.models import Agreement
from platsa.procurement.selectors import organisation_list_for_user


def _utilisation_class(occupied: float, capacity: float) -> str:
    if capacity == 0:
        return "cap-none"
    share = occupied / capacity
    return "cap-full" if share >= 0.9 else "cap-part" if share >= 0.5 else "cap-low"


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Places and occupancy (the report's Figure 14): months × organisations, cost, free places."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "view_occupancy")
    on = today()
    organisations = organisation_list_for_user(user)
    form = OccupancyFilterForm(
        request.GET or None,
        organisations=organisations,
        agreements=Agreement.objects.filter(organisation__in=organisations).select_related(
            "organisation"
        ),
    )
    organisation_id = agreement_id = None
    start = end = None
    if form.is_bound and form.is_valid():
        org, agreement = form.cleaned_data["organisation"], form.cleaned_data["agreement"]
        organisation_id = org.pk if org else None
        agreement_id = agreement.pk if agreement else None
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    scope = scope_for_user(user, organisation_id=organisation_id, agreement_id=agreement_id)
    if start is None or end is None:
        start, end = default_period(scope, today=on)
    result, agreements = occupancy_for(scope, start=start, end=end, as_of=on)
    months = result.months()
    grid = []
    # For a role that may not see placements, an organisation's month-by-month occupancy with
    # fewer places than the threshold could date one person's start and end: shown as hidden.
    threshold = count_threshold(user)
    names = list(dict.fromkeys(result.organisations))
    parts = {name: result.for_organisation(name).months() for name in names}
    # A month's cell of 1–(threshold−1) people on average could point at a person; so could the
    # total minus the other cells: hidden the same way as every count (engine.privacy), per month.
    hidden_cells: set[tuple[str, int]] = set()
    all_hidden_months: set[int] = set()
    if threshold > 1:
        for i, month in enumerate(months):
            column = {name: parts[name][i].average_occupied for name in names}
            hidden_cells |= {(name, i) for name in suppressed_keys(column, threshold=threshold)}
            if 0 < month.average_occupied < threshold:
                all_hidden_months.add(i)
    for name in names:
        part = result.for_organisation(name)
        grid.append(
            {
                "organisation": name,
                "hidden": float(part.capacity.sum(axis=0).max(initial=0)) < threshold,
                "cells": [
                    {
                        "row": m,
                        "css": _utilisation_class(m.average_occupied, m.capacity),
                        "hidden": (name, i) in hidden_cells,
                    }
                    for i, m in enumerate(parts[name])
                ],
                "utilisation": part.utilisation,
                "cost": part.cost_sek,
                "empty_cost": part.empty_cost_sek,
            }
        )
    models = payment_models_for(result, agreements)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "result": result,
        "months": months,
        "grid": grid,
        "chart": mark_safe(occupancy_svg(months)),  # noqa: S308 - built from numbers and escaped text
        "models": models,
        "periods": agreement_periods_all(scope, today=on),
        "free": free_places(scope, today=on),
        "today": on,
        "over_capacity_days": len(result.over_capacity_days),
        "threshold": threshold,
        "all_hidden": float(result.capacity.sum(axis=0).max(initial=0)) < threshold
        or bool(all_hidden_months),
        "all_month_cells": [
            {"row": m, "hidden": i in all_hidden_months} for i, m in enumerate(months)
        ],
    }
    return render(request, "occupancy/overview.html", context)


def _basis_from_request(request: HttpRequest) -> tuple[InvoiceForm, InvoiceBasis | None]:
    user: User = request.user  # type: ignore[assignment]
    require(user, "view_invoicing")
    form = InvoiceForm(request.GET or None, organisations=organisation_list_for_user(user))
    if not (form.is_bound and form.is_valid()):
        return form, None
    basis = invoicing_basis(
        user,
        organisation_id=form.cleaned_data["organisation"].pk,
        month=form.cleaned_data["month"],
        today=today(),
    )
    return form, basis


@login_required
def invoicing(request: HttpRequest) -> HttpResponse:
    form, basis = _basis_from_request(request)
    differences = None
    user: User = request.user  # type: ignore[assignment]
    if basis is not None and can(user, "view_differences"):
        # What the participants confirmed against what the supplier reported, before paying.
        differences = month_differences(
            placement_list_for_user(
                user, organisation_id=form.cleaned_data["organisation"].pk, on=today()
            ),
            start=basis.month_start,
            end=basis.month_end,
        )
    return render(
        request,
        "occupancy/invoicing.html",
        {"form": form, "basis": basis, "differences": differences},
    )


def _rows(basis: InvoiceBasis) -> list[list[object]]:
    header = [
        _("Supplier"),
        _("Month"),
        _("Agreement"),
        _("Payment model"),
        _("Contracted place-days"),
        _("Occupied place-days"),
        _("Amount (SEK)"),
    ]
    rows: list[list[object]] = [header]
    for line in basis.lines:
        rows.append(
            [
                basis.organisation,
                basis.month_start.strftime("%Y-%m"),
                f"{line.agreement.start_date.isoformat()} – {line.agreement.end_date.isoformat()}",
                line.agreement.get_payment_model_display(),
                round(line.capacity_place_days, 2),
                round(line.occupied_place_days, 2),
                round(line.amount_sek, 2),
            ]
        )
    rows.append(
        [
            basis.organisation,
            basis.month_start.strftime("%Y-%m"),
            _("Total"),
            "",
            "",
            "",
            round(basis.total_sek, 2),
        ]
    )
    rows.append([])
    rows.append([_("Participant"), _("From"), _("To"), _("Days")])
    for p in basis.placements:
        rows.append([p.participant_code, p.start.isoformat(), p.end.isoformat(), p.days])
    return rows


def _filename(basis: InvoiceBasis, ext: str) -> str:
    return f"fakturaunderlag-{slugify(basis.organisation)}-{basis.month_start:%Y-%m}.{ext}"


@login_required
def invoicing_csv(request: HttpRequest) -> HttpResponse:
    form, basis = _basis_from_request(request)
    if basis is None:
        raise PermissionDenied
    return csv_response(_rows(basis), filename=_filename(basis, "csv"))


@login_required
def invoicing_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    form, basis = _basis_from_request(request)
    if basis is None:
        raise PermissionDenied
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Invoicing basis")[:31]
    for row in _rows(basis):
        sheet_append(sheet, row)
    for cells in sheet.iter_rows(min_row=2, max_row=len(basis.lines) + 2, min_col=5, max_col=7):
        for cell in cells[:2]:
            cell.number_format = "0.00"
        cells[2].number_format = '#,##0.00 "kr"'  # an invoice is paid to the öre
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(basis, "xlsx")}"'
    return response


@login_required
def need(request: HttpRequest) -> HttpResponse:
    """How many places to buy: the history, Little's law and a seeded queue simulation."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "manage_agreements")
    assert user.municipality_id is not None
    on = today()
    start, end = default_window(on)
    initial = {
        "start": start,
        "end": end,
        "target_wait_days": 14,
        "target_share": 90,
        "target_utilisation": 80,
    }
    form = NeedForm(request.GET if "start" in request.GET else None, initial=initial)
    data = initial
    if form.is_bound:
        data = form.cleaned_data if form.is_valid() else {}
    result = None
    if data:
        try:
            result = need_for(
                user.municipality_id,
                start=data["start"],
                end=data["end"],
                today=on,
                target_wait_days=data["target_wait_days"],
                target_share=data["target_share"] / 100,
                target_utilisation=data["target_utilisation"] / 100,
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
    payment = payment_for_need(result) if result is not None else []
    by_work_type = (
        need_by_work_type(user.municipality_id, start=data["start"], end=data["end"], today=on)
        if result is not None
        else []
    )
    return render(
        request,
        "occupancy/need.html",
        {
            "form": form,
            "result": result,
            "payment": [
                (c, c.mean_sek - payment[0].mean_sek if c.model != payment[0].model else None)
                for c in payment
            ],
            "by_work_type": by_work_type,
            "bought": round(result.inputs.places_bought) if result else None,
            "missing": [missing_text(m) for m in result.missing] if result else [],
        },
    )
