"""Writes for a tender round: the procurement and its criteria, the evaluators, the tenders,
the scores and the award. Each is one transaction, validated before it saves; nothing changes
in a procurement once it is awarded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, Role, User
from platsa.engine.award import assess
from platsa.procurement.models import (
    Agreement,
    EvaluationCriterion,
    Procurement,
    ProcurementEvaluator,
    Tender,
    TenderScore,
    WorkType,
)
from platsa.procurement.selectors_tenders import award_inputs, tenders_of
from platsa.procurement.services import agreement_create

#: Who may be named to score tenders: the municipality's own staff, never a supplier's.
EVALUATOR_ROLES = (Role.COACH, Role.MANAGER, Role.ANALYST, Role.ADMIN)
MIN_REASON = 10


def _locked(procurement: Procurement) -> None:
    locked = Procurement.objects.select_for_update().get(pk=procurement.pk)
    if locked.awarded:
        raise ValidationError(_("The procurement is awarded: nothing in it changes any more."))


@transaction.atomic
def procurement_save(
    *, procurement: Procurement, municipality: Municipality, criteria: list[str]
) -> Procurement:
    """The procurement and its criteria (in order). The criteria cannot change once a score
    has been given: the scores were given against them."""
    if procurement.pk is not None:
        _locked(procurement)
    procurement.municipality = municipality
    criteria = [c.strip() for c in criteria if c.strip()]
    if not criteria:
        raise ValidationError({"criteria": [_("Give at least one criterion, one a line.")]})
    if len(criteria) > 10:
        raise ValidationError({"criteria": [_("At most 10 criteria.")]})
    procurement.full_clean()
    procurement.save()
    existing = list(procurement.criteria.order_by("position").values_list("text", flat=True))
    if existing != criteria:
        if TenderScore.objects.filter(tender__procurement=procurement).exists():
            raise ValidationError(
                {"criteria": [_("Tenders have been scored: the criteria can no longer change.")]}
            )
        procurement.criteria.all().delete()
        EvaluationCriterion.objects.bulk_create(
            EvaluationCriterion(procurement=procurement, position=i, text=text)
            for i, text in enumerate(criteria, start=1)
        )
    return procurement


@transaction.atomic
def evaluator_name(*, procurement: Procurement, user: User) -> ProcurementEvaluator:
    _locked(procurement)
    if (
        user.municipality_id != procurement.municipality_id
        or user.role not in EVALUATOR_ROLES
        or not user.is_active
    ):
        raise ValidationError(
            {"user": [_("Only the municipality's own staff (not a supplier) can evaluate.")]}
        )
    evaluator, _created = ProcurementEvaluator.objects.get_or_create(
        procurement=procurement, user=user
    )
    return evaluator


@transaction.atomic
def evaluator_remove(*, evaluator: ProcurementEvaluator) -> None:
    _locked(evaluator.procurement)
    if evaluator.scores.exists():
        raise ValidationError(_("The evaluator has given scores and stays on the procurement."))
    evaluator.delete()


@transaction.atomic
def evaluator_declare(*, evaluator: ProcurementEvaluator) -> ProcurementEvaluator:
    """The evaluator declares no conflict of interest with any bidder (before scoring)."""
    _locked(evaluator.procurement)
    if evaluator.no_conflict_declared_at is None:
        evaluator.no_conflict_declared_at = timezone.now()
        evaluator.save(update_fields=["no_conflict_declared_at"])
    return evaluator


@transaction.atomic
def tender_save(*, tender: Tender, work_types: list[WorkType], today: dt.date) -> Tender:
    procurement = tender.procurement
    _locked(procurement)
    errors: dict[str, list[str]] = {}
    if tender.received_on is None:
        errors["received_on"] = [_("Give the day the tender was received.")]
    elif tender.received_on > today:
        errors["received_on"] = [_("A tender cannot be received in the future.")]
    elif procurement.tender_deadline and tender.received_on > procurement.tender_deadline:
        errors["received_on"] = [
            _("Received after the deadline (%(date)s): a late tender is not considered.")
            % {"date": procurement.tender_deadline.isoformat()}
        ]
    if not tender.places_offered:
        errors["places_offered"] = [_("Give the number of places offered (1–200).")]
    if procurement.reserved and tender.disadvantaged_share is not None:
        if not tender.disadvantaged_evidence.strip():
            errors["disadvantaged_evidence"] = [
                _("Say where the share is shown (e.g. the staff list of a given date).")
            ]
    if errors:
        raise ValidationError(errors)
    tender.full_clean()
    tender.save()
    tender.work_types.set(work_types)
    return tender


@transaction.atomic
def tender_scores_save(
    *,
    tender: Tender,
    evaluator: ProcurementEvaluator,
    scores: Mapping[int, tuple[int | None, str]],
) -> int:
    """The evaluator's score and reason on each criterion given (criterion id → (score,
    reason)); a criterion left blank keeps what was there. Returns how many were saved."""
    procurement = tender.procurement
    _locked(procurement)
    if evaluator.procurement_id != procurement.pk:
        raise ValidationError(_("You are not an evaluator of this procurement."))
    if evaluator.no_conflict_declared_at is None:
        raise ValidationError(_("Declare that you have no conflict of interest before scoring."))
    criteria = {c.pk: c for c in procurement.criteria.all()}
    errors: dict[str, list[str]] = {}
    valid: list[tuple[EvaluationCriterion, int, str]] = []
    for cid, (score, reason) in scores.items():
        if cid not in criteria:
            raise ValidationError(_("Unknown criterion."))
        reason = reason.strip()
        if score is None and not reason:
            continue
        key = f"c{cid}"
        if score is None or not procurement.scale_min <= score <= procurement.scale_max:
            errors[f"{key}_score"] = [
                _("Give a score from %(lo)s to %(hi)s.")
                % {"lo": procurement.scale_min, "hi": procurement.scale_max}
            ]
        if len(reason) < MIN_REASON:
            errors[f"{key}_reason"] = [_("Write why, in a sentence (at least 10 characters).")]
        if score is not None and len(reason) >= MIN_REASON and f"{key}_score" not in errors:
            valid.append((criteria[cid], score, reason))
    if errors:
        raise ValidationError(errors)
    for criterion, score, reason in valid:
        TenderScore.objects.update_or_create(
            tender=tender,
            criterion=criterion,
            evaluator=evaluator,
            defaults={"score": score, "reason": reason},
        )
    return len(valid)


@transaction.atomic
def procurement_award(
    *,
    procurement: Procurement,
    allocation: Mapping[int, int],
    rationale: str,
    decided_on: dt.date,
    by: User,
    today: dt.date,
) -> list[Agreement]:
    """Award the places (tender id → places) and write an agreement, with its places, for each
    tender given any, on the procurement's terms. All or nothing."""
    _locked(procurement)
    loaded = tenders_of(procurement)
    tenders = {t.pk: t for t in loaded}
    # Which tenders qualify is decided here, from the scores as they stand, not by the caller.
    qualifying = {a.key for a in assess(*award_inputs(procurement, loaded)) if a.qualifies}
    errors: dict[str, list[str]] = {}
    if decided_on > today:
        errors["decided_on"] = [_("A decision cannot be dated in the future.")]
    if len(rationale.strip()) < MIN_REASON:
        errors["rationale"] = [_("Write the rationale for the award.")]
    terms = {
        "contract_start": procurement.contract_start,
        "contract_end": procurement.contract_end,
        "price_sek": procurement.price_sek,
    }
    missing = [procurement._meta.get_field(k).verbose_name for k, v in terms.items() if v is None]
    if missing:
        errors["__all__"] = [
            _("Give the agreements' terms in the procurement first: %(fields)s.")
            % {"fields": ", ".join(str(m) for m in missing)}
        ]
    for key, places in allocation.items():
        tender = tenders.get(key)
        if tender is None:
            raise ValidationError(_("Unknown tender."))
        field = f"t{key}"
        if places < 0 or places > (tender.places_offered or 0):
            errors[field] = [
                _("From 0 to the %(n)s places offered.") % {"n": tender.places_offered or 0}
            ]
        elif places and key not in qualifying:
            errors[field] = [_("The tender does not qualify: it cannot be awarded places.")]
    if not errors and sum(allocation.values()) == 0:
        errors["__all__"] = [_("Award at least one place.")]
    if errors:
        raise ValidationError(errors)
    agreements = []
    for key, tender in sorted(tenders.items(), key=lambda kv: kv[1].organisation.name):
        places = allocation.get(key, 0)
        tender.places_awarded = places
        if places:
            agreement = agreement_create(
                agreement=Agreement(
                    organisation=tender.organisation,
                    procurement=procurement,
                    start_date=procurement.contract_start,
                    end_date=procurement.contract_end,
                    extension_options=procurement.extension_options,
                    auto_renew=procurement.auto_renew,
                    notice_months=procurement.notice_months,
                    payment_model=procurement.payment_model,
                    price_sek=procurement.price_sek,
                    notes=_("Awarded in %(title)s on %(date)s.")
                    % {"title": procurement.title, "date": decided_on.isoformat()},
                ),
                places=places,
            )
            types = list(tender.work_types.all())
            agreement.places.update(
                work_type=types[0] if len(types) == 1 else None,
                location=tender.location,
                physical_demand=tender.physical_demand,
                public_transport=tender.public_transport,
            )
            tender.agreement = agreement
            agreements.append(agreement)
        tender.save(update_fields=["places_awarded", "agreement"])
    procurement.awarded = True
    procurement.awarded_on = decided_on
    procurement.awarded_by = by
    procurement.award_rationale = rationale.strip()
    procurement.save(update_fields=["awarded", "awarded_on", "awarded_by", "award_rationale"])
    return agreements
