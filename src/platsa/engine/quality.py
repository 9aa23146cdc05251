"""Data-quality flags for recorded placements.

Real records have flaws: a placement that starts before its agreement, one with no end date, one
that ended with no recorded destination, a date written irregularly in the source. The system
accepts such rows and flags them visibly; it never drops or silently "fixes" them. Each flag is a
stable code; the web layer translates it into a sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "PlacementFacts",
    "PlacementFlag",
    "PlacementStatus",
    "placement_flags",
    "placement_status",
]


class PlacementStatus(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    ENDED = "ended"


class PlacementFlag(StrEnum):
    NO_AGREEMENT = "no_agreement"
    STARTS_BEFORE_AGREEMENT = "starts_before_agreement"
    STARTS_AFTER_AGREEMENT = "starts_after_agreement"
    OPEN_END = "open_end"
    PLANNED_END_PASSED = "planned_end_passed"
    ENDED_WITHOUT_DESTINATION = "ended_without_destination"
    SOURCE_IRREGULAR = "source_irregular"


@dataclass(frozen=True, slots=True)
class PlacementFacts:
    """What the flags are computed from: one placement and the agreement it runs under."""

    start: dt.date
    planned_end: dt.date | None
    actual_end: dt.date | None
    destination: str | None
    agreement_start: dt.date | None
    agreement_end: dt.date | None
    source_note: str = ""


def placement_status(
    *, start: dt.date, actual_end: dt.date | None, as_of: dt.date
) -> PlacementStatus:
    """Status of a placement on ``as_of``; the end date is the last day of the placement.

    >>> import datetime as dt
    >>> placement_status(start=dt.date(2023, 2, 13), actual_end=None, as_of=dt.date(2023, 11, 1))
    <PlacementStatus.ONGOING: 'ongoing'>
    >>> d = dt.date(2023, 1, 31)
    >>> placement_status(start=dt.date(2022, 8, 29), actual_end=d, as_of=d).value
    'ongoing'
    """
    if start > as_of:
        return PlacementStatus.PLANNED
    if actual_end is not None and actual_end < as_of:
        return PlacementStatus.ENDED
    return PlacementStatus.ONGOING


def placement_flags(facts: PlacementFacts, *, as_of: dt.date) -> tuple[PlacementFlag, ...]:
    """Every data-quality flag that applies to ``facts`` on ``as_of``, in a stable order.

    >>> import datetime as dt
    >>> f = PlacementFacts(start=dt.date(2022, 8, 29), planned_end=None,
    ...     actual_end=dt.date(2023, 1, 31), destination="unknown",
    ...     agreement_start=dt.date(2022, 9, 1), agreement_end=dt.date(2023, 8, 31))
    >>> [flag.value for flag in placement_flags(f, as_of=dt.date(2023, 11, 1))]
    ['starts_before_agreement', 'ended_without_destination']
    """
    flags: list[PlacementFlag] = []
    if facts.agreement_start is None:
        flags.append(PlacementFlag.NO_AGREEMENT)
    elif facts.start < facts.agreement_start:
        flags.append(PlacementFlag.STARTS_BEFORE_AGREEMENT)
    elif facts.agreement_end is not None and facts.start > facts.agreement_end:
        flags.append(PlacementFlag.STARTS_AFTER_AGREEMENT)
    if facts.actual_end is None:
        if facts.planned_end is None:
            flags.append(PlacementFlag.OPEN_END)
        elif facts.planned_end < as_of:
            flags.append(PlacementFlag.PLANNED_END_PASSED)
    elif facts.actual_end < as_of and facts.destination in (None, "", "unknown"):
        flags.append(PlacementFlag.ENDED_WITHOUT_DESTINATION)
    if facts.source_note:
        flags.append(PlacementFlag.SOURCE_IRREGULAR)
    return tuple(flags)
