"""Per organisation: utilisation, placement length, progression and destinations, each shown with
the mix of participants the organisation received — an organisation that takes those furthest
from work will show fewer exits, so its figures are never read without who it was given.

Listed in name order, never ranked. Counts are suppressed below the threshold for roles that may
not see individuals, with secondary suppression within each group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from platsa.accounts.models import User
from platsa.common.permissions import require
from platsa.engine.indicators import OrganisationIndicators
from platsa.engine.privacy import CountCell, group_counts
from platsa.placements.indicators import indicators_for
from platsa.placements.models import Gender, Placement
from platsa.placements.occupancy import Scope, occupancy_for

AGE_BANDS = ("under_30", "30_49", "50_plus", "unknown")


def age_band(birth_year: int | None, on: dt.date) -> str:
    """The age band at ``on``.

    >>> age_band(1990, dt.date(2023, 1, 1)), age_band(None, dt.date(2023, 1, 1))
    ('30_49', 'unknown')
    """
    if birth_year is None:
        return "unknown"
    age = on.year - birth_year
    return "under_30" if age < 30 else "30_49" if age < 50 else "50_plus"


@dataclass(frozen=True)
class OrganisationProfile:
    name: str
    indicators: OrganisationIndicators
    utilisation: float | None
    placements: CountCell
    length_shown: bool  # the average length of fewer than ``threshold`` ended placements is hidden
    destinations: dict[str, CountCell]
    ages: dict[str, CountCell]
    genders: dict[str, CountCell]


def organisation_profiles(
    user: User, *, start: dt.date, end: dt.date, today: dt.date, threshold: int
) -> list[OrganisationProfile]:
    """Placements that started in the period, per organisation, with their participants' mix."""
    require(user, "view_aggregates")
    assert user.municipality_id is not None
    _municipality, organisations = indicators_for(user, started_from=start, started_to=end)
    # Utilisation up to today: a period that has not started yet has none.
    occupancy = (
        occupancy_for(Scope(user.municipality_id), start=start, end=min(end, today), as_of=today)[0]
        if start <= today
        else None
    )
    ages: dict[str, Counter[str]] = {}
    genders: dict[str, Counter[str]] = {}
    for p in Placement.objects.filter(
        participant__municipality_id=user.municipality_id, start_date__range=(start, end)
    ).select_related("participant", "organisation"):
        org = p.organisation.name
        ages.setdefault(org, Counter())[age_band(p.participant.birth_year, p.start_date)] += 1
        genders.setdefault(org, Counter())[p.participant.gender or "unknown"] += 1
    out = []
    for o in organisations:
        if o.placements == 0 and o.places == 0:
            continue
        part = (
            occupancy.for_organisation(o.organisation)
            if occupancy is not None and o.organisation in occupancy.organisations
            else None
        )
        out.append(
            OrganisationProfile(
                name=o.organisation,
                indicators=o,
                utilisation=part.utilisation if part is not None else None,
                placements=CountCell(o.placements, 0 < o.placements < threshold),
                length_shown=o.ended >= threshold,
                destinations=group_counts(dict(sorted(o.destinations.items())), threshold),
                ages=group_counts(
                    {band: ages.get(o.organisation, Counter())[band] for band in AGE_BANDS},
                    threshold,
                ),
                genders=group_counts(
                    {
                        g: genders.get(o.organisation, Counter())[g]
                        for g in (*Gender.values, "unknown")
                    },
                    threshold,
                ),
            )
        )
    return sorted(out, key=lambda p: p.name)
