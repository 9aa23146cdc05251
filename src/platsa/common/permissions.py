"""What each role may do: one table, read by views, menus and tests alike.

Object-level scoping (which municipality, which organisation) lives in each app's selectors
(``placement_get_for_user`` and friends); this module says which kinds of page a role may open.
"""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from platsa.accounts.models import Region, Role, User

Action = Literal[
    "view_organisations",
    "view_agreements",
    "view_placements",
    "view_plan",
    "view_participant_profile",
    "view_aggregates",
    "view_occupancy",
    "view_invoicing",
    "report_attendance",
    "follow_up",
    "intake",
    "assess",
    "set_goals",
    "manage_agreements",
    "edit_guidance",
    "save_scenarios",
    "set_alternatives",
    "review_access",
    "record_access_review",
    "export_participation",
    "view_differences",
    "explain_differences",
    "use_api",
    "evaluate_tenders",
    "share_with_region",
    "set_parameters",
]

# The roles that work with the measure; the log reviewer only reviews the access log.
_STAFF = frozenset({Role.COACH, Role.SUPERVISOR, Role.MANAGER, Role.ANALYST, Role.ADMIN})

_ALLOWED: dict[Action, frozenset[str]] = {
    "view_organisations": _STAFF,
    "view_agreements": frozenset({Role.COACH, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}),
    "view_placements": frozenset({Role.COACH, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}),
    # The order (plan) and the participant's interests and constraints are for the people who
    # work with the participant; a manager sees dates, organisations and destinations.
    "view_plan": frozenset({Role.COACH, Role.SUPERVISOR, Role.ADMIN}),
    "view_participant_profile": frozenset({Role.COACH, Role.ADMIN}),
    "view_aggregates": frozenset({Role.COACH, Role.MANAGER, Role.ANALYST, Role.ADMIN}),
    # Occupancy counts places, not people: every role; a supervisor sees their organisation's.
    "view_occupancy": _STAFF,
    # Money owed to a supplier: the manager and the supplier itself.
    "view_invoicing": frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}),
    # The supervisor reports the days; the coach may correct them.
    "report_attendance": frozenset({Role.SUPERVISOR, Role.COACH, Role.ADMIN}),
    # Closing a placement, follow-up meetings, after-exit checks and the whole journey: the coach.
    "follow_up": frozenset({Role.COACH, Role.ADMIN}),
    # Registering and referring participants, placing and moving them: the coach's daily work.
    "intake": frozenset({Role.COACH, Role.ADMIN}),
    # Progression is filled in by the participant with the supervisor or the coach.
    "assess": frozenset({Role.COACH, Role.SUPERVISOR, Role.ADMIN}),
    "set_goals": frozenset({Role.MANAGER, Role.ADMIN}),
    # Organisations, agreements, their places and named supervisors: what the unit has bought.
    "manage_agreements": frozenset({Role.MANAGER, Role.ADMIN}),
    # The municipality's definitions and checklist: its administrator keeps them.
    "edit_guidance": frozenset({Role.ADMIN}),
    # Assumptions are the analyst's trade as much as the manager's.
    "save_scenarios": frozenset({Role.MANAGER, Role.ANALYST, Role.ADMIN}),
    # What in-house places would cost is the unit's own budget: the manager enters it.
    "set_alternatives": frozenset({Role.MANAGER, Role.ADMIN}),
    # Who read or changed which participant's data: the log reviewer's monthly work; the
    # administrator searches it too (e.g. to answer a subject-access request).
    "review_access": frozenset({Role.REVIEWER, Role.ADMIN}),
    # The documented check of the month's sample is the reviewer's alone: the administrator's
    # own reading is among what is reviewed.
    "record_access_review": frozenset({Role.REVIEWER}),
    # Who took part, when and why it ended, person by person, for the municipality's own
    # statistics: the roles that may open the placements, less the supplier's supervisor.
    "export_participation": frozenset({Role.COACH, Role.MANAGER, Role.ADMIN}),
    # Where the supplier's report and the participant's own account of a day differ: seen by
    # both sides before invoicing; explained by the municipality.
    "view_differences": frozenset({Role.SUPERVISOR, Role.COACH, Role.MANAGER, Role.ADMIN}),
    "explain_differences": frozenset({Role.COACH, Role.MANAGER, Role.ADMIN}),
    # Personal API keys: every role that works with the measure; the log reviewer works in the
    # app only. What a key then reaches is the user's own role's, action by action.
    "use_api": _STAFF,
    # Scoring tenders: the municipality's own staff, when named on the procurement (a
    # supplier's supervisor never; the log reviewer only reviews the log).
    "evaluate_tenders": frozenset({Role.COACH, Role.MANAGER, Role.ANALYST, Role.ADMIN}),
    # Letting a region see the municipality's aggregates: a decision the administrator records.
    "share_with_region": frozenset({Role.ADMIN}),
    # The municipality's own dated figures (social assistance a month, tax rates, the share of a
    # tax krona it keeps): the unit's manager or the administrator enters them, with a source.
    "set_parameters": frozenset({Role.MANAGER, Role.ADMIN}),
}

#: The actions of the import kinds (``platsa.transfer.kinds``): a role with any of them
#: imports something (tests/web/test_imports.py keeps the two in step).
IMPORT_ACTIONS: tuple[Action, ...] = (
    "intake",
    "manage_agreements",
    "report_attendance",
    "follow_up",
)


def can(user: User | AnonymousUser, action: Action) -> bool:
    if not user.is_authenticated or not isinstance(user, User):
        return False
    if user.municipality_id is None:
        return False
    return user.role in _ALLOWED[action]


def require(user: User | AnonymousUser, action: Action) -> User:
    """Return the user if the role may do ``action``; otherwise refuse with 403."""
    if not can(user, action):
        raise PermissionDenied
    assert isinstance(user, User)
    return user


def require_region(user: User | AnonymousUser) -> Region:
    """The region of a regional analyst; anyone else is refused with 403. A regional analyst
    belongs to no municipality, so ``can`` refuses them every municipal page."""
    if not isinstance(user, User) or not user.is_regional_analyst:
        raise PermissionDenied
    assert user.region is not None
    return user.region


def count_threshold(user: User | AnonymousUser) -> int:
    """The smallest count the user may see in an aggregate: 1 for a role that may open the
    placements themselves, else ``PLATSA_MIN_GROUP_SIZE`` (smaller counts read "hidden")."""
    return 1 if can(user, "view_placements") else settings.PLATSA_MIN_GROUP_SIZE
