"""Display helpers: Swedish amounts (``12 345 kr``), ISO dates, flag and status sentences."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platsa.accounts.models import Role
from platsa.common.labels import (
    AGREEMENT_STATUS_LABELS,
    ASSUMPTION_LABELS,
    FLAG_LABELS,
    MATCH_REASON_LABELS,
    MATCH_RULED_OUT_LABELS,
    STATUS_LABELS,
    choice_label,
)
from platsa.engine.privacy import CountCell
from platsa.engine.quality import PlacementFlag, PlacementStatus

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """``coach`` → ``Coach`` in the user's language; an empty role (the operator) stays empty."""
    return str(Role(code).label) if code in Role.values else code


@register.filter
def sek(value: float | Decimal | int | None) -> str:
    """``864000`` → ``864 000 kr`` (no-break spaces; rounded only here, for display)."""
    if value is None:
        return "–"
    rounded = int(round(float(value)))
    digits = f"{abs(rounded):,}".replace(",", "\u00a0")
    return f"{'−' if rounded < 0 else ''}{digits}\u00a0kr"


@register.filter
def isodate(value: dt.date | str | None) -> str:
    """A date as YYYY-MM-DD; text (e.g. a date typed into a form) is shown as it is."""
    if isinstance(value, str):
        return value
    return value.isoformat() if value else "–"


@register.filter
def flag_label(flag: PlacementFlag) -> str:
    return str(FLAG_LABELS[PlacementFlag(flag)])


@register.filter
def status_label(status: PlacementStatus) -> str:
    return str(STATUS_LABELS[PlacementStatus(status)])


@register.filter
def agreement_status_label(status: str) -> str:
    return str(AGREEMENT_STATUS_LABELS[status])


@register.filter
def count_cell(cell: CountCell) -> str:
    """A suppressed aggregate count reads "hidden"; others read as the number."""
    return _("hidden") if cell.suppressed else str(cell.value)


@register.filter
def percent(value: float | None) -> str:
    """``0.4623`` → ``46 %``; ``None`` (nothing to divide by) → ``–``."""
    if value is None:
        return "–"
    return f"{value * 100:.0f}\u00a0%"


@register.filter
def steadiness(value: float | None) -> str:
    """A coefficient of variation as a percentage; no income at all reads as such."""
    if value is None:
        return _("no income")
    return f"{value * 100:.0f}\u00a0%"


@register.filter
def payment_model_label(code: str) -> str:
    return choice_label("payment_model", code)


@register.filter
def assumption_label(code: str, value: float) -> str:
    if code in (
        "attendance_rate",
        "hybrid_base_share",
        "scope_recorded_share",
        "attendance_recorded_share",
    ):
        shown = f"{value * 100:.0f}\u00a0%"
    elif code.endswith("_sek"):
        shown = f"{round(value):,}".replace(",", "\u00a0")
    else:
        shown = f"{value:g}"
    return str(ASSUMPTION_LABELS[code]) % {"value": shown}


@register.filter
def weekday_sv(day: dt.date) -> str:
    """The weekday's name in the active language (``Måndag``)."""
    names = (
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    )
    return str(names[day.weekday()])


@register.filter
def match_reason(code: str) -> str:
    return str(MATCH_REASON_LABELS[code])


@register.filter
def match_ruled_out(code: str) -> str:
    return str(MATCH_RULED_OUT_LABELS[code])


@register.filter
def masked(value: int | None, threshold: int) -> str:
    """A count, or "hidden" when it is small enough to point at a person (1 … threshold − 1)."""
    if value is None:
        return "–"
    return _("hidden") if 0 < value < threshold else str(value)


@register.simple_tag
def share_of(numerator: int, denominator: int, threshold: int) -> str:
    """``n of N (p %)``, or "hidden" when the group is small enough to point at a person."""
    if denominator == 0:
        return "–"
    if 0 < denominator < threshold:
        return _("hidden")
    return _("%(n)s of %(d)s (%(p)s %%)") % {
        "n": numerator,
        "d": denominator,
        "p": round(100 * numerator / denominator),
    }


@register.filter
def destination_label(code: str) -> str:
    return choice_label("destination", code)


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping[key]``, or nothing when there is no such mapping or key."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def actor_label(code: str) -> str:
    labels = {
        "municipality": _("Municipality"),
        "region": _("Region"),
        "state": _("State"),
        "individual": _("The individual"),
        "organisations": _("The organisations"),
    }
    return str(labels.get(code, code))


@register.filter
def cost_item_label(code: str) -> str:
    labels = {
        "purchase": _("Purchase of the places"),
        "coach_time": _("The municipality's own staff (coaches)"),
        "wage_subsidy": _("Wage subsidies to the jobs obtained"),
        "organisation_inputs": _("The organisations' own inputs"),
    }
    return str(labels.get(code, code))


@register.filter
def decimal(value: float | None, places: int = 2) -> str:
    """``2.4546`` → ``2,45`` (Swedish decimal comma); ``None`` (not reached) or anything that is
    not a number (a figure missing from an older saved result) → ``–``."""
    if value is None or isinstance(value, str) or not math.isfinite(float(value)):
        return "–"
    text = f"{float(value):.{int(places)}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "−0,00"
    return text.replace(".", ",").replace("-", "−")


@register.filter
def percent1(value: float | None) -> str:
    """``0.035`` → ``3,5 %``: a share as an assumption is written, with one decimal."""
    if value is None:
        return "–"
    return f"{float(value) * 100:.1f}\u00a0%".replace(".", ",")


AGE_BAND_LABELS = {
    "under_30": gettext_lazy("Under 30"),
    "30_49": gettext_lazy("30–49"),
    "50_plus": gettext_lazy("50 or older"),
    "unknown": gettext_lazy("Not recorded"),
}


@register.filter
def age_band_label(code: str) -> str:
    return str(AGE_BAND_LABELS.get(code, code))


@register.filter
def gender_label(code: str) -> str:
    if code == "unknown":
        return str(AGE_BAND_LABELS["unknown"])
    return choice_label("gender", code)


@register.filter
def masked_report(value: int | None, threshold: int) -> str:
    """A count for a report: "fewer than N" when it is small enough to point at a person."""
    if value is None:
        return "–"
    if 0 < value < threshold:
        return _("fewer than %(n)s") % {"n": threshold}
    return str(value)


@register.filter
def years(value: float | None) -> str:
    """``1.8947`` → ``1,89``; infinity (never) → "never"."""
    if value is None or value == float("inf"):
        return _("never")
    return decimal(value, 2)


UNIT_LABELS = {
    "share": gettext_lazy("share"),
    "SEK/month": gettext_lazy("SEK a month"),
    "SEK/week": gettext_lazy("SEK a week"),
}


@register.filter
def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))
