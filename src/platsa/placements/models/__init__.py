"""Participants, placements and everything recorded while following them."""

from platsa.placements.models.access import AccessReview, ParticipantAccess, ReviewOutcome
from platsa.placements.models.confirmation import (
    ConfirmationCode,
    ConfirmedVia,
    DifferenceNote,
    WeekConfirmation,
)
from platsa.placements.models.core import (
    PSEUDONYM,
    CohortOutcome,
    Destination,
    Gender,
    Participant,
    Placement,
    ScopeStep,
)
from platsa.placements.models.followup import (
    AbsenceReason,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    ExitCheck,
    ExitCheckSource,
    ExitCheckStatus,
    FollowUpMeeting,
    PlacementPause,
)
from platsa.placements.models.intake import Referral
from platsa.placements.models.progression import (
    Assessment,
    AssessmentScore,
    Instrument,
    InstrumentScale,
    Occasion,
)
from platsa.placements.models.retention import Erasure

__all__ = [
    "ConfirmationCode",
    "ConfirmedVia",
    "DifferenceNote",
    "WeekConfirmation",
    "AccessReview",
    "Erasure",
    "ReviewOutcome",
    "ParticipantAccess",
    "PSEUDONYM",
    "Assessment",
    "AssessmentScore",
    "Instrument",
    "InstrumentScale",
    "Occasion",
    "AbsenceReason",
    "Attendance",
    "AttendanceChange",
    "AttendanceStatus",
    "CohortOutcome",
    "Destination",
    "ExitCheck",
    "ExitCheckSource",
    "ExitCheckStatus",
    "FollowUpMeeting",
    "Gender",
    "Participant",
    "Placement",
    "PlacementPause",
    "Referral",
    "ScopeStep",
]
