from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from platsa.engine.privacy import suppressed_keys

counts = st.dictionaries(st.sampled_from(list("abcdefg")), st.integers(0, 40), min_size=1)


@given(counts=counts, threshold=st.integers(1, 10))
def test_every_small_nonzero_count_is_suppressed_and_zero_never_is(
    counts: dict[str, int], threshold: int
) -> None:
    hidden = suppressed_keys(counts, threshold=threshold)
    for key, value in counts.items():
        if 0 < value < threshold:
            assert key in hidden
        if value == 0:
            assert key not in hidden


@given(counts=counts, threshold=st.integers(2, 10))
def test_a_single_hidden_cell_cannot_be_recovered_from_the_total(
    counts: dict[str, int], threshold: int
) -> None:
    hidden = suppressed_keys(counts, threshold=threshold, total_shown=True)
    nonzero_others = [k for k, v in counts.items() if v > 0 and k not in hidden]
    # Either nothing is hidden, or at least two cells are, or no other cell could be hidden.
    assert len(hidden) != 1 or not nonzero_others


def test_the_report_s_two_ongoing_placements_are_hidden_with_a_partner() -> None:
    assert suppressed_keys({"planned": 0, "ongoing": 2, "ended": 15}, threshold=5) == {
        "ongoing",
        "ended",
    }
