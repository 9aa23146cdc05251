"""Benchmark: Monte Carlo SROI, 10^6 draws of a 10-row impact map, against a per-draw loop.

Run from the repository root:  python benchmarks/bench_sroi_monte_carlo.py [--draws N] [--repeat R]

The engine draws every uncertain input for all draws at once and evaluates (draws × rows) arrays
in chunks. The baseline is the obvious implementation: a Python loop over draws, each drawing its
inputs and summing the discounted years row by row; it is timed on fewer draws and reported per
draw, so the ratio compares like with like. Results go to stdout as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

from platsa.engine.distributions import Normal, Triangular, Uniform
from platsa.engine.sroi import ImpactMap, ImpactRow, simulate


def impact_map(rows: int = 10) -> ImpactMap:
    return ImpactMap(
        rows=tuple(
            ImpactRow(
                stakeholder=("municipality", "region", "state", "individual")[i % 4],
                outcome=f"outcome {i}",
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


def baseline(impact: ImpactMap, draws: int, rng: np.random.Generator) -> list[float]:
    """The per-draw loop a spreadsheet macro or a first script would be."""
    ratios = []
    for _ in range(draws):
        investment = impact.investment_sek.sample(rng, 1)[0]  # type: ignore[union-attr]
        pv = 0.0
        for row in impact.rows:
            proxy = max(row.value_per_unit_year_sek.sample(rng, 1)[0], 0.0)  # type: ignore[union-attr]
            dw = row.deadweight.sample(rng, 1)[0]  # type: ignore[union-attr]
            at = row.attribution.sample(rng, 1)[0]  # type: ignore[union-attr]
            do = row.drop_off.sample(rng, 1)[0]  # type: ignore[union-attr]
            year1 = (
                float(row.quantity) * proxy * (1 - dw) * (1 - float(row.displacement)) * (1 - at)
            )
            for n in range(1, row.duration_years + 1):
                pv += year1 * (1 - do) ** (n - 1) / 1.035**n
        ratios.append(pv / investment)
    return ratios


def _time(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
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
    parser.add_argument("--baseline-draws", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    impact = impact_map()
    engine_s = _time(
        lambda: simulate(impact, draws=args.draws, rng=np.random.default_rng(1)), args.repeat
    )
    base_s = _time(lambda: baseline(impact, args.baseline_draws, np.random.default_rng(1)), 1)
    engine_per_draw = engine_s / args.draws
    base_per_draw = base_s / args.baseline_draws
    print(
        json.dumps(
            {
                "benchmark": "sroi_monte_carlo_10_rows",
                "draws": args.draws,
                "engine_seconds_median": round(engine_s, 3),
                "baseline_draws": args.baseline_draws,
                "baseline_seconds": round(base_s, 3),
                "baseline_seconds_extrapolated_to_draws": round(base_per_draw * args.draws, 1),
                "speedup_vs_baseline": round(base_per_draw / engine_per_draw, 1),
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
