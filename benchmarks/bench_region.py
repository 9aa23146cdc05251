"""Benchmark: the regional view over many synthetic municipalities.

Run from the repository root:
    python benchmarks/bench_region.py [--municipalities 290] [--participants 40] [--years 3]

A fresh database (SQLite in a temporary directory, or, with ``PLATSA_DATABASE_URL`` naming a
PostgreSQL server, a new database ``platsa_bench_region`` on it) gets that many synthetic
municipalities from ``platsa synth`` (seed 1), each sharing with the synthetic region (synth
computes their figures). Then, as the region's analyst:

- the regional view (``/region/`` for the current year): server time through Django's test
  client (middleware, view, queries, engine and template; no network), median of R runs after
  one warm-up, and its queries;
- the baseline: what the same page would cost if it read every municipality's records at
  request time, the way a municipality's own value page does: ``year_figures_of`` for each
  municipality (occupancy, exits and the value engine's inputs), then the same pooled engine
  run, once;
- ``platsa figures``: the nightly refresh of every sharing municipality's years.

One JSON object on stdout and a Markdown row on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from _common import fresh_database, machine


def _child(municipalities: int, participants: int, years: int, repeat: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from platsa.accounts.models import Municipality, User
    from platsa.common.clock import today
    from platsa.impact.regional import regional_table, year_figures_of
    from platsa.placements.models import Placement
    from platsa.site.mfa import SECOND_FACTOR

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    call_command(
        "synth",
        "--municipalities",
        str(municipalities),
        "--participants",
        str(participants),
        "--years",
        str(years),
        "--seed",
        "1",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    synth_seconds = time.perf_counter() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    analyst = User.objects.get(username="region-synt")
    client = Client()
    client.force_login(analyst)
    session = client.session
    session[SECOND_FACTOR] = True
    session.save()
    url = reverse("regional")
    client.get(url)
    times = []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200
    assert region_rows(response.content.decode()) == municipalities, "every municipality shown"
    on = today()
    start = time.perf_counter()
    from_records = [
        year_figures_of(m, on.year, today=on) for m in Municipality.objects.filter(synthetic=True)
    ]
    assert all(f is not None for f in from_records)
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    assert analyst.region is not None
    regional_table(analyst.region, on.year, threshold=5)  # the engine's share of the page
    table_seconds = time.perf_counter() - start
    start = time.perf_counter()
    call_command("figures", stdout=open(os.devnull, "w"))  # noqa: SIM115
    refresh_seconds = time.perf_counter() - start
    return {
        "municipalities": municipalities,
        "placements": Placement.objects.count(),
        "synth_seconds": synth_seconds,
        "page_seconds": statistics.median(times),
        "page_queries": len(queries),
        "table_seconds": table_seconds,
        "baseline_from_records_seconds": read_seconds + table_seconds,
        "refresh_seconds": refresh_seconds,
    }


def region_rows(page: str) -> int:
    """Rows of municipalities in the page's table (each a ``<th scope="row">`` in the body)."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count('<th scope="row">')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = _child(args.municipalities, args.participants, args.years, args.repeat)
        print(json.dumps(result))
        return
    base_url = os.environ.get("PLATSA_DATABASE_URL", "")
    env = dict(os.environ)
    if base_url.startswith(("postgres://", "postgresql://")):
        env["PLATSA_DATABASE_URL"] = fresh_database(base_url, "platsa_bench_region")
    else:
        env.pop("PLATSA_DATABASE_URL", None)
        env["PLATSA_DATA_DIR"] = tempfile.mkdtemp(prefix="platsa-bench-region-")
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            *("--municipalities", str(args.municipalities)),
            *("--participants", str(args.participants)),
            *("--years", str(args.years)),
            *("--repeat", str(args.repeat)),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["ratio_page_to_baseline"] = (
        result["page_seconds"] / result["baseline_from_records_seconds"]
    )
    vendor = "postgresql" if base_url.startswith("postgres") else "sqlite"
    print(
        json.dumps(
            {
                "benchmark": "regional view over synthetic municipalities",
                "database": vendor,
                "repeat": args.repeat,
                "result": result,
                "machine": machine(),
            },
            indent=2,
        )
    )
    r = result
    print(
        f"| {vendor} | {r['municipalities']} | {r['placements']} | {r['page_seconds']:.3f} s "
        f"({r['page_queries']} q) | {r['baseline_from_records_seconds']:.2f} s | "
        f"{r['ratio_page_to_baseline']:.3f} | {r['refresh_seconds']:.1f} s |",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
