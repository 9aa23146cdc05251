"""Load test: many API clients reporting the same attendance at once, over loopback.

Run from the repository root:  python benchmarks/bench_api_attendance.py [--clients 50]
[--rounds 4] (with PLATSA_DATABASE_URL=postgres://… to run against PostgreSQL; default: a
fresh SQLite database in a temporary directory).

Loads the demo, serves it with ``platsa demo`` (waitress, 8 threads; or with ``--gunicorn N``, gunicorn
with N worker processes as in docs/production.md) on a free loopback port,
makes one API key per client for the Röda Korset supervisor, then lets every client PUT the same
days of the supervisor's current placements (every client the same set, in its own order,
alternating present/absent) as fast as it can. Afterwards it checks the database: exactly one
row per placement and day, whatever the interleaving. Baseline: the same clients reading
``GET /api/v1/agreements`` (one light query, no write). Prints one JSON object: requests per
second, median and p99 latency for both, the ratio, the rows found and the machine.

``--wrk SECONDS`` sends the same requests with wrk instead (``apt-get install wrk``; one C thread
holding the same number of connections, for that many seconds per run), so that the load
generator takes next to nothing of the machine's cores from the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _platsa(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "platsa", *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def _run(
    port: int, keys: list[str], jobs: list[tuple[str, str, bytes | None]]
) -> tuple[float, list[float], list[int]]:
    """Every client runs every job (shuffled); returns wall time, latencies and statuses."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(keys))

    def client(key: str, seed: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = jobs[:]
        random.Random(seed).shuffle(mine)
        start_gate.wait()
        for method, path, body in mine:
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            t0 = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                statuses.append(response.status)
        conn.close()

    threads = [threading.Thread(target=client, args=(k, i)) for i, k in enumerate(keys)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, latencies, statuses


_WRK_SCRIPT = """
local jobs = {%s}
local keys = {%s}
local n = 0
request = function()
  n = n + 1
  local job = jobs[(n %% #jobs) + 1]
  local headers = {}
  headers["Authorization"] = "Bearer " .. keys[(n %% #keys) + 1]
  headers["Content-Type"] = "application/json"
  return wrk.format(job[1], job[2], headers, job[3])
end
statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%%d": %%d', status, count))
  end
  io.write(string.format(
    'WRK {"requests": %%d, "seconds": %%f, "median_ms": %%f, "p99_ms": %%f, '
    .. '"errors": %%d, "statuses": {%%s}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status,
    table.concat(parts, ", ")))
end
"""


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrk(
    port: int,
    keys: list[str],
    jobs: list[tuple[str, str, bytes | None]],
    clients: int,
    seconds: float,
    data: str,
) -> dict[str, object]:
    """The same jobs sent by wrk: ``clients`` connections from one thread for ``seconds``."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("--wrk needs wrk (apt-get install wrk)")
    shuffled = jobs[:]
    random.Random(1).shuffle(shuffled)
    script = Path(data) / "load.lua"
    script.write_text(
        _WRK_SCRIPT
        % (
            ", ".join(
                "{" + ", ".join([_lua(m), _lua(p), _lua(b.decode()) if b else "nil"]) + "}"
                for m, p, b in shuffled
            ),
            ", ".join(_lua(k) for k in keys),
        )
    )
    done = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{clients}",
            f"-d{round(seconds)}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK "))
    found = json.loads(line[4:])
    return {
        "requests": found["requests"],
        "requests_per_s": round(found["requests"] / found["seconds"], 1),
        "median_ms": round(found["median_ms"], 1),
        "p99_ms": round(found["p99_ms"], 1),
        "statuses": found["statuses"],
        "socket_errors": found["errors"],
        "generator": "wrk, 1 thread",
    }


def _summary(wall: float, latencies: list[float], statuses: list[int]) -> dict[str, object]:
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / wall, 1),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1),
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="times each client sends each day")
    parser.add_argument(
        "--gunicorn",
        type=int,
        default=0,
        metavar="WORKERS",
        help="serve with gunicorn and this many worker processes (docs/production.md) "
        "instead of platsa demo's waitress",
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn's threads per worker")
    parser.add_argument(
        "--wrk",
        type=int,
        default=0,
        metavar="SECONDS",
        help="generate the load with wrk (apt-get install wrk: one C thread, far lighter than "
        "Python's client threads) for this many seconds per run, instead of the Python clients",
    )
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="platsa-bench-")
    env = {**os.environ, "PLATSA_DATA_DIR": data, "PLATSA_API_RATE": "1000000/m"}
    _platsa(env, "demo", "--no-serve")
    script = (
        "import datetime as dt;"
        "from platsa.accounts.models import User;"
        "from platsa.transfer.tokens import token_create;"
        "u=User.objects.get(username='handledare-roda-korset');"
        f"print(' '.join(token_create(u,name='bench',days=2,today=dt.date.today())[1] "
        f"for _ in range({args.clients})))"
    )
    keys = [w for w in _platsa(env, "shell", "-c", script).split() if w.startswith("platsa_")]
    port = _free_port()
    log = Path(data) / "server.log"
    if args.gunicorn:
        gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
        command = [
            gunicorn,
            "platsa.wsgi:application",
            *("--bind", f"127.0.0.1:{port}"),
            *("--workers", str(args.gunicorn)),
            *("--threads", str(args.threads)),
        ]
        serve_env = {
            **env,
            "PLATSA_SECRET_KEY": "bench-" + "x" * 60,
            "PLATSA_ALLOWED_HOSTS": "127.0.0.1",
        }
    else:
        command = [sys.executable, "-m", "platsa", "demo", "--port", str(port)]
        serve_env = env
    server = subprocess.Popen(
        command, env=serve_env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"the server did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request(
            "GET",
            "/api/v1/placements?status=ongoing&limit=5",
            headers={"Authorization": f"Bearer {keys[0]}"},
        )
        answer = conn.getresponse()
        listed = json.loads(answer.read())
        if answer.status != 200:
            raise SystemExit(f"listing the placements gave {answer.status}: {listed}")
        placements = listed["items"]
        today = dt.date.today()
        days = [today - dt.timedelta(days=n) for n in range(1, 29)]
        days = [d for d in days if d.weekday() < 5][:20]
        jobs: list[tuple[str, str, bytes | None]] = []
        for p in placements:
            start = dt.date.fromisoformat(p["start"])
            for d in days:
                if d < start:
                    continue
                for r in range(args.rounds):
                    body = (
                        {"status": "present", "hours": 6}
                        if r % 2 == 0
                        else {"status": "absent", "absence_reason": "illness"}
                    )
                    path = f"/api/v1/placements/{p['id']}/attendance/{d.isoformat()}"
                    jobs.append(("PUT", path, json.dumps(body).encode()))
        pairs = {(path) for _m, path, _b in jobs}
        reads = [("GET", "/api/v1/agreements", None)] * (len(jobs))
        if args.wrk:
            baseline = _wrk(port, keys, reads, args.clients, args.wrk, data)
            writes = _wrk(port, keys, jobs, args.clients, args.wrk, data)
        else:
            baseline = _summary(*_run(port, keys, reads))
            writes = _summary(*_run(port, keys, jobs))
    finally:
        server.terminate()
        server.wait(timeout=30)
    count_script = (
        "from django.db.models import Count;"
        "from platsa.placements.models import Attendance;"
        "ids=[" + ",".join(str(p["id"]) for p in placements) + "];"
        "rows=Attendance.objects.filter(placement_id__in=ids, date__in=["
        + ",".join(f"'{d.isoformat()}'" for d in days)
        + "]);"
        "print(rows.count(), rows.values('placement_id','date').annotate(n=Count('id'))"
        ".filter(n__gt=1).count())"
    )
    last = _platsa(env, "shell", "-c", count_script).strip().splitlines()[-1]
    rows, duplicated = (int(x) for x in last.split())
    database = (
        "postgresql" if env.get("PLATSA_DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    print(
        json.dumps(
            {
                "benchmark": "API attendance under load (PUT the same days from every client)",
                "database": database,
                "clients": args.clients,
                "server": (
                    f"gunicorn, {args.gunicorn} workers × {args.threads} threads"
                    if args.gunicorn
                    else "platsa demo (waitress, 8 threads)"
                ),
                "placement_days": len(pairs),
                "attendance_rows_found": rows,
                "placement_days_with_more_than_one_row": duplicated,
                "writes": writes,
                "baseline_reads": baseline,
                "writes_per_s_over_reads_per_s": round(
                    float(writes["requests_per_s"]) / float(baseline["requests_per_s"]),
                    2,  # type: ignore[arg-type]
                ),
                "machine": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
