"""Benchmark: Monte Carlo SROI, 10^6 draws of a 10-row impact map, against plain numpy.

Run from the repository root:  python benchmarks/bench_sroi_monte_carlo.py [--draws N] [--repeat R]

Both are timed in this process, side by side, on the same map and the same number of draws:

- the engine (``platsa.engine.sroi.simulate``): draws in chunks, each from a generator of its
  own, on two threads; row by row, a share drawn once per outcome, fixed inputs kept as numbers,
  whole-year discounting by repeated squaring;
- the baseline: a straightforward numpy implementation of the same arithmetic, as one would
  write it first — for every row draw every input for all draws, then sum the discounted years.

Two maps: *independent* (10 rows, 10 outcomes: nothing to share, the engine's worst case) and
*by outcome* (10 rows, 2 outcomes × 5 actors, as a scenario's map is: the rows of an outcome share
their deadweight, attribution and drop-off). Results go to stdout as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from platsa.engine.distributions import Normal, Triangular, Uniform, as_distribution
from platsa.engine.sroi import ImpactMap, ImpactRow, simulate

ACTORS = ("municipality", "region", "state", "individual", "organisations")


def impact_map(rows: int = 10, *, outcomes: int | None = None) -> ImpactMap:
    """``outcomes=None``: one outcome per row; else the rows spread over that many outcomes."""
    return ImpactMap(
        rows=tuple(
            ImpactRow(
                stakeholder=ACTORS[i % len(ACTORS)],
                outcome=f"outcome {i if outcomes is None else i * outcomes // rows}",
                quantity=2 + i % 3,
                value_per_unit_year_sek=Normal(100_000 + 10_000 * i, 15_000, low=0),
                duration_years=3 + i % 3,
                deadweight=Triangular(0.1, 0.2, 0.4),
                displacement=0.05,
                attribution=Uniform(0.1, 0.4),
                drop_off=Triangular(0.1, 0.3, 0.5),
            )
            for i in range(rows)
        ),
        investment_sek=Uniform(800_000, 950_000),
        discount_rate=0.035,
    )


def numpy_baseline(impact: ImpactMap, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Draw every input of every row for all draws, then compute: the obvious numpy version."""
    investment = as_distribution(impact.investment_sek).sample(rng, draws)
    rate = as_distribution(impact.discount_rate).sample(rng, draws)
    pv = np.zeros(draws)
    for row in impact.rows:
        quantity = np.maximum(as_distribution(row.quantity).sample(rng, draws), 0)
        proxy = as_distribution(row.value_per_unit_year_sek).sample(rng, draws)
        dw = as_distribution(row.deadweight).sample(rng, draws)
        dp = as_distribution(row.displacement).sample(rng, draws)
        at = as_distribution(row.attribution).sample(rng, draws)
        do = as_distribution(row.drop_off).sample(rng, draws)
        year1 = quantity * proxy * (1 - dw) * (1 - dp) * (1 - at)
        for n in range(1, row.duration_years + 1):
            pv += year1 * (1 - do) ** (n - 1) / (1 + rate) ** n
    ratio: np.ndarray = pv / investment
    return ratio


def _median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results = {}
    for name, impact in (
        ("independent", impact_map()),
        ("by_outcome", impact_map(outcomes=2)),
    ):
        engine_s = _median_seconds(
            lambda impact=impact: simulate(impact, draws=args.draws, rng=np.random.default_rng(1)),
            args.repeat,
        )
        base_s = _median_seconds(
            lambda impact=impact: numpy_baseline(impact, args.draws, np.random.default_rng(1)),
            args.repeat,
        )
        results[name] = {
            "engine_seconds_median": round(engine_s, 3),
            "numpy_baseline_seconds_median": round(base_s, 3),
            "engine_over_baseline": round(engine_s / base_s, 2),
        }
    print(
        json.dumps(
            {
                "benchmark": "sroi_monte_carlo_10_rows",
                "draws": args.draws,
                "repeat": args.repeat,
                "maps": results,
                "machine": {
                    "cpu": _cpu(),
                    "cores": os.cpu_count(),
                    "python": platform.python_version(),
                    "numpy": np.__version__,
                    "platform": platform.platform(),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
