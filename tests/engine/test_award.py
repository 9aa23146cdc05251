"""The award proposal: qualification, ranking and the allocation of places, by hand."""

from __future__ import annotations

import pytest

from platsa.engine.award import Rules, TenderIn, assess, propose

RULES = Rules(criteria=(1, 2, 3), evaluators=2, minimum_score=3)


def tender(key: int, name: str, offered: int | None, s1, s2, s3, types=(), share=None) -> TenderIn:
    return TenderIn(key, name, offered, tuple(types), {1: s1, 2: s2, 3: s3}, share)


def test_means_total_and_rank() -> None:
    a = tender(1, "A", 4, [5, 4], [4, 4], [3, 4])  # means 4.5, 4, 3.5 → 4.0
    b = tender(2, "B", 4, [5, 5], [5, 4], [4, 4])  # 5, 4.5, 4 → 4.5
    out = assess([a, b], RULES)
    assert [x.name for x in out] == ["B", "A"]
    assert out[0].total == pytest.approx(4.5) and out[0].rank == 1
    assert out[1].criterion_means == {1: 4.5, 2: 4.0, 3: 3.5}
    assert out[1].total == pytest.approx(4.0) and out[1].rank == 2


def test_refusals_name_what_is_missing_or_short() -> None:
    incomplete = tender(1, "Inc", 3, [4], [4, 4], [4, 4])
    low = tender(2, "Low", 3, [4, 4], [2, 3], [4, 4])  # criterion 2 mean 2.5 < 3
    none_offered = tender(3, "Zero", 0, [4, 4], [4, 4], [4, 4])
    out = {a.name: a for a in assess([incomplete, low, none_offered], RULES)}
    assert [(r.what, r.criterion, r.value) for r in out["Inc"].refusals] == [("incomplete", 1, 1)]
    assert out["Inc"].total is None and not out["Inc"].qualifies
    assert [(r.what, r.criterion, r.value) for r in out["Low"].refusals] == [
        ("below_minimum", 2, 2.5)
    ]
    assert [r.what for r in out["Zero"].refusals] == ["no_places"]
    assert all(a.rank is None for a in out.values())


def test_reserved_needs_thirty_per_cent_disadvantaged() -> None:
    rules = Rules(criteria=(1,), evaluators=1, reserved=True)
    ok = TenderIn(1, "Ok", 2, (), {1: [4]}, 30.0)
    short = TenderIn(2, "Short", 2, (), {1: [5]}, 29.9)
    unknown = TenderIn(3, "Unknown", 2, (), {1: [5]}, None)
    out = {a.name: a for a in assess([ok, short, unknown], rules)}
    assert out["Ok"].qualifies
    assert [r.what for r in out["Short"].refusals] == ["share_below"]
    assert [r.what for r in out["Unknown"].refusals] == ["no_share"]


def test_a_place_each_first_then_by_score_over_places_given_plus_one() -> None:
    # Totals 5, 4, 3; each offers 4; 7 places. Pass 1: 1 each (3 left). Quotients then:
    # A 5/2=2.5, B 4/2=2, C 3/2=1.5 → A; A 5/3=1.67, B 2 → B; A 1.67, B 4/3=1.33, C 1.5 → A;
    # A 5/4=1.25, B 1.33, C 1.5 → C.
    a = tender(1, "A", 4, [5, 5], [5, 5], [5, 5])
    b = tender(2, "B", 4, [4, 4], [4, 4], [4, 4])
    c = tender(3, "C", 4, [3, 3], [3, 3], [3, 3])
    p = propose([c, b, a], RULES, places=7)
    assert p.allocation == {1: 3, 2: 2, 3: 2}
    assert [(s.key, s.why) for s in p.steps] == [
        (1, "spread"),
        (2, "spread"),
        (3, "spread"),
        (1, "score"),
        (2, "score"),
        (1, "score"),
        (3, "score"),
    ]
    assert p.allocated == 7 and p.shortfall == 0


def test_never_more_than_offered_and_the_shortfall_is_said() -> None:
    a = tender(1, "A", 2, [5, 5], [5, 5], [5, 5])
    b = tender(2, "B", 1, [3, 3], [3, 3], [3, 3])
    p = propose([a, b], RULES, places=5)
    assert p.allocation == {1: 2, 2: 1}
    assert p.offered_by_qualifying == 3 and p.shortfall == 2


def test_fewer_places_than_tenders_go_by_rank_then_variety() -> None:
    a = tender(1, "A", 3, [4, 4], [4, 4], [4, 4], types=["second-hand"])
    b = tender(2, "B", 3, [4, 4], [4, 4], [4, 4], types=["second-hand"])
    c = tender(3, "C", 3, [4, 4], [4, 4], [4, 4], types=["plants"])
    d = tender(4, "D", 3, [5, 5], [5, 5], [5, 5], types=["second-hand"])
    p = propose([a, b, c, d], RULES, places=2)
    # D ranks first; among the equal rest, C adds a work type not yet covered.
    assert p.allocation == {4: 1, 3: 1, 1: 0, 2: 0}


def test_refused_tenders_get_nothing_and_without_spread_score_alone_decides() -> None:
    a = tender(1, "A", 5, [5, 5], [5, 5], [5, 5])
    b = tender(2, "B", 5, [3, 3], [3, 3], [3, 3])
    low = tender(3, "Low", 5, [1, 1], [1, 1], [1, 1])
    p = propose([a, b, low], RULES, places=3, spread=False)
    # 5/1 → A; 5/2=2.5 vs B 3/1 → B; A 2.5 vs B 1.5 → A.
    assert p.allocation == {1: 2, 2: 1, 3: 0}


def test_same_input_same_proposal_and_negative_refused() -> None:
    ts = [tender(i, f"T{i}", 3, [4, 5], [3, 4], [4, 4]) for i in range(1, 6)]
    assert propose(ts, RULES, places=12) == propose(ts, RULES, places=12)
    assert propose(ts, RULES, places=12).allocation == {1: 3, 2: 3, 3: 2, 4: 2, 5: 2}
    with pytest.raises(ValueError):
        propose(ts, RULES, places=-1)
