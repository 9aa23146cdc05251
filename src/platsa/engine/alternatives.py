"""Procured places against the alternatives: places run in-house, and other measures.

An in-house place costs what its staff, premises and materials cost, whether it is filled or not;
a procured place costs its price. Both are set against the same volume — the place-months the
municipality actually bought in the period — and against what was actually used (the occupied
place-months from the occupancy engine), so the comparison carries the recorded utilisation::

    in-house cost a year      = staff (FTE) × monthly cost per FTE × 12 + premises + materials + other
    cost per place-month      = cost a year / (places × 12)
    cost for the same volume  = cost per place-month × place-months bought
    cost per occupied month   = cost for the same volume / occupied place-months
    cost per person to work   = cost for the same volume / (participants × share to work)
    break-even share to work  = cost for the same volume / procured cost per person to work
                                / participants

The procured places' share to work is what was recorded; another measure's is entered with its
source, or left out — then the break-even share says what it would have needed to do as well.

>>> own = InHouse(places=10, staff_fte=2, staff_cost_per_fte_month_sek=50_000,
...     premises_per_year_sek=240_000, materials_per_year_sek=60_000)
>>> own.cost_per_year_sek, own.cost_per_place_month_sek
(1500000.0, 12500.0)
>>> rows = compare(procured_cost_sek=864_000, place_months=144, occupied_place_months=66.6,
...     participants=17, exits_to_work=2,
...     alternatives=[("I egen regi", own.cost_per_place_month_sek, None)])
>>> [(r.name, r.cost_sek, round(r.cost_per_occupied_month_sek)) for r in rows]
[('procured', 864000.0, 12973), ('I egen regi', 1800000.0, 27027)]
>>> rows[1].difference_sek, rows[0].cost_per_exit_to_work_sek
(936000.0, 432000.0)
>>> round(rows[1].break_even_share_to_work, 4)  # 1,800,000 / 432,000 = 4.17 of 17 participants
0.2451
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from platsa.engine.trace import Trace

__all__ = ["Comparison", "InHouse", "compare"]


@dataclass(frozen=True)
class InHouse:
    """What running the places in-house would cost, as the municipality enters it."""

    places: int
    staff_fte: float
    staff_cost_per_fte_month_sek: float  # including employer contributions
    premises_per_year_sek: float
    materials_per_year_sek: float
    other_per_year_sek: float = 0.0

    def __post_init__(self) -> None:
        if self.places < 1:
            raise ValueError("places must be 1 or more")
        for name in (
            "staff_fte",
            "staff_cost_per_fte_month_sek",
            "premises_per_year_sek",
            "materials_per_year_sek",
            "other_per_year_sek",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more")

    @property
    def cost_per_year_sek(self) -> float:
        return float(
            self.staff_fte * self.staff_cost_per_fte_month_sek * 12
            + self.premises_per_year_sek
            + self.materials_per_year_sek
            + self.other_per_year_sek
        )

    @property
    def cost_per_place_month_sek(self) -> float:
        return self.cost_per_year_sek / (self.places * 12)

    def trace(self) -> Trace:
        return Trace(
            figure="cost_per_place_month_sek",
            formula="(staff_fte × staff_cost_per_fte_month × 12 + premises + materials + other) "
            "/ (places × 12)",
            result=self.cost_per_place_month_sek,
            inputs={
                "places": float(self.places),
                "staff_fte": self.staff_fte,
                "staff_cost_per_fte_month_sek": self.staff_cost_per_fte_month_sek,
                "premises_per_year_sek": self.premises_per_year_sek,
                "materials_per_year_sek": self.materials_per_year_sek,
                "other_per_year_sek": self.other_per_year_sek,
            },
        )


@dataclass(frozen=True)
class Comparison:
    name: str  # "procured" for the places bought
    cost_per_place_month_sek: float
    cost_sek: float  # for the place-months bought in the period
    cost_per_occupied_month_sek: float | None  # None when nothing was occupied
    difference_sek: float  # against the procured places (positive: dearer)
    share_to_work: float | None = None  # recorded (procured) or entered; None: not known
    cost_per_exit_to_work_sek: float | None = None
    break_even_share_to_work: float | None = None  # to cost as little per person to work


def compare(
    *,
    procured_cost_sek: float,
    place_months: float,
    occupied_place_months: float,
    participants: int,
    exits_to_work: int,
    alternatives: Sequence[tuple[str, float, float | None]],
) -> list[Comparison]:
    """The procured places first, then each alternative (name, cost per place-month, share of
    participants to work or None)."""
    if place_months <= 0:
        raise ValueError("no place was bought in the period: there is nothing to compare")
    procured_share = exits_to_work / participants if participants else None
    procured_per_exit = procured_cost_sek / exits_to_work if exits_to_work else None

    def row(name: str, per_month: float, share: float | None) -> Comparison:
        cost = per_month * place_months
        exits = participants * share if share is not None else 0.0
        return Comparison(
            name=name,
            cost_per_place_month_sek=per_month,
            cost_sek=cost,
            cost_per_occupied_month_sek=(
                cost / occupied_place_months if occupied_place_months > 0 else None
            ),
            difference_sek=cost - procured_cost_sek,
            share_to_work=share,
            cost_per_exit_to_work_sek=cost / exits if exits > 0 else None,
            break_even_share_to_work=(
                cost / procured_per_exit / participants
                if procured_per_exit is not None and participants
                else None
            ),
        )

    procured = row("procured", procured_cost_sek / place_months, procured_share)
    return [replace(procured, break_even_share_to_work=None)] + [
        row(name, per_month, share) for name, per_month, share in alternatives
    ]
