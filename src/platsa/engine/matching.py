"""A simple, explainable place finder: which places suit a participant, and why.

No learning, no hidden weights: each rule adds to the score or rules a place out, and says so.
The report found that some participants reject second-hand work, that distance and transport
keep people away, and that indoor and physical demands matter (§4.1, §6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Candidate", "Match", "Preferences", "rank_places"]


@dataclass(frozen=True)
class Preferences:
    interests: frozenset[str] = frozenset()  # work type codes
    excluded: frozenset[str] = frozenset()
    setting: str | None = None  # "indoor", "outdoor" or None (either)
    max_physical: int | None = None  # 1 light, 2 moderate, 3 heavy
    needs_public_transport: bool = False


@dataclass(frozen=True)
class Candidate:
    key: int
    work_types: frozenset[str]
    indoor: bool | None  # None: not known
    physical: int | None
    public_transport: bool | None
    free_now: int
    free_within_30_days: int
    first_free_day: dt.date | None = None
    work_types_known: bool = True  # False: the organisation's work types, the place's own unknown


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: int
    reasons: tuple[str, ...]  # codes, in the order the rules ran
    ruled_out: tuple[str, ...]  # empty when the place suits

    @property
    def suitable(self) -> bool:
        return not self.ruled_out


def rank_places(prefs: Preferences, candidates: Sequence[Candidate]) -> list[Match]:
    """Suitable places first, best first; then the ones ruled out, each with its reasons.

    >>> p = Preferences(interests=frozenset({"cafe"}), excluded=frozenset({"second-hand"}))
    >>> a = Candidate(1, frozenset({"cafe"}), True, 1, True, free_now=1, free_within_30_days=1)
    >>> b = Candidate(2, frozenset({"second-hand"}), True, 1, True, free_now=1, free_within_30_days=1)
    >>> [(m.candidate.key, m.score, m.reasons, m.ruled_out) for m in rank_places(p, [b, a])]
    [(1, 5, ('interest', 'free_now'), ()), (2, 2, ('free_now',), ('excluded_work_type',))]
    """
    matches = []
    for c in candidates:
        score, reasons, out = 0, [], []
        if c.work_types_known and c.work_types & prefs.excluded:
            out.append("excluded_work_type")
        elif not c.work_types_known and c.work_types and c.work_types <= prefs.excluded:
            out.append(
                "excluded_work_type"
            )  # every kind of work the organisation offers is excluded
        if not c.work_types_known:
            reasons.append("work_type_unknown")
        if c.work_types & prefs.interests:
            score += 3
            reasons.append("interest")
        if prefs.setting is not None and c.indoor is not None:
            if c.indoor == (prefs.setting == "indoor"):
                score += 1
                reasons.append("setting")
            else:
                out.append("setting")
        if prefs.max_physical is not None and c.physical is not None:
            if c.physical <= prefs.max_physical:
                score += 1
                reasons.append("physical")
            else:
                out.append("too_heavy")
        if prefs.needs_public_transport:
            if c.public_transport:
                score += 1
                reasons.append("transport")
            elif c.public_transport is False:
                out.append("no_transport")
            else:
                reasons.append("transport_unknown")
        if c.free_now > 0:
            score += 2
            reasons.append("free_now")
        elif c.free_within_30_days > 0:
            score += 1
            reasons.append("free_soon")
        else:
            out.append("full")
        matches.append(Match(c, score, tuple(reasons), tuple(out)))
    return sorted(matches, key=lambda m: (not m.suitable, -m.score, m.candidate.key))
