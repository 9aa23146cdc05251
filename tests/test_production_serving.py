"""docs/production.md's app server: gunicorn with several worker processes serves platsa (the
login page, a static file, and a refusal for an unknown host), with production settings."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    return response.status, response.read()


def test_gunicorn_serves_the_app_with_several_workers(tmp_path: Path) -> None:
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
    if not Path(gunicorn).exists():
        pytest.fail("gunicorn is missing: pip install -e '.[test]' installs it")
    env = {
        **os.environ,
        "PLATSA_DATA_DIR": str(tmp_path),
        "PLATSA_SECRET_KEY": "x" * 60,
        "PLATSA_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("PLATSA_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "platsa", "migrate", "--verbosity", "0"], env=env, check=True
    )
    port = _free_port()
    server = subprocess.Popen(
        [gunicorn, "platsa.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = _get(port, "/logga-in/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        assert status == 200 and b"Logga in" in body
        assert _get(port, "/static/platsa/platsa.css")[0] == 200
        assert _get(port, "/logga-in/", host="evil.example")[0] == 400
    finally:
        server.terminate()
        server.wait(timeout=20)
