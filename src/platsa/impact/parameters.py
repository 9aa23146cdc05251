"""A municipality's parameters: the shipped values (with the files' municipal overrides) and the
dated values the municipality has entered itself, each with its source.

Every figure of a municipality is computed with :func:`municipality_parameters`, so that a value
entered in the app is used by the value pages, the scenarios, the board report and the regional
view alike, and shows in their traces with its source.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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


#: Bumped, in this process, whenever a municipality's own values are written: a parameter set
#: kept on a ``Municipality`` instance (one request's, in practice) is read again after a write.
_VERSION: dict[int, int] = {}


@receiver([post_save, post_delete], sender=ParameterValue)
def _changed(sender: object, instance: ParameterValue, **kwargs: object) -> None:
    _VERSION[instance.municipality_id] = _VERSION.get(instance.municipality_id, 0) + 1


@dataclass(frozen=True)
class _Read:
    version: int
    rows: tuple[ParameterValue, ...]
    parameters: ParameterSet


def _read(municipality: Municipality) -> _Read:
    """The municipality's own values and the spliced set, read once per ``Municipality``
    instance (a page asks for them from several places) until one of its values is written."""
    version = _VERSION.get(municipality.pk, 0)
    kept: _Read | None = getattr(municipality, "_platsa_parameters", None)
    if kept is not None and kept.version == version:
        return kept
    rows = tuple(
        ParameterValue.objects.filter(municipality_id=municipality.pk).select_related("recorded_by")
    )
    read = _Read(version, rows, _spliced(default_parameters(municipality.code), rows))
    municipality._platsa_parameters = read  # type: ignore[attr-defined]
    return read


def own_values(municipality: Municipality) -> tuple[ParameterValue, ...]:
    """The municipality's own dated values, oldest first per parameter."""
    return _read(municipality).rows


def municipality_parameters(municipality: Municipality) -> ParameterSet:
    """The shipped parameters with the municipality's own dated values spliced in (a value on
    the same day as a shipped one replaces it)."""
    return _read(municipality).parameters


def _spliced(base: ParameterSet, rows: tuple[ParameterValue, ...]) -> ParameterSet:
    if not rows:
        return base
    by_name: dict[str, list[DatedValue]] = defaultdict(list)
    for row in rows:
        if row.name not in MUNICIPAL_PARAMETERS:
            continue
        who = row.recorded_by.username if row.recorded_by else "?"
        # In Swedish whatever the page's language, as the shipped references are: the text is
        # part of the parameter set's digest, which must not change with the reader's language.
        reference = (
            f"{row.reference} (kommunens egen uppgift, registrerad av {who} "
            f"den {row.recorded_at.date().isoformat()})"
        )
        by_name[row.name].append(
            DatedValue(row.effective_from, float(row.value), reference, note=row.note)
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
