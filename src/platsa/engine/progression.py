"""Progression on anchored scales: change from the first assessment to the latest, and whether it
reaches the threshold for meaningful change that was set in advance (the report's point on
subjective indicators: say beforehand what counts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["ScaleProgress", "progression"]


@dataclass(frozen=True)
class ScaleProgress:
    scale: str
    first: int
    latest: int
    change: int
    threshold: int
    points: tuple[tuple[dt.date, int], ...]

    @property
    def meaningful(self) -> bool:
        return abs(self.change) >= self.threshold

    @property
    def direction(self) -> str:
        if not self.meaningful:
            return "none"
        return "better" if self.change > 0 else "worse"


def progression(
    assessments: Sequence[tuple[dt.date, Mapping[str, int]]], *, thresholds: Mapping[str, int]
) -> list[ScaleProgress]:
    """Per scale, in the order of ``thresholds``: first and latest value and the change.

    >>> a = [(dt.date(2023, 1, 1), {"routines": 3}), (dt.date(2023, 4, 1), {"routines": 6})]
    >>> p = progression(a, thresholds={"routines": 2, "language": 2})
    >>> [(x.scale, x.change, x.meaningful) for x in p]
    [('routines', 3, True)]
    """
    ordered = sorted(assessments, key=lambda a: a[0])
    out = []
    for scale, threshold in thresholds.items():
        points = tuple((day, values[scale]) for day, values in ordered if scale in values)
        if not points:
            continue
        out.append(
            ScaleProgress(
                scale, points[0][1], points[-1][1], points[-1][1] - points[0][1], threshold, points
            )
        )
    return out
