"""Benchmark: the need for places and the award proposal on the demo's living data.

Run from the repository root:  python benchmarks/bench_need.py [--repeat R] [--simulations N]

Loads the demo (the Östersund case and its synthetic continuation up to today) into a fresh
SQLite database in a temporary directory, then times, each as the median of R runs:

- reading the history (``need_inputs``: the queries and the recorded occupancy) — the baseline;
- the need for places (``need_for``: Kaplan–Meier, Little's law and N queue simulations for
  every number of places on the curve);
- the payment models on the simulated demand for the recommended places (N draws);
- the need by work type;
- the award proposal of the demo's tender round (``award_inputs`` + ``propose``).

The ratios say what each adds to reading the history. One JSON object on stdout, with the
figures themselves (the same seed gives the same ones) and the machine. The data directory is
printed too, so ``farm-bench`` can time ``platsa need`` as a whole process against it:

    PLATSA_DATA_DIR=<dir> farm-bench --vs 'platsa need --municipality 2380 --simulations 1 --json' \\
        -- platsa need --municipality 2380 --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from _common import machine


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--simulations", type=int, default=200)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="platsa-bench-need-")
    os.environ["PLATSA_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.settings")
    os.environ.pop("PLATSA_DATABASE_URL", None)
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command

    call_command("demo", "--no-serve", verbosity=0, stdout=io.StringIO())
    from platsa.accounts.models import Municipality
    from platsa.common.clock import today
    from platsa.engine.award import propose
    from platsa.occupancy.need import (
        default_window,
        need_by_work_type,
        need_for,
        need_inputs,
        payment_for_need,
    )
    from platsa.procurement.models import Procurement
    from platsa.procurement.selectors_tenders import award_inputs
    from platsa.site.demo_tenders import TITLE

    municipality = Municipality.objects.get(code="2380")
    on = today()
    start, end = default_window(on)
    n = args.simulations

    def inputs():  # type: ignore[no-untyped-def]
        return need_inputs(municipality.pk, start=start, end=end, today=on)

    def need():  # type: ignore[no-untyped-def]
        return need_for(municipality.pk, start=start, end=end, today=on, simulations=n)

    result = need()

    def payment():  # type: ignore[no-untyped-def]
        return payment_for_need(result, simulations=n)

    def by_work_type():  # type: ignore[no-untyped-def]
        return need_by_work_type(municipality.pk, start=start, end=end, today=on)

    procurement = Procurement.objects.get(municipality=municipality, title=TITLE)

    def award():  # type: ignore[no-untyped-def]
        tenders, rules = award_inputs(procurement)
        return propose(tenders, rules, places=result.recommended_places or 0)

    baseline = _median(inputs, args.repeat)
    timings = {
        "history (baseline)": baseline,
        "need for places": _median(need, args.repeat),
        "payment models": _median(payment, args.repeat),
        "by work type": _median(by_work_type, args.repeat),
        "award proposal": _median(award, args.repeat),
    }
    costs = payment()
    print(
        json.dumps(
            {
                "benchmark": "need for places and award proposal, demo living data",
                "today": on.isoformat(),
                "window": [start.isoformat(), end.isoformat()],
                "simulations": n,
                "repeat": args.repeat,
                "seconds": {k: round(v, 4) for k, v in timings.items()},
                "ratio_to_baseline": {k: round(v / baseline, 2) for k, v in timings.items()},
                "figures": {
                    "average_places_in_use": round(result.inputs.average_in_use, 3),
                    "recommended_places": result.recommended_places,
                    "recommended_band": result.recommended_band,
                    "curve_points": len(result.curve),
                    "payment_models_sek_a_year": {c.model: round(c.mean_sek) for c in costs},
                    "award": award().allocation,
                },
                "data_dir": data_dir,
                "machine": {
                    "date": dt.date.today().isoformat(),
                    **machine(),
                    "numpy": np.__version__,
                },
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    )


if __name__ == "__main__":
    main()
