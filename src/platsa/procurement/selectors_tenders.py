"""Reads for tender rounds, scoped to who may see them: the unit's manager sees every
procurement of the municipality; an evaluator sees only those they are named on, and only their
own scores until the award (so each scores independently)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from platsa.accounts.models import User
from platsa.common.permissions import can
from platsa.engine.award import Rules, TenderIn
from platsa.procurement.models import (
    RESERVED_MIN_SHARE,
    Procurement,
    ProcurementEvaluator,
    Tender,
    TenderScore,
)


def procurement_list_for_user(user: User) -> QuerySet[Procurement]:
    qs = Procurement.objects.filter(municipality_id=user.municipality_id)
    if can(user, "manage_agreements"):
        return qs
    if can(user, "evaluate_tenders"):
        return qs.filter(evaluators__user=user)
    raise PermissionDenied


def procurement_get_for_user(user: User, pk: int) -> Procurement:
    try:
        return procurement_list_for_user(user).get(pk=pk)
    except Procurement.DoesNotExist:
        raise Http404 from None


def tender_get_for_user(user: User, pk: int) -> Tender:
    try:
        return (
            Tender.objects.filter(procurement__in=procurement_list_for_user(user))
            .select_related("procurement", "organisation", "agreement")
            .get(pk=pk)
        )
    except Tender.DoesNotExist:
        raise Http404 from None


def evaluator_for(user: User, procurement: Procurement) -> ProcurementEvaluator | None:
    if not can(user, "evaluate_tenders"):
        return None
    return ProcurementEvaluator.objects.filter(procurement=procurement, user=user).first()


def tenders_of(procurement: Procurement) -> list[Tender]:
    """The procurement's tenders with what the pages and the award read of them."""
    return list(
        procurement.tenders.select_related("organisation", "agreement").prefetch_related(
            "work_types"
        )
    )


def award_inputs(
    procurement: Procurement, tenders: list[Tender] | None = None
) -> tuple[list[TenderIn], Rules]:
    """The procurement's tenders (``tenders``, if the caller has them loaded) and rules as the
    engine sees them."""
    if tenders is None:
        tenders = tenders_of(procurement)
    criteria = list(procurement.criteria.order_by("position"))
    evaluators = procurement.evaluators.count()
    scores: dict[int, dict[int, list[int]]] = {}
    for tender_id, criterion_id, score in TenderScore.objects.filter(
        tender__procurement=procurement
    ).values_list("tender_id", "criterion_id", "score"):
        scores.setdefault(tender_id, {}).setdefault(criterion_id, []).append(score)
    tenders = [
        TenderIn(
            key=t.pk,
            name=t.organisation.name,
            places_offered=t.places_offered,
            work_types=tuple(w.code for w in t.work_types.all()),
            scores=scores.get(t.pk, {}),
            disadvantaged_share=float(t.disadvantaged_share)
            if t.disadvantaged_share is not None
            else None,
        )
        for t in tenders
    ]
    rules = Rules(
        criteria=tuple(c.pk for c in criteria),
        evaluators=evaluators,
        minimum_score=procurement.minimum_score,
        reserved=procurement.reserved,
        reserved_min_share=float(RESERVED_MIN_SHARE),
    )
    return tenders, rules
