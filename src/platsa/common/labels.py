"""Swedish sentences for the engine's codes (flags, statuses), kept in one place."""

from __future__ import annotations

from django.db.models import Choices
from django.utils.translation import gettext_lazy as _

from platsa.engine.quality import PlacementFlag, PlacementStatus

STATUS_LABELS = {
    PlacementStatus.PLANNED: _("Planned"),
    PlacementStatus.ONGOING: _("Ongoing"),
    PlacementStatus.ENDED: _("Ended"),
}

FLAG_LABELS = {
    PlacementFlag.NO_AGREEMENT: _("No agreement is recorded for the placement."),
    PlacementFlag.STARTS_BEFORE_AGREEMENT: _("The placement starts before its agreement does."),
    PlacementFlag.STARTS_AFTER_AGREEMENT: _("The placement starts after its agreement has ended."),
    PlacementFlag.OPEN_END: _("The placement has no end date and no planned end."),
    PlacementFlag.PLANNED_END_PASSED: _("The planned end has passed but no end has been recorded."),
    PlacementFlag.ENDED_WITHOUT_DESTINATION: _(
        "The placement has ended but where the participant went is not recorded."
    ),
    PlacementFlag.SOURCE_IRREGULAR: _("The record differs from its source; see the note."),
}

AGREEMENT_STATUS_LABELS = {
    "coming": _("Not yet started"),
    "in_force": _("In force"),
    "ended": _("Period ended"),
}

# Assumptions a payment model takes where data is not recorded; %(value)s is the value used.
ASSUMPTION_LABELS = {
    "weekday_rate_per_month_sek": _("%(value)s kr a month per weekday a week (Nordanstig's rate)"),
    "scheduled_days_per_week": _(
        "Where scope is not recorded: %(value)s scheduled days a week assumed"
    ),
    "attendance_rate": _(
        "Where attendance is not reported: %(value)s of scheduled days assumed attended"
    ),
    "scope_recorded_share": _("Scope recorded for %(value)s of the placement-days"),
    "attendance_recorded_share": _("Attendance reported for %(value)s of the placed weekdays"),
    "price_per_attended_day_sek": _(
        "%(value)s kr per attended day (the monthly price × 12 / 261 weekdays)"
    ),
    "hybrid_base_share": _("Assumed: %(value)s of the places guaranteed as base places"),
}

MATCH_REASON_LABELS = {
    "interest": _("A work type the participant is interested in"),
    "setting": _("Indoor or outdoor as the participant wants"),
    "physical": _("Physical demands the participant can take"),
    "transport": _("Reachable by public transport"),
    "transport_unknown": _("Whether it is reachable by public transport is not recorded"),
    "free_now": _("A place is free now"),
    "free_soon": _("A place becomes free within 30 days"),
    "work_type_unknown": _(
        "The place's own work type is not recorded: the organisation's are used"
    ),
}

MATCH_RULED_OUT_LABELS = {
    "excluded_work_type": _("A work type the participant will not do"),
    "setting": _("Not the indoor or outdoor setting the participant wants"),
    "too_heavy": _("Too physically demanding"),
    "no_transport": _("Not reachable by public transport"),
    "full": _("No place free within 30 days"),
}


# The choices of the apps above, registered by each app when it is ready, so that the template
# helpers here can name a stored code without importing the app that defines it.
_CHOICES: dict[str, type[Choices]] = {}


def register_choices(name: str, choices: type[Choices]) -> None:
    _CHOICES[name] = choices


def choice_label(name: str, code: str) -> str:
    """The label of ``code`` in the choices registered as ``name``; the code itself if unknown."""
    choices = _CHOICES.get(name)
    if choices is None or code not in choices.values:
        return code
    return str(choices(code).label)
