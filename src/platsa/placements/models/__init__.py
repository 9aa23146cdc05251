"""Participants, placements and everything recorded while following them."""

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
    ExitCheckStatus,
    FollowUpMeeting,
)

__all__ = [
    "PSEUDONYM",
    "AbsenceReason",
    "Attendance",
    "AttendanceChange",
    "AttendanceStatus",
    "CohortOutcome",
    "Destination",
    "ExitCheck",
    "ExitCheckStatus",
    "FollowUpMeeting",
    "Gender",
    "Participant",
    "Placement",
    "ScopeStep",
]
