"""A tender round in the app: the procurement and its criteria, the evaluators, the tenders and
each evaluator's scores. The award proposal is in ``platsa.occupancy.views_award`` (it needs the
need for places)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.forms import attach_errors
from platsa.common.http import posted
from platsa.common.permissions import can, require
from platsa.engine.award import assess
from platsa.procurement.award_text import refusal_texts
from platsa.procurement.forms_tenders import EvaluatorForm, ProcurementForm, ScoreForm, TenderForm
from platsa.procurement.models import (
    AsfCriterion,
    Procurement,
    ProcurementEvaluator,
    Tender,
    TenderScore,
)
from platsa.procurement.selectors_tenders import (
    award_inputs,
    evaluator_for,
    procurement_get_for_user,
    procurement_list_for_user,
    tender_get_for_user,
    tenders_of,
)
from platsa.procurement.services_tenders import (
    evaluator_declare,
    evaluator_name,
    evaluator_remove,
    procurement_save,
    tender_save,
    tender_scores_save,
)


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not (can(user, "manage_agreements") or can(user, "evaluate_tenders")):
        raise PermissionDenied
    return user


@login_required
def procurement_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    procurements = list(
        procurement_list_for_user(user).prefetch_related("tenders", "evaluators__user")
    )
    mine = {e.procurement_id: e for e in ProcurementEvaluator.objects.filter(user=user)}
    return render(
        request,
        "procurement/procurement_list.html",
        {
            "procurements": procurements,
            "mine": mine,
            "can_manage": can(user, "manage_agreements"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def procurement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = require(request.user, "manage_agreements")
    procurement = procurement_get_for_user(user, pk) if pk is not None else Procurement()
    if procurement.awarded:
        messages.error(request, _("The procurement is awarded: nothing in it changes any more."))
        return redirect("procurement_detail", pk=procurement.pk)
    form = ProcurementForm(posted(request), instance=procurement)
    if request.method == "POST" and form.is_valid():
        try:
            saved = procurement_save(
                procurement=form.save(commit=False),
                municipality=user.municipality,  # type: ignore[arg-type]
                criteria=form.criteria_lines,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The procurement is saved."))
            return redirect("procurement_detail", pk=saved.pk)
    back = reverse("procurement_detail", args=[pk]) if pk else reverse("procurement_list")
    return render(
        request,
        "procurement/form.html",
        {
            "title": procurement.title if pk else _("New procurement"),
            "form": form,
            "back": back,
            "back_label": _("Procurements"),
        },
    )


@login_required
def procurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    procurement = procurement_get_for_user(user, pk)
    manage = can(user, "manage_agreements")
    evaluator = evaluator_for(user, procurement)
    tenders = tenders_of(procurement)
    criteria = list(procurement.criteria.order_by("position"))
    context: dict[str, object] = {
        "procurement": procurement,
        "criteria": criteria,
        "tenders": tenders,
        "manage": manage,
        "evaluator": evaluator,
        "asf_total": len(AsfCriterion.values),
    }
    if manage:
        inputs, rules = award_inputs(procurement, tenders)
        assessed = {a.key: a for a in assess(inputs, rules)}
        positions = {c.pk: c.position for c in criteria}
        context["rows"] = [
            {
                "tender": t,
                "assessed": assessed[t.pk],
                "means": [assessed[t.pk].criterion_means.get(c.pk) for c in criteria],
                "why": refusal_texts(assessed[t.pk].refusals, positions),
            }
            for t in tenders
        ]
        context["evaluators"] = list(
            procurement.evaluators.select_related("user").prefetch_related("scores")
        )
        context["evaluator_form"] = EvaluatorForm(procurement=procurement, prefix="ev")
        context["expected"] = len(criteria) * len(tenders)
    if evaluator is not None:
        done = TenderScore.objects.filter(evaluator=evaluator).values_list("tender_id", flat=True)
        counts: dict[int, int] = {}
        for tender_id in done:
            counts[tender_id] = counts.get(tender_id, 0) + 1
        context["my_counts"] = counts
    return render(request, "procurement/procurement_detail.html", context)


@login_required
@require_http_methods(["POST"])
def procurement_evaluator_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = require(request.user, "manage_agreements")
    procurement = procurement_get_for_user(user, pk)
    form = EvaluatorForm(request.POST, procurement=procurement, prefix="ev")
    if form.is_valid():
        try:
            evaluator_name(procurement=procurement, user=form.cleaned_data["user"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The evaluator is named."))
    else:
        messages.error(request, _("Nothing was saved: choose one of the listed evaluators."))
    return redirect("procurement_detail", pk=procurement.pk)


@login_required
@require_http_methods(["POST"])
def procurement_evaluator_remove(request: HttpRequest, pk: int, evaluator: int) -> HttpResponse:
    user = require(request.user, "manage_agreements")
    procurement = procurement_get_for_user(user, pk)
    named = get_object_or_404(ProcurementEvaluator, pk=evaluator, procurement=procurement)
    try:
        evaluator_remove(evaluator=named)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The evaluator is removed."))
    return redirect("procurement_detail", pk=procurement.pk)


@login_required
@require_http_methods(["POST"])
def procurement_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluator declares no conflict of interest with any bidder."""
    user = require(request.user, "evaluate_tenders")
    procurement = procurement_get_for_user(user, pk)
    evaluator = evaluator_for(user, procurement)
    if evaluator is None:
        raise PermissionDenied
    if request.POST.get("no_conflict") != "yes":
        messages.error(
            request, _("Nothing was saved: tick the box to declare no conflict of interest.")
        )
        return redirect("procurement_detail", pk=procurement.pk)
    try:
        evaluator_declare(evaluator=evaluator)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your declaration is recorded. You can score the tenders."))
    return redirect("procurement_detail", pk=procurement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def tender_edit(
    request: HttpRequest, pk: int | None = None, tender: int | None = None
) -> HttpResponse:
    user = require(request.user, "manage_agreements")
    if tender is not None:
        instance = tender_get_for_user(user, tender)
        procurement = instance.procurement
    else:
        assert pk is not None
        procurement = procurement_get_for_user(user, pk)
        instance = Tender(procurement=procurement)
    if procurement.awarded:
        messages.error(request, _("The procurement is awarded: nothing in it changes any more."))
        return redirect("procurement_detail", pk=procurement.pk)
    form = TenderForm(posted(request), instance=instance, procurement=procurement)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.procurement = procurement
        try:
            tender_save(
                tender=saved, work_types=list(form.cleaned_data["work_types"]), today=today()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The tender is saved."))
            return redirect("tender_detail", pk=saved.pk)
    return render(
        request,
        "procurement/form.html",
        {
            "title": _("Tender from %(org)s") % {"org": instance.organisation.name}
            if instance.pk
            else _("New tender"),
            "form": form,
            "back": reverse("procurement_detail", args=[procurement.pk]),
            "back_label": procurement.title,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The tender as received; the evaluator's own scores (a form until the award); the
    manager sees every evaluator's scores and reasons."""
    user = _user(request)
    tender = tender_get_for_user(user, pk)
    procurement = tender.procurement
    manage = can(user, "manage_agreements")
    evaluator = evaluator_for(user, procurement)
    criteria = list(procurement.criteria.order_by("position"))
    form = None
    if evaluator is not None:
        mine = {
            s.criterion_id: (s.score, s.reason)
            for s in TenderScore.objects.filter(tender=tender, evaluator=evaluator)
        }
        form = ScoreForm(posted(request), procurement=procurement, criteria=criteria, existing=mine)
        if request.method == "POST" and form.is_valid():
            try:
                saved = tender_scores_save(tender=tender, evaluator=evaluator, scores=form.scores())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                if saved:
                    messages.success(request, _("Your scores are saved."))
                else:
                    messages.info(request, _("Nothing was saved: no criterion was scored."))
                return redirect("procurement_detail", pk=procurement.pk)
    elif request.method == "POST":
        raise PermissionDenied
    all_scores = (
        list(
            TenderScore.objects.filter(tender=tender).select_related("criterion", "evaluator__user")
        )
        if manage
        else []
    )
    asf = [(label, tender.asf_evidence.get(code, "")) for code, label in AsfCriterion.choices]
    return render(
        request,
        "procurement/tender_detail.html",
        {
            "tender": tender,
            "procurement": procurement,
            "criteria": criteria,
            "form": form,
            "evaluator": evaluator,
            "manage": manage,
            "scores": all_scores,
            "asf": asf,
            "work_types": tender.work_types.all(),
        },
    )
