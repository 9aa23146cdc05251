"""A municipality's parameters: the shipped values (with the files' municipal overrides) and the
dated values the municipality has entered itself, each with its source.

Every figure of a municipality is computed with :func:`municipality_parameters`, so that a value
entered in the app is used by the value pages, the scenarios, the board report and the regional
view alike, and shows in their traces with its source.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality
from platsa.engine.parameters import DatedValue, Parameter, ParameterSet, default_parameters
from platsa.impact.models import MUNICIPAL_PARAMETERS, ParameterValue

__all__ = ["OWN_SOURCE", "bounds", "municipality_parameters", "own_values"]

#: The ``source`` of a spliced parameter, for a trace: where the municipality's values live.
OWN_SOURCE = "platsa (kommunens egna värden)"


def bounds(unit: str) -> tuple[float, float]:
    """The values a municipality may enter for a parameter of ``unit`` (exclusive low, inclusive
    high): a share is a fraction above 0 and at most 1; an amount a month above 0 and at most
    200,000 kr."""
    if unit == "share":
        return 0.0, 1.0
    return 0.0, 200_000.0


def own_values(municipality_id: int) -> list[ParameterValue]:
    return list(
        ParameterValue.objects.filter(municipality_id=municipality_id).select_related("recorded_by")
    )


def municipality_parameters(municipality: Municipality) -> ParameterSet:
    """The shipped parameters with the municipality's own dated values spliced in (a value on
    the same day as a shipped one replaces it)."""
    base = default_parameters(municipality.code)
    rows = own_values(municipality.pk)
    if not rows:
        return base
    by_name: dict[str, list[DatedValue]] = defaultdict(list)
    for row in rows:
        if row.name not in MUNICIPAL_PARAMETERS:
            continue
        who = row.recorded_by.username if row.recorded_by else "?"
        by_name[row.name].append(
            DatedValue(
                row.effective_from,
                float(row.value),
                _("%(reference)s (the municipality's own figure, recorded by %(who)s on %(day)s)")
                % {
                    "reference": row.reference,
                    "who": who,
                    "day": row.recorded_at.date().isoformat(),
                },
                note=row.note,
            )
        )
    overrides = {
        name: Parameter(
            name,
            base.get(name).description,
            base.get(name).unit,
            tuple(sorted(values, key=lambda v: v.effective_from)),
            OWN_SOURCE,
        )
        for name, values in by_name.items()
    }
    return base.with_overrides(overrides)
