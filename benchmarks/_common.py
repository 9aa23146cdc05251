"""What the benchmark scripts share (run as ``python benchmarks/NAME.py``: this folder is on the
path)."""

from __future__ import annotations


def fresh_database(base_url: str, name: str) -> str:
    """A new, empty PostgreSQL database beside the one ``base_url`` names; its URL."""
    import psycopg

    admin = base_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return base_url.rsplit("/", 1)[0] + "/" + name


def machine() -> dict[str, object]:
    """What a result is reported with: the processor, the cores and the Python."""
    import os
    import platform

    return {
        "processor": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }
