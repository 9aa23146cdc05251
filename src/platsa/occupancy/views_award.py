"""The award proposal: the places to buy (stated, or the need for places' recommendation),
allocated among the qualifying tenders by score (``platsa.engine.award``) and written out; the
manager may change the numbers and the rationale, and the award becomes agreements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.common.clock import today
from platsa.common.forms import attach_errors
from platsa.common.http import posted
from platsa.common.permissions import require
from platsa.engine.award import assess, propose
from platsa.occupancy.need import default_window, need_for
from platsa.procurement.award_text import rationale_text, refusal_texts
from platsa.procurement.forms_tenders import AwardForm
from platsa.procurement.selectors_tenders import (
    award_inputs,
    procurement_get_for_user,
    tenders_of,
)
from platsa.procurement.services_tenders import procurement_award


@login_required
@require_http_methods(["GET", "POST"])
def procurement_award_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = require(request.user, "manage_agreements")
    assert user.municipality_id is not None
    procurement = procurement_get_for_user(user, pk)
    if procurement.awarded:
        messages.info(request, _("The procurement is already awarded."))
        return redirect("procurement_detail", pk=procurement.pk)
    on = today()
    need = None
    if procurement.places_to_buy is not None:
        target = procurement.places_to_buy
        source = _("Places to buy: %(n)s, as stated in the procurement.") % {"n": target}
    else:
        window = default_window(on)
        need = need_for(
            user.municipality_id, start=window[0], end=window[1], today=on, simulations=200
        )
        target = need.recommended_places
        source = (
            _(
                "Places to buy: %(n)s, what the need for places recommends for nine in ten of "
                "those referred to start within %(d)s days, from the last twelve months "
                "(90 %% of the simulations: %(lo)s–%(hi)s; %(used)s places in use on average)."
            )
            % {
                "n": target,
                "d": need.target_wait_days,
                "lo": need.recommended_band[0] if need.recommended_band else "–",
                "hi": need.recommended_band[1] if need.recommended_band else "–",
                "used": number_format(need.inputs.average_in_use, 1),
            }
            if target is not None
            else ""
        )
    tenders = tenders_of(procurement)
    inputs, rules = award_inputs(procurement, tenders)
    positions = dict(procurement.criteria.values_list("pk", "position"))
    work_types = {t.pk: [w.name for w in t.work_types.all()] for t in tenders}
    proposal = propose(inputs, rules, places=target) if target is not None else None
    initial = {}
    if proposal is not None:
        initial["rationale"] = rationale_text(
            proposal, target_source=source, positions=positions, work_types=work_types
        )
    form = AwardForm(
        posted(request),
        tenders=tenders,
        proposal=proposal.allocation if proposal else {},
        initial=initial,
    )
    assessed = proposal.assessed if proposal is not None else assess(inputs, rules)
    if request.method == "POST" and form.is_valid():
        try:
            agreements = procurement_award(
                procurement=procurement,
                allocation=form.allocation(),
                rationale=form.cleaned_data["rationale"],
                decided_on=form.cleaned_data["decided_on"],
                by=user,
                today=on,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("The procurement is awarded: %(n)s agreements with their places are written.")
                % {"n": len(agreements)},
            )
            return redirect("procurement_detail", pk=procurement.pk)
    rows = []
    if proposal is not None:
        by_key = {a.key: a for a in proposal.assessed}
        for t in tenders:
            a = by_key[t.pk]
            rows.append(
                {
                    "tender": t,
                    "assessed": a,
                    "field": form[f"t{t.pk}"],
                    "proposed": proposal.allocation.get(t.pk, 0),
                    "why": refusal_texts(a.refusals, positions),
                }
            )
    return render(
        request,
        "occupancy/procurement_award.html",
        {
            "procurement": procurement,
            "proposal": proposal,
            "rows": rows,
            "form": form,
            "need": need,
            "target": target,
            "source": source,
            "waiting": sum(any(r.what == "incomplete" for r in a.refusals) for a in assessed),
        },
    )
