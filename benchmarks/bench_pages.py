"""Benchmark: each page's server time and queries at three sizes of history.

Run from the repository root:  python benchmarks/bench_pages.py [--repeat R] [--sizes 150:3,730:6,2500:10]

For each size (participants referred : years of history) a fresh database gets one synthetic
municipality from ``platsa synth`` (seed 1), in a process of its own: SQLite in a temporary
directory, or, with ``PLATSA_DATABASE_URL`` naming a PostgreSQL server, a new database on it
(``platsa_bench_<size>``, made anew each run).
Then each page is requested in-process (after one request that warms what a running server
keeps: parsed parameter files, a need for places computed for the same inputs) through Django's test client as the role that uses it
(signed in, second factor passed), the median of R runs timed around the request (middleware,
views, queries and templates: the server's time, without the network), and its queries
counted. Baseline: the same pages at the smallest size; the ratios say how each page grows with
the history. One JSON object on stdout, and a Markdown table on stderr.
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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # statistics as a running database has them, not a fresh load
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


def _child(size: str, repeat: int) -> dict[str, dict[str, float]]:
    """Measure one size in the database the environment names (a fresh one)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # the login library's lines would bury the table
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    participants, years = (int(x) for x in size.split(":"))
    return _measure((participants, years), repeat)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="150:3,730:6,2500:10")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child measuring one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_child(args.one, args.repeat)))
        return
    base_url = os.environ.get("PLATSA_DATABASE_URL", "")
    results = {}
    for size in args.sizes.split(","):
        env = dict(os.environ)
        if base_url.startswith(("postgres://", "postgresql://")):
            name = "platsa_bench_" + size.replace(":", "_")
            env["PLATSA_DATABASE_URL"] = fresh_database(base_url, name)
        else:
            env.pop("PLATSA_DATABASE_URL", None)
            env["PLATSA_DATA_DIR"] = tempfile.mkdtemp(prefix="platsa-bench-pages-")
        done = subprocess.run(
            [sys.executable, __file__, "--one", size, "--repeat", str(args.repeat)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[size] = json.loads(done.stdout.strip().splitlines()[-1])
    base = results[next(iter(results))]
    for result in results.values():
        for label, figures in result.items():
            if not label.startswith("_"):
                figures["ratio"] = figures["seconds"] / base[label]["seconds"]
    vendor = "postgresql" if base_url.startswith("postgres") else "sqlite"
    print(
        json.dumps(
            {
                "benchmark": "page server time and queries by size of history",
                "database": vendor,
                "repeat": args.repeat,
                "results": results,
                "machine": machine(),
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
