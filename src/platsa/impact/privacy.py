"""When amounts must be hidden from an audience that may not see individuals."""

from __future__ import annotations

from platsa.engine.privacy import amounts_reveal
from platsa.impact.scenarios import Recorded


def outcomes_hidden(recorded: Recorded, dashboard: object | None, threshold: int) -> bool:
    """Whether the period's outcomes are too few for this audience to see amounts built on
    them: every value, ratio and payback is their number times a value per person."""
    counts = {f"recorded_{k}": v for k, v in recorded.exits.items()}
    if dashboard is not None:
        counts["work"] = dashboard.exits_to_work  # type: ignore[attr-defined]
        counts["studies"] = dashboard.exits_to_studies  # type: ignore[attr-defined]
    return amounts_reveal(counts, threshold=threshold)
