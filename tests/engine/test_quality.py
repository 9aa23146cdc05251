from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from platsa.engine.quality import (
    PlacementFacts,
    PlacementFlag,
    PlacementStatus,
    placement_flags,
    placement_status,
)

AGREEMENT = {"agreement_start": dt.date(2022, 9, 1), "agreement_end": dt.date(2023, 8, 31)}
AS_OF = dt.date(2023, 11, 1)


def facts(**overrides: object) -> PlacementFacts:
    base: dict[str, object] = {
        "start": dt.date(2022, 10, 1),
        "planned_end": None,
        "actual_end": dt.date(2023, 1, 31),
        "destination": "studies",
        **AGREEMENT,
    }
    base.update(overrides)
    return PlacementFacts(**base)  # type: ignore[arg-type]


def test_a_clean_ended_placement_has_no_flags() -> None:
    assert placement_flags(facts(), as_of=AS_OF) == ()


def test_a_placement_starting_before_its_agreement_is_flagged() -> None:
    flags = placement_flags(facts(start=dt.date(2022, 8, 29)), as_of=AS_OF)
    assert PlacementFlag.STARTS_BEFORE_AGREEMENT in flags


def test_a_placement_starting_after_its_agreement_is_flagged() -> None:
    flags = placement_flags(facts(start=dt.date(2023, 9, 1), actual_end=None), as_of=AS_OF)
    assert PlacementFlag.STARTS_AFTER_AGREEMENT in flags


def test_a_placement_without_agreement_is_flagged() -> None:
    flags = placement_flags(facts(agreement_start=None, agreement_end=None), as_of=AS_OF)
    assert flags == (PlacementFlag.NO_AGREEMENT,)


def test_an_open_end_is_flagged_but_a_future_planned_end_is_not() -> None:
    assert PlacementFlag.OPEN_END in placement_flags(facts(actual_end=None), as_of=AS_OF)
    future = facts(actual_end=None, planned_end=dt.date(2023, 12, 31))
    assert placement_flags(future, as_of=AS_OF) == ()


def test_a_passed_planned_end_without_an_end_is_flagged() -> None:
    late = facts(actual_end=None, planned_end=dt.date(2023, 12, 31))
    assert placement_flags(late, as_of=dt.date(2024, 1, 1)) == (PlacementFlag.PLANNED_END_PASSED,)


def test_an_ended_placement_with_unknown_destination_is_flagged() -> None:
    for destination in (None, "", "unknown"):
        flags = placement_flags(facts(destination=destination), as_of=AS_OF)
        assert flags == (PlacementFlag.ENDED_WITHOUT_DESTINATION,)


def test_a_source_note_is_flagged() -> None:
    flags = placement_flags(facts(source_note="written as 2023-12 31"), as_of=AS_OF)
    assert flags == (PlacementFlag.SOURCE_IRREGULAR,)


def test_status_counts_the_end_date_as_the_last_day() -> None:
    end = dt.date(2023, 1, 31)
    start = dt.date(2022, 9, 1)
    assert placement_status(start=start, actual_end=end, as_of=end) is PlacementStatus.ONGOING
    after = end + dt.timedelta(days=1)
    assert placement_status(start=start, actual_end=end, as_of=after) is PlacementStatus.ENDED
    before = start - dt.timedelta(days=1)
    assert placement_status(start=start, actual_end=end, as_of=before) is PlacementStatus.PLANNED


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31))


@given(start=dates, length=st.one_of(st.none(), st.integers(0, 900)), as_of=dates)
def test_status_is_ongoing_exactly_between_start_and_end(
    start: dt.date, length: int | None, as_of: dt.date
) -> None:
    end = None if length is None else start + dt.timedelta(days=length)
    status = placement_status(start=start, actual_end=end, as_of=as_of)
    inside = start <= as_of and (end is None or as_of <= end)
    assert (status is PlacementStatus.ONGOING) == inside


def test_a_move_is_still_placed_and_an_unrecorded_destination_is_told_apart() -> None:
    import datetime as dt

    from platsa.engine.indicators import (
        PlacementRecord,
        municipality_indicators,
        status_after_start,
    )

    moved = PlacementRecord("A", dt.date(2023, 1, 2), dt.date(2023, 3, 31), "moved")
    assert status_after_start(moved, 6, today=dt.date(2024, 1, 1)) == "placed"
    records = [
        moved,
        PlacementRecord("A", dt.date(2023, 1, 2), dt.date(2023, 2, 28), "unknown"),
        PlacementRecord("A", dt.date(2023, 1, 2), dt.date(2023, 2, 28), ""),
    ]
    m = municipality_indicators(records, cohort_outcomes={})
    assert (m.unknown_destination, m.destination_not_recorded) == (2, 1)
