"""Indicators at three levels (report §5.1), from recorded placements.

- individual: change in hours of occupation a week (first scope step to the latest);
- organisation: placements per place, average length of ended placements, the share of assessed
  participants with a meaningful improvement in work skills (progression to more advanced tasks);
- municipality: exits to work and to studies, the share in self-support (work or studies) at the
  checks 6 and 12 months after the end, and returns to assistance after an exit.

A share is ``None`` when nothing is known to divide by; unknowns are counted, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "MunicipalityIndicators",
    "OrganisationIndicators",
    "PlacementRecord",
    "municipality_indicators",
    "organisation_indicators",
    "status_after_start",
]

SELF_SUPPORT_DESTINATIONS = {"employed_at_organisation", "employed_elsewhere", "studies"}
SELF_SUPPORT_CHECKS = {"employment", "studies"}


@dataclass(frozen=True)
class PlacementRecord:
    organisation: str
    start: dt.date
    end: dt.date | None
    destination: str  # "" while ongoing
    checks: Mapping[int, str] = field(default_factory=dict)  # months after the end → status
    hours_first: float | None = None  # hours a week, first scope step
    hours_latest: float | None = None
    work_skills_improved: bool | None = None  # None: not assessed twice


def _length(r: PlacementRecord) -> int:
    """Days from start to end, both inclusive."""
    assert r.end is not None
    return (r.end - r.start).days + 1


def _share(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


@dataclass(frozen=True)
class OrganisationIndicators:
    organisation: str
    placements: int
    places: int
    placements_per_place: float | None
    ended: int
    average_length_days: float | None
    assessed: int
    improved_work_skills_share: float | None
    destinations: dict[str, int]
    improved_work_skills_share_n: int = 0  # how many improved, of ``assessed``


def organisation_indicators(
    records: Sequence[PlacementRecord], *, places: Mapping[str, int]
) -> list[OrganisationIndicators]:
    """Per organisation.

    >>> r = [PlacementRecord("A", dt.date(2023, 1, 1), dt.date(2023, 1, 31), "studies", work_skills_improved=True),
    ...      PlacementRecord("A", dt.date(2023, 2, 1), None, "")]
    >>> i = organisation_indicators(r, places={"A": 2})[0]
    >>> i.placements_per_place, i.average_length_days, i.improved_work_skills_share
    (1.0, 31.0, 1.0)
    """
    out = []
    for org in sorted({r.organisation for r in records} | set(places)):
        mine = [r for r in records if r.organisation == org]
        ended = [r for r in mine if r.end is not None]
        assessed = [r for r in mine if r.work_skills_improved is not None]
        destinations: dict[str, int] = {}
        for r in ended:
            destinations[r.destination or "unknown"] = (
                destinations.get(r.destination or "unknown", 0) + 1
            )
        n_places = places.get(org, 0)
        out.append(
            OrganisationIndicators(
                organisation=org,
                placements=len(mine),
                places=n_places,
                placements_per_place=None if n_places == 0 else len(mine) / n_places,
                ended=len(ended),
                average_length_days=None
                if not ended
                else sum(_length(r) for r in ended) / len(ended),
                assessed=len(assessed),
                improved_work_skills_share=_share(
                    sum(1 for r in assessed if r.work_skills_improved), len(assessed)
                ),
                destinations=destinations,
                improved_work_skills_share_n=sum(1 for r in assessed if r.work_skills_improved),
            )
        )
    return out


@dataclass(frozen=True)
class MunicipalityIndicators:
    placements: int
    ended: int
    exits_to_work: int
    exits_to_studies: int
    unknown_destination: int  # answered "unknown: could not be reached", or not recorded
    cohort_exits_to_studies: int  # known for the cohort but not for a placement
    self_support_6_months: tuple[int, int]  # (in work or studies, checked), months after the end
    self_support_12_months: tuple[int, int]
    self_support_6_months_after_start: tuple[
        int, int
    ]  # (in work or studies, known), months after the start
    self_support_12_months_after_start: tuple[int, int]
    in_work_6_months_after_start: tuple[
        int, int
    ]  # the report's goal: 1 in 5 has a job after 6 months
    returns_to_assistance: int  # left for work or studies, on assistance at a later check
    hours_change: (
        tuple[float, int] | None
    )  # (average change in hours a week, participants measured)
    destination_not_recorded: int = 0  # of unknown_destination: no answer at all (a gap to mend)

    @property
    def self_support_6_share(self) -> float | None:
        return _share(*self.self_support_6_months)

    @property
    def self_support_12_share(self) -> float | None:
        return _share(*self.self_support_12_months)


def status_after_start(r: PlacementRecord, months: int, *, today: dt.date) -> str | None:
    """Where the participant was ``months`` after the start: "placed", "work", "studies", "other",
    "unknown", or None if that day has not come.

    Still placed counts as not (yet) self-supporting, and so does a placement that ended in a move
    to another place. After the end, the latest after-exit check due by that day decides; before
    any check, the destination at the end does.
    """
    from platsa.engine.occupancy import add_months

    day = add_months(r.start, months)
    if day > today:
        return None
    if r.end is None or day <= r.end or r.destination == "moved":
        return "placed"  # a move continues the placement at another place
    due = [
        (add_months(r.end, m), status)
        for m, status in r.checks.items()
        if add_months(r.end, m) <= day
    ]
    if due:
        status = max(due)[1]
        return {"employment": "work", "studies": "studies", "unknown": "unknown"}.get(
            status, "other"
        )
    if r.destination in ("employed_at_organisation", "employed_elsewhere"):
        return "work"
    if r.destination == "studies":
        return "studies"
    return "unknown" if r.destination in ("", "unknown") else "other"


def municipality_indicators(
    records: Sequence[PlacementRecord],
    *,
    cohort_outcomes: Mapping[str, int],
    today: dt.date | None = None,
) -> MunicipalityIndicators:
    """For the municipality.

    >>> r = [PlacementRecord("A", dt.date(2023, 1, 1), dt.date(2023, 6, 30), "employed_elsewhere",
    ...       checks={6: "employment", 12: "social_assistance"}, hours_first=10, hours_latest=25)]
    >>> m = municipality_indicators(r, cohort_outcomes={"studies": 1})
    >>> m.exits_to_work, m.self_support_6_share, m.self_support_12_share, m.returns_to_assistance, m.hours_change
    (1, 1.0, 0.0, 1, (15.0, 1))
    """
    ended = [r for r in records if r.end is not None]

    def at(months: int) -> tuple[int, int]:
        checked = [
            r.checks[months] for r in ended if r.checks.get(months) not in (None, "", "unknown")
        ]
        return sum(1 for s in checked if s in SELF_SUPPORT_CHECKS), len(checked)

    returns = sum(
        1
        for r in ended
        if r.destination in SELF_SUPPORT_DESTINATIONS and "social_assistance" in r.checks.values()
    )

    def after_start(
        months: int, counted: frozenset[str] = frozenset({"work", "studies"})
    ) -> tuple[int, int]:
        statuses = [status_after_start(r, months, today=today or dt.date.max) for r in records]
        known = [s for s in statuses if s not in (None, "unknown")]
        return sum(1 for s in known if s in counted), len(known)

    measured = [
        r.hours_latest - r.hours_first
        for r in records
        if r.hours_first is not None and r.hours_latest is not None
    ]
    return MunicipalityIndicators(
        placements=len(records),
        ended=len(ended),
        exits_to_work=sum(
            1 for r in ended if r.destination in {"employed_at_organisation", "employed_elsewhere"}
        ),
        exits_to_studies=sum(1 for r in ended if r.destination == "studies"),
        unknown_destination=sum(1 for r in ended if r.destination in ("", "unknown")),
        destination_not_recorded=sum(1 for r in ended if r.destination == ""),
        cohort_exits_to_studies=int(cohort_outcomes.get("studies", 0)),
        self_support_6_months=at(6),
        self_support_12_months=at(12),
        self_support_6_months_after_start=after_start(6),
        self_support_12_months_after_start=after_start(12),
        in_work_6_months_after_start=after_start(6, frozenset({"work"})),
        returns_to_assistance=returns,
        hours_change=(sum(measured) / len(measured), len(measured)) if measured else None,
    )
