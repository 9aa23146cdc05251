"""Small-count suppression for aggregates shown to analysts and boards.

A count from 1 to ``threshold - 1`` could point at a person, so it is suppressed (primary
suppression). When a group's total is shown, a single suppressed cell could be recovered by
subtraction, so the smallest other non-zero cell is suppressed too (secondary suppression), as
statistical agencies do for frequency tables. Zero reveals no one and is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["CountCell", "amounts_reveal", "group_counts", "suppressed_keys"]


@dataclass(frozen=True)
class CountCell:
    """A count shown in an aggregate, or hidden so that no individual can be singled out."""

    value: int
    suppressed: bool


def suppressed_keys(
    counts: Mapping[str, int], *, threshold: int, total_shown: bool = True
) -> frozenset[str]:
    """The keys of ``counts`` whose values must not be shown.

    >>> sorted(suppressed_keys({"ongoing": 2, "ended": 15, "planned": 0}, threshold=5))
    ['ended', 'ongoing']
    >>> sorted(suppressed_keys({"a": 6, "b": 7}, threshold=5))
    []
    >>> sorted(suppressed_keys({"a": 1, "b": 2, "c": 9}, threshold=5))
    ['a', 'b']
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    primary = {k for k, v in counts.items() if 0 < v < threshold}
    if total_shown and len(primary) == 1:
        others = sorted((v, k) for k, v in counts.items() if v > 0 and k not in primary)
        if others:
            primary.add(others[0][1])
    return frozenset(primary)


def group_counts(
    counts: Mapping[str, int], threshold: int, *, total_shown: bool = True
) -> dict[str, CountCell]:
    """Each count with whether it must be hidden.

    >>> group_counts({"a": 1, "b": 9}, 5)["a"]
    CountCell(value=1, suppressed=True)
    """
    hidden = suppressed_keys(counts, threshold=threshold, total_shown=total_shown)
    return {k: CountCell(v, k in hidden) for k, v in counts.items()}


def amounts_reveal(counts: Mapping[str, int], *, threshold: int) -> bool:
    """Whether amounts computed from these counts must be hidden too.

    A value in kronor is a count times a published value per person (14 280 kr a month in work
    to the municipality, say): dividing one by the other gives the count back. So when any
    count it rests on is hidden, so are the amounts, ratios and dates built on them.

    >>> amounts_reveal({"employment": 2, "studies": 0}, threshold=5)
    True
    >>> amounts_reveal({"employment": 6, "studies": 0}, threshold=5)
    False
    >>> amounts_reveal({"employment": 2, "studies": 1}, threshold=1)
    False
    """
    return bool(suppressed_keys(counts, threshold=threshold, total_shown=False))
