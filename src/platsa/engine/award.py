"""Tender evaluation and an award proposal: which tenders qualify, how they rank, and how many
places each is proposed, with every step kept so the rationale can be written out.

A tender's score on a criterion is the mean of its evaluators' scores; its total is the mean of
its criterion scores (the criteria weigh the same, as in Östersund's procurement, report §2.3).
A tender qualifies when every named evaluator has scored it on every criterion, no criterion's
mean is below the procurement's minimum, it offers places, and, in a reserved procurement, at
least 30 % of its workforce is disadvantaged.

The places to buy (the need for places, or the number the unit states) are allocated in two
passes: first one place to each qualifying tender in rank order (the municipality wanted many
different suppliers, report §2.3), then one place at a time to the tender with the highest
total ÷ (places given + 1) — the highest-averages rule with the score as the weight — never more
than a tender offered. A tie goes to the tender that adds a work type not yet among the places
given (the report asks for more variety than second-hand shops), then to the higher rank.

>>> rules = Rules(criteria=(1,), evaluators=1)
>>> a = TenderIn(1, "A", 3, scores={1: [5]})
>>> b = TenderIn(2, "B", 3, scores={1: [3]})
>>> propose([a, b], rules, places=4).allocation  # one each, then 5/2 > 3/2, 5/3 > 3/2
{1: 3, 2: 1}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean


@dataclass(frozen=True)
class TenderIn:
    key: int
    name: str
    places_offered: int | None
    work_types: tuple[str, ...] = ()
    #: criterion key → each evaluator's score (one per evaluator who has scored it)
    scores: Mapping[int, Sequence[int]] = field(default_factory=dict)
    disadvantaged_share: float | None = None  # per cent


@dataclass(frozen=True)
class Rules:
    criteria: tuple[int, ...]
    evaluators: int
    minimum_score: int | None = None
    reserved: bool = False
    reserved_min_share: float = 30.0


@dataclass(frozen=True)
class Refusal:
    """Why a tender does not qualify: ``what`` is "incomplete", "below_minimum", "no_share",
    "share_below" or "no_places"; the caller words it."""

    what: str
    criterion: int | None = None
    value: float | None = None
    needed: float | None = None


@dataclass(frozen=True)
class Assessed:
    key: int
    name: str
    offered: int
    criterion_means: dict[int, float]
    total: float | None
    refusals: tuple[Refusal, ...]
    rank: int | None = None  # among the qualifying tenders, 1 = best

    @property
    def qualifies(self) -> bool:
        return not self.refusals


@dataclass(frozen=True)
class Step:
    """One place given: to ``key``, in the first pass ("spread") or by the quotient ("score")."""

    key: int
    why: str
    quotient: float


@dataclass(frozen=True)
class Proposal:
    target: int
    assessed: list[Assessed]  # qualifying tenders by rank, then the others by name
    allocation: dict[int, int]
    steps: list[Step]

    @property
    def allocated(self) -> int:
        return sum(self.allocation.values())

    @property
    def offered_by_qualifying(self) -> int:
        return sum(a.offered for a in self.assessed if a.qualifies)

    @property
    def shortfall(self) -> int:
        """Places the target asks for that no qualifying tender offered."""
        return self.target - self.allocated


def assess(tenders: Sequence[TenderIn], rules: Rules) -> list[Assessed]:
    """Each tender's criterion means, total and refusals; the qualifying ones ranked."""
    out: list[Assessed] = []
    for t in tenders:
        refusals: list[Refusal] = []
        means: dict[int, float] = {}
        for c in rules.criteria:
            given = list(t.scores.get(c, ()))
            if given:
                means[c] = fmean(given)
            if len(given) < rules.evaluators or rules.evaluators == 0:
                refusals.append(Refusal("incomplete", c, len(given), rules.evaluators))
            elif rules.minimum_score is not None and means[c] < rules.minimum_score:
                refusals.append(Refusal("below_minimum", c, means[c], rules.minimum_score))
        if rules.reserved:
            if t.disadvantaged_share is None:
                refusals.append(Refusal("no_share", needed=rules.reserved_min_share))
            elif t.disadvantaged_share < rules.reserved_min_share:
                refusals.append(
                    Refusal(
                        "share_below", value=t.disadvantaged_share, needed=rules.reserved_min_share
                    )
                )
        if not t.places_offered:
            refusals.append(Refusal("no_places"))
        complete = bool(rules.criteria) and not any(r.what == "incomplete" for r in refusals)
        total = fmean(means.values()) if complete else None
        out.append(Assessed(t.key, t.name, t.places_offered or 0, means, total, tuple(refusals)))
    qualifying = sorted(
        (a for a in out if a.qualifies), key=lambda a: (-(a.total or 0.0), a.name, a.key)
    )
    ranked = [
        Assessed(a.key, a.name, a.offered, a.criterion_means, a.total, a.refusals, rank=i)
        for i, a in enumerate(qualifying, start=1)
    ]
    others = sorted((a for a in out if not a.qualifies), key=lambda a: (a.name, a.key))
    return ranked + others


def propose(
    tenders: Sequence[TenderIn], rules: Rules, *, places: int, spread: bool = True
) -> Proposal:
    """Allocate ``places`` among the qualifying tenders (see the module's doc)."""
    if places < 0:
        raise ValueError("places must not be negative")
    assessed = assess(tenders, rules)
    qualifying = [a for a in assessed if a.qualifies]
    types = {t.key: set(t.work_types) for t in tenders}
    given = {a.key: 0 for a in assessed}
    steps: list[Step] = []
    covered: set[str] = set()

    def give(a: Assessed, why: str, quotient: float) -> None:
        given[a.key] += 1
        covered.update(types[a.key])
        steps.append(Step(a.key, why, quotient))

    left = places
    if spread:
        order = list(qualifying)
        while left > 0 and order:
            # By rank; among equal totals, the one that adds work types not yet covered.
            best = max(
                order,
                key=lambda a: (a.total or 0.0, len(types[a.key] - covered), -(a.rank or 0)),
            )
            order.remove(best)
            give(best, "spread", best.total or 0.0)
            left -= 1
    while left > 0:
        open_ = [a for a in qualifying if given[a.key] < a.offered]
        if not open_:
            break
        best = max(
            open_,
            key=lambda a: (
                round((a.total or 0.0) / (given[a.key] + 1), 9),
                len(types[a.key] - covered),
                -(a.rank or 0),
            ),
        )
        give(best, "score", (best.total or 0.0) / (given[best.key] + 1))
        left -= 1
    return Proposal(places, assessed, {k: v for k, v in given.items()}, steps)
