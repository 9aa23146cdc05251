"""Organisations, procurements and their tenders, agreements and their places."""

from platsa.procurement.models.core import (
    PHYSICAL_ORDER,
    Agreement,
    AgreementPlaces,
    AgreementSupervisor,
    AsfCriterion,
    EvaluationCriterion,
    LegalForm,
    Organisation,
    PaymentModel,
    PhysicalDemand,
    Place,
    Procurement,
    ProcurementKind,
    RenewalChoice,
    RenewalDecision,
    WorkType,
)
from platsa.procurement.models.tenders import (
    RESERVED_MIN_SHARE,
    ProcurementEvaluator,
    Tender,
    TenderScore,
)

__all__ = [
    "PHYSICAL_ORDER",
    "RESERVED_MIN_SHARE",
    "Agreement",
    "AgreementPlaces",
    "AgreementSupervisor",
    "AsfCriterion",
    "EvaluationCriterion",
    "LegalForm",
    "Organisation",
    "PaymentModel",
    "PhysicalDemand",
    "Place",
    "Procurement",
    "ProcurementEvaluator",
    "ProcurementKind",
    "RenewalChoice",
    "RenewalDecision",
    "Tender",
    "TenderScore",
    "WorkType",
]
