"""What a municipality must deliver: the year's figures for the annual follow-up (places,
occupancy, cost, participants and where they went, per organisation), and a person-level
extract of participation in the measure for its own statistics (code, start, end, why it ended).

The year's figures follow the small-cell rule for a user who may not open the placements: a
count of 1–4 people is hidden, and so is the next smallest count of its column (and of its row's
outcomes), so that no hidden count can be worked back from a total. Places and their cost count
places, not people, and are always shown; occupied place-months are hidden where fewer people
than the threshold were placed on average.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.common.permissions import count_threshold, require
from platsa.engine.privacy import suppressed_keys
from platsa.placements.access import access_note
from platsa.placements.models import Destination, Placement
from platsa.placements.occupancy import Scope, occupancy_for, overlapping

#: The outcome groups of the annual follow-up, from the destinations.
OUTCOMES = {
    "work": (Destination.EMPLOYED_AT_ORGANISATION, Destination.EMPLOYED_ELSEWHERE),
    "studies": (Destination.STUDIES,),
    "other": (
        Destination.OTHER_MEASURE,
        Destination.ENDED_EARLY,
        Destination.MOVED,
        Destination.UNKNOWN,
        "",
    ),
}
COUNTS = ("participants", "started", "ended", "work", "studies", "other")


@dataclass
class YearRow:
    organisation: str
    places: float  # average places in force
    place_months: float
    occupied_place_months: float | None  # None: hidden
    utilisation: float | None
    cost_sek: float
    empty_cost_sek: float
    counts: dict[str, int | None] = field(default_factory=dict)  # None: hidden


@dataclass
class YearFigures:
    year: int
    start: dt.date
    end: dt.date
    threshold: int
    rows: list[YearRow]
    total: YearRow
    unassigned: int


def year_figures(user: User, *, year: int, today: dt.date) -> YearFigures:
    require(user, "view_aggregates")
    assert user.municipality_id is not None
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    if end < start:
        raise ValueError(_("The year has not begun."))
    result, agreements = occupancy_for(
        Scope(user.municipality_id), start=start, end=end, as_of=today
    )
    days = (end - start).days + 1
    placements = list(
        Placement.objects.filter(participant__municipality_id=user.municipality_id)
        .filter(overlapping(start, end))
        .select_related("organisation")
        .only("participant_id", "organisation__name", "start_date", "actual_end", "destination")
    )
    organisations = sorted(
        {a.organisation.name for a in agreements} | {p.organisation.name for p in placements}
    )
    threshold = count_threshold(user)

    def counts_of(ps: list[Placement]) -> dict[str, int]:
        ended = [p for p in ps if p.actual_end is not None and p.actual_end <= end]
        outcome = Counter(next(k for k, v in OUTCOMES.items() if p.destination in v) for p in ended)
        return {
            "participants": len({p.participant_id for p in ps}),
            "started": sum(1 for p in ps if p.start_date >= start),
            "ended": len(ended),
            **{k: outcome.get(k, 0) for k in OUTCOMES},
        }

    def occupancy_row(name: str, rows: np.ndarray) -> YearRow:
        part = result.select(rows)
        occupied = part.occupied_place_months
        people = part.occupied_place_days / days
        hidden = threshold > 1 and 0 < people < threshold
        return YearRow(
            organisation=name,
            places=part.capacity_place_days / days,
            place_months=float((part.capacity / part.days_in_month[None, :]).sum()),
            occupied_place_months=None if hidden else occupied,
            utilisation=None if hidden else part.utilisation,
            cost_sek=part.cost_sek,
            empty_cost_sek=part.empty_cost_sek,
        )

    rows = []
    raw: dict[str, dict[str, int]] = {}
    for name in organisations:
        mask = np.array([o == name for o in result.organisations], dtype=bool)
        row = occupancy_row(name, mask)
        raw[name] = counts_of([p for p in placements if p.organisation.name == name])
        rows.append(row)
    total = occupancy_row(_("All organisations"), np.ones(len(result.organisations), dtype=bool))
    total_counts = counts_of(placements)
    # Column by column across organisations (the total is shown), then each row's outcomes.
    hidden: dict[str, set[str]] = {name: set() for name in organisations}
    for key in COUNTS:
        for name in suppressed_keys(
            {n: raw[n][key] for n in organisations}, threshold=threshold, total_shown=True
        ):
            hidden[name].add(key)
    for name in organisations:
        outcomes = {k: raw[name][k] for k in OUTCOMES if k not in hidden[name]}
        hidden[name] |= suppressed_keys(outcomes, threshold=threshold, total_shown=True)
    for row in rows:
        row.counts = {
            k: None if k in hidden[row.organisation] else v
            for k, v in raw[row.organisation].items()
        }
    total_hidden = suppressed_keys(
        {k: total_counts[k] for k in OUTCOMES}, threshold=threshold, total_shown=True
    ) | {k for k, v in total_counts.items() if 0 < v < threshold}
    total.counts = {k: None if k in total_hidden else v for k, v in total_counts.items()}
    return YearFigures(year, start, end, threshold, rows, total, result.unassigned)


def year_table(figures: YearFigures) -> list[list[object]]:
    """The year's figures as rows of a sheet: a heading row, one row per organisation, the
    total. A hidden count reads "–" (under the smallest group shown)."""
    hidden = "–"

    def cell(value: object) -> object:
        return hidden if value is None else value

    head = [
        _("Organisation"),
        _("Places (average)"),
        _("Place-months"),
        _("Occupied place-months"),
        _("Utilisation"),
        _("Cost (SEK)"),
        _("Cost of empty places (SEK)"),
        _("Participants"),
        _("Started"),
        _("Ended"),
        _("To work"),
        _("To studies"),
        _("Other or unknown"),
    ]
    out: list[list[object]] = [head]
    for row in [*figures.rows, figures.total]:
        out.append(
            [
                row.organisation,
                round(row.places, 2),
                round(row.place_months, 2),
                cell(
                    None
                    if row.occupied_place_months is None
                    else round(row.occupied_place_months, 2)
                ),
                cell(None if row.utilisation is None else round(row.utilisation, 3)),
                round(row.cost_sek, 2),
                round(row.empty_cost_sek, 2),
                *(cell(row.counts[k]) for k in COUNTS),
            ]
        )
    return out


@dataclass(frozen=True)
class ParticipationRow:
    code: str
    organisation: str
    start: dt.date
    end: dt.date | None
    destination: str
    destination_label: str


def participation_rows(user: User, *, start: dt.date, end: dt.date) -> list[ParticipationRow]:
    """Every placement in the measure that overlaps the period, one row each; each participant
    on it is noted in the access log (an export of individuals)."""
    require(user, "export_participation")
    if end < start or (end - start).days > 3660:
        raise ValueError(_("Choose a period of at most ten years."))
    qs = (
        Placement.objects.filter(participant__municipality_id=user.municipality_id)
        .filter(overlapping(start, end))
        .select_related("participant", "organisation")
        .order_by("participant__code", "start_date", "pk")
    )
    labels = dict(Destination.choices)
    rows = []
    seen = []
    for p in qs:
        seen.append(p.participant)
        rows.append(
            ParticipationRow(
                code=p.participant.code,
                organisation=p.organisation.name,
                start=p.start_date,
                end=p.actual_end,
                destination=p.destination,
                destination_label=str(labels.get(p.destination, "")) if p.destination else "",
            )
        )
    access_note(seen)
    return rows
