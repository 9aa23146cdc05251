"""The regional view: aggregates across the municipalities that share them with a region.

Each municipality's calendar years are read from its records once, by the same functions as the
value page (``value_inputs``), and kept as ``YearFigures``; the regional page then reads one row
per municipality and runs the value engine once for all of them (``pooled_payback``), under the
same seeded draws of the assumed rates, so each municipality's payback band is the one its own
value page shows for that year, and the total is the region's summed value against its summed
cost. ``platsa figures`` refreshes the rows (nightly, and when a municipality starts sharing).

Whose money: the payback is the municipality's (its value: saved assistance and municipal tax;
its cost: what it paid for the places), not society's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from platsa.accounts.models import Municipality, Region
from platsa.engine.occupancy import add_months
from platsa.engine.parameters import ParameterError
from platsa.engine.privacy import CountCell, amounts_reveal, suppressed_keys
from platsa.engine.valuetime import ValueOverTimeInput, payback_band, pooled_payback
from platsa.impact.dashboard import (
    DEFAULT_BASELINE,
    DEFAULT_DROP_OFF,
    triangular_rate,
    value_inputs,
)
from platsa.impact.models import YearFigures
from platsa.impact.parameters import municipality_parameters
from platsa.impact.scenarios import exits_of
from platsa.placements.models import Placement
from platsa.placements.occupancy import Scope, occupancy_for, overlapping

#: The value page's defaults: the regional figures equal what each municipality's page shows.
HORIZON_MONTHS = 60
DRAWS = 2000
SEED = 1
#: How far back a refresh reads (years before today's).
YEARS_BACK = 15


def _years(municipality: Municipality, today: dt.date) -> range:
    first = Placement.objects.filter(participant__municipality=municipality).aggregate(
        first=Min("start_date")
    )["first"]
    if first is None:
        return range(0)
    return range(max(first.year, today.year - YEARS_BACK), today.year + 1)


def year_figures_of(municipality: Municipality, year: int, *, today: dt.date) -> YearFigures | None:
    """The year's figures as the engine reads them from the records (not saved). A year the
    dated parameters do not reach back to keeps its places, cost and outcomes, unvalued."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if start > today:
        return None
    running = Placement.objects.filter(participant__municipality=municipality).filter(
        overlapping(start, end)
    )
    counts = running.aggregate(
        placements=Count("pk"), participants=Count("participant", distinct=True)
    )
    if not counts["placements"]:
        return None
    figures = YearFigures(
        municipality=municipality,
        year=year,
        as_of=today,
        computed_at=timezone.now(),
        placements=counts["placements"],
        participants=counts["participants"],
        parameters_digest=municipality_parameters(municipality).digest(),
    )
    try:
        read = value_inputs(
            municipality, today=today, period=(start, end), horizon_months=HORIZON_MONTHS
        )
    except ParameterError:
        read = None
    if read is None:  # the places and outcomes, without a value
        occupancy, _agreements = occupancy_for(
            Scope(municipality.pk), start=start, end=min(today, end), as_of=today
        )
        exits = exits_of(municipality.pk, list(running), start=start, end=end)
        figures.exits_to_work = sum(e.count for e in exits if e.destination == "employment")
        figures.exits_to_studies = sum(e.count for e in exits if e.destination == "studies")
    else:
        occupancy = read.occupancy
        figures.exits_to_work, figures.exits_to_studies = read.exits_to_work, read.exits_to_studies
        inp = read.inputs
        figures.value_inputs = {
            "cohort_size": inp.cohort_size,
            "exits_by_month": {d: list(v) for d, v in inp.exits_by_month.items()},
            "monthly_value_per_person": {
                d: dict(v) for d, v in inp.monthly_value_per_person.items()
            },
            "monthly_cost": list(inp.monthly_cost),
            "months": inp.months,
            "observed_months": inp.observed_months,
        }
    figures.capacity_place_months = occupancy.capacity_place_months
    figures.occupied_place_months = occupancy.occupied_place_months
    figures.cost_sek = occupancy.cost_sek
    return figures


def figures_refresh(municipality: Municipality, *, today: dt.date) -> int:
    """Read every year of the municipality again and replace its rows in one transaction;
    returns how many years have figures."""
    rows = [
        figures
        for year in _years(municipality, today)
        if (figures := year_figures_of(municipality, year, today=today)) is not None
    ]
    with transaction.atomic():
        YearFigures.objects.filter(municipality=municipality).delete()
        YearFigures.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class RegionalRow:
    name: str
    capacity_place_months: float
    occupied_place_months: float
    cost_sek: float
    placements: CountCell
    participants: CountCell
    exits_to_work: CountCell
    exits_to_studies: CountCell
    amounts_hidden: bool  # the payback rests on exits too few to show
    payback: dict[str, dt.date | None] | None  # p5, p50, p95 months as dates; None: nothing
    as_of: dt.date | None

    @property
    def utilisation(self) -> float | None:
        if self.capacity_place_months <= 0:
            return None
        return self.occupied_place_months / self.capacity_place_months

    @property
    def cost_per_place_month_sek(self) -> float | None:
        """What a used place-month cost: the year's cost over the place-months in use."""
        if self.occupied_place_months <= 0:
            return None
        return self.cost_sek / self.occupied_place_months


@dataclass(frozen=True)
class RegionalTable:
    region: Region
    year: int
    years: list[int]
    rows: list[RegionalRow]
    total: RegionalRow | None
    not_shared: int  # municipalities sharing but without figures for the year
    draws: int
    horizon_months: int
    baseline: tuple[float, float, float]
    drop_off: tuple[float, float, float]


def region_years(region: Region) -> list[int]:
    """The years with figures of at least one sharing municipality, newest first."""
    return sorted(
        set(
            YearFigures.objects.filter(municipality__region_shares__region=region).values_list(
                "year", flat=True
            )
        ),
        reverse=True,
    )


def _as_dates(band: dict[str, int | None], year: int) -> dict[str, dt.date | None]:
    first = dt.date(year, 1, 1)
    return {k: None if m is None else add_months(first, m) for k, m in band.items()}


def _input(stored: dict[str, object]) -> ValueOverTimeInput:
    return ValueOverTimeInput(
        cohort_size=float(stored["cohort_size"]),  # type: ignore[arg-type]
        exits_by_month=stored["exits_by_month"],  # type: ignore[arg-type]
        monthly_value_per_person=stored["monthly_value_per_person"],  # type: ignore[arg-type]
        monthly_cost=stored["monthly_cost"],  # type: ignore[arg-type]
        months=int(stored["months"]),  # type: ignore[call-overload]
        observed_months=stored["observed_months"],  # type: ignore[arg-type]
        baseline_exit_probability=triangular_rate(DEFAULT_BASELINE),
        monthly_return_probability=triangular_rate(DEFAULT_DROP_OFF),
    )


def regional_table(region: Region, year: int | None, *, threshold: int) -> RegionalTable:
    """The year's row of every municipality that shares with ``region``, and the total.

    Counts of people follow the small-cell rule column by column with the total shown (a single
    hidden cell takes the next smallest with it); a payback, which is a count times a value,
    is hidden wherever the exits it rests on are."""
    years = region_years(region)
    if year not in years:
        year = years[0] if years else None
    if year is None:
        return RegionalTable(region, 0, [], [], None, 0, DRAWS, HORIZON_MONTHS,
                             DEFAULT_BASELINE, DEFAULT_DROP_OFF)  # fmt: skip
    figures = list(
        YearFigures.objects.filter(municipality__region_shares__region=region, year=year)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    sharing = Municipality.objects.filter(region_shares__region=region).count()
    valued = [f for f in figures if f.value_inputs]
    pooled = pooled_payback(
        [_input(f.value_inputs) for f in valued],  # type: ignore[arg-type]
        draws=DRAWS,
        rng=np.random.default_rng(SEED),
    )
    bands = {
        f.pk: payback_band(months, HORIZON_MONTHS)
        for f, months in zip(valued, pooled.each, strict=True)
    }
    columns = ("placements", "participants", "exits_to_work", "exits_to_studies")
    hidden = {
        c: suppressed_keys({str(f.pk): getattr(f, c) for f in figures}, threshold=threshold)
        for c in columns
    }

    def cells(f: YearFigures) -> dict[str, CountCell]:
        return {c: CountCell(getattr(f, c), str(f.pk) in hidden[c]) for c in columns}

    rows = []
    for f in figures:
        secret = amounts_reveal(
            {"work": f.exits_to_work, "studies": f.exits_to_studies}, threshold=threshold
        )
        band = bands.get(f.pk)
        rows.append(
            RegionalRow(
                name=f.municipality.name,
                capacity_place_months=f.capacity_place_months,
                occupied_place_months=f.occupied_place_months,
                cost_sek=f.cost_sek,
                amounts_hidden=secret,
                payback=None if band is None or secret else _as_dates(band, year),
                as_of=f.as_of,
                **cells(f),
            )
        )
    sums = {c: sum(getattr(f, c) for f in figures) for c in columns}
    total_secret = amounts_reveal(
        {"work": sums["exits_to_work"], "studies": sums["exits_to_studies"]}, threshold=threshold
    )
    total = RegionalRow(
        name="",
        capacity_place_months=sum(f.capacity_place_months for f in figures),
        occupied_place_months=sum(f.occupied_place_months for f in figures),
        cost_sek=sum(f.cost_sek for f in figures),
        amounts_hidden=total_secret,
        payback=(
            None
            if not valued or total_secret
            else _as_dates(payback_band(pooled.total, HORIZON_MONTHS), year)
        ),
        as_of=min((f.as_of for f in figures), default=None),
        **{c: CountCell(v, 0 < v < threshold) for c, v in sums.items()},
    )
    return RegionalTable(
        region=region,
        year=year,
        years=years,
        rows=rows,
        total=total if figures else None,
        not_shared=sharing - len(figures),
        draws=DRAWS,
        horizon_months=HORIZON_MONTHS,
        baseline=DEFAULT_BASELINE,
        drop_off=DEFAULT_DROP_OFF,
    )


def regional_rows(table: RegionalTable, *, threshold: int) -> list[list[object]]:
    """The page's table as rows for a workbook or a CSV file: the same cells (a hidden count
    or payback reads "hidden"), then what the figures are and whose money the payback is."""
    hidden = str(_("hidden"))
    never = str(_("not within %(months)s months") % {"months": table.horizon_months})

    def count(cell: CountCell) -> object:
        return hidden if cell.suppressed else cell.value

    def month(row: RegionalRow, key: str) -> object:
        if row.amounts_hidden:
            return hidden
        if row.payback is None:
            return "–"
        day = row.payback[key]
        return never if day is None else day.strftime("%Y-%m")

    def cells(name: str, row: RegionalRow) -> list[object]:
        return [
            name,
            round(row.capacity_place_months, 1),
            round(row.occupied_place_months, 1),
            None if row.utilisation is None else round(row.utilisation, 3),
            round(row.cost_sek),
            None if row.cost_per_place_month_sek is None else round(row.cost_per_place_month_sek),
            count(row.participants),
            count(row.exits_to_work),
            count(row.exits_to_studies),
            month(row, "p50"),
            month(row, "p5"),
            month(row, "p95"),
            row.as_of,
        ]

    rows: list[list[object]] = [
        [
            str(_("Municipality")),
            str(_("Place-months bought")),
            str(_("Place-months used")),
            str(_("Utilisation")),
            str(_("Cost (SEK)")),
            str(_("Cost per used place-month (SEK)")),
            str(_("Participants")),
            str(_("Exits to work")),
            str(_("Exits to studies")),
            str(_("The municipality's payback, median month")),
            str(_("5th percentile")),
            str(_("95th percentile")),
            str(_("Computed")),
        ]
    ]
    rows += [cells(r.name, r) for r in table.rows]
    if table.total is not None:
        rows.append(cells(str(_("All sharing municipalities")), table.total))
    rows += [
        [],
        [
            str(
                _(
                    "%(region)s, %(year)s: only aggregates of the municipalities that share with the "
                    "region; counts from 1 to %(n)s − 1 are hidden, with the next smallest in the "
                    "column."
                )
                % {"region": table.region.name, "year": table.year, "n": threshold}
            )
        ],  # fmt: skip
        [
            str(
                _(
                    "Payback is the municipality's own money: the month from which the year's exits, "
                    "valued for the municipality, have covered what it paid for the year's places; "
                    "the median of %(draws)s draws with the 5th and 95th percentiles, followed for "
                    "%(months)s months. Method: docs/method/regional-view.md."
                )
                % {"draws": table.draws, "months": table.horizon_months}
            )
        ],  # fmt: skip
    ]
    return rows
