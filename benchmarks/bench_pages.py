"""Benchmark: each page's server time and queries at three sizes of history.

Run from the repository root:  python benchmarks/bench_pages.py [--repeat R] [--sizes 150:3,730:6,2500:10]

For each size (participants referred : years of history) a fresh database gets one synthetic
municipality from ``platsa synth`` (seed 1): SQLite in a temporary directory, or, with
``PLATSA_DATABASE_URL`` naming an empty PostgreSQL database, that one (emptied between sizes).
Then each page is requested in-process through Django's test client as the role that uses it
(signed in, second factor passed), the median of R runs timed around the request (middleware,
views, queries and templates: the server's time, without the network), and its queries
counted. Baseline: the same pages at the smallest size; the ratios say how each page grows with
the history. One JSON object on stdout, and a Markdown table on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

PAGES = [
    # (name, role, URL name, query)
    ("start, coach", "coach", "home", {}),
    ("start, manager", "manager", "home", {}),
    ("placements", "coach", "placement_list", {}),
    ("queue", "coach", "referral_queue", {}),
    ("occupancy", "manager", "occupancy_overview", {}),
    ("value", "manager", "value", {}),
    ("organisation profiles", "manager", "organisation_profiles", {}),
    ("goals", "manager", "goals", {}),
    ("indicators", "manager", "indicators", {}),
    ("need", "manager", "need", {}),
    ("agreements", "manager", "agreement_list", {}),
]


def _measure(size: tuple[int, int], repeat: int) -> dict[str, dict[str, float]]:
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from platsa.accounts.models import User
    from platsa.placements.models import Attendance, Placement
    from platsa.site.mfa import SECOND_FACTOR

    call_command("flush", "--no-input", verbosity=0)
    participants, years = size
    call_command(
        "synth",
        "--participants",
        str(participants),
        "--years",
        str(years),
        "--seed",
        "1",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    clients = {}
    for role in ("coach", "manager"):
        client = Client()
        client.force_login(User.objects.get(username=f"{role}-9001"))
        session = client.session
        session[SECOND_FACTOR] = True
        session.save()
        clients[role] = client
    out: dict[str, dict[str, float]] = {
        "_size": {
            "placements": Placement.objects.count(),
            "attendance_rows": Attendance.objects.count(),
        }
    }
    for label, role, name, query in PAGES:
        client = clients[role]
        url = reverse(name)
        client.get(url, query)  # warm caches as a running server would have them
        times = []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, query)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (label, response.status_code)
        out[label] = {"seconds": statistics.median(times), "queries": len(queries)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="150:3,730:6,2500:10")
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    if not os.environ.get("PLATSA_DATABASE_URL"):
        os.environ["PLATSA_DATA_DIR"] = tempfile.mkdtemp(prefix="platsa-bench-pages-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # the login library's lines would bury the table
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    results = {f"{p}:{y}": _measure((p, y), args.repeat) for p, y in sizes}  # type: ignore[misc]
    base = results[next(iter(results))]
    for result in results.values():
        for label, figures in result.items():
            if not label.startswith("_"):
                figures["ratio"] = figures["seconds"] / base[label]["seconds"]
    vendor = django.db.connection.vendor
    print(
        json.dumps(
            {
                "benchmark": "page server time and queries by size of history",
                "database": vendor,
                "repeat": args.repeat,
                "results": results,
                "machine": {
                    "processor": platform.processor() or platform.machine(),
                    "cores": os.cpu_count(),
                    "python": platform.python_version(),
                },
            },
            indent=2,
        )
    )
    header = " | ".join(f"{r['_size']['placements']} placements" for r in results.values())
    print(f"| page ({vendor}) | {header} |", file=sys.stderr)
    print("|---" * (len(results) + 1) + "|", file=sys.stderr)
    for label, *_rest in PAGES:
        cells = " | ".join(
            f"{r[label]['seconds']:.3f} s ({r[label]['queries']} q)" for r in results.values()
        )
        print(f"| {label} | {cells} |", file=sys.stderr)


if __name__ == "__main__":
    main()
