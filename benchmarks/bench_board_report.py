"""Benchmark: the board report for the Östersund demo year, split into its parts.

Run from the repository root:  python benchmarks/bench_board_report.py [--repeat R]

Loads the demo case into a fresh SQLite database in a temporary directory, then times, each as
the median of R runs: gathering the figures (``build_report``: occupancy, indicators, value over
time, SROI with 20,000 draws and a tornado, goals, per-organisation profiles, alternatives), the
PDF (WeasyPrint layout of ~12 A4 pages) and the workbook. The baseline is gathering the figures:
the ratios say what the document formats add on top of the computation. One JSON object on stdout.
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
    parser.add_argument(
        "--synth",
        metavar="PARTICIPANTS:YEARS",
        help="instead of the demo year: one synthetic municipality of that size (platsa synth, "
        "seed 1), reported for the last full calendar year",
    )
    args = parser.parse_args()
    os.environ["PLATSA_DATA_DIR"] = tempfile.mkdtemp(prefix="platsa-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.settings")
    os.environ.pop("PLATSA_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from pypdf import PdfReader

    from platsa.accounts.models import Municipality
    from platsa.impact.report import build_report, render_pdf
    from platsa.impact.workbook import render_xlsx
    from platsa.placements.models import Placement

    if args.synth:
        participants, years = args.synth.split(":")
        call_command("migrate", verbosity=0)
        call_command(
            "synth",
            *("--participants", participants, "--years", years, "--seed", "1"),
            stdout=io.StringIO(),
        )
        municipality = Municipality.objects.get(code="9001")
        today = dt.date.today()
        period = {"start": dt.date(today.year - 1, 1, 1), "end": dt.date(today.year - 1, 12, 31)}
    else:
        call_command("demo", "--no-serve", verbosity=0, stdout=io.StringIO())
        municipality = Municipality.objects.get(code="2380")
        period = {"start": dt.date(2022, 9, 1), "end": dt.date(2023, 8, 31)}
        today = dt.date(2026, 11, 27)
    placements = Placement.objects.filter(participant__municipality=municipality).count()

    def build():  # type: ignore[no-untyped-def]
        return build_report(municipality, **period, today=today)

    report = build()
    figures = _median(build, args.repeat)
    pdf = _median(lambda: render_pdf(report), args.repeat)
    xlsx = _median(lambda: render_xlsx(report), args.repeat)
    pages = len(PdfReader(io.BytesIO(render_pdf(report))).pages)
    print(
        json.dumps(
            {
                "benchmark": f"board report, {municipality.name} "
                f"{period['start']} – {period['end']}",
                "placements_in_history": placements,
                "figures_s": round(figures, 3),
                "pdf_s": round(pdf, 3),
                "xlsx_s": round(xlsx, 3),
                "pdf_over_figures": round(pdf / figures, 1),
                "xlsx_over_figures": round(xlsx / figures, 2),
                "pdf_pages": pages,
                "repeat": args.repeat,
                "machine": machine(),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
