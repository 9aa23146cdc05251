"""The database's own guard on the access log: no row can be changed, and none deleted before
the municipality's retention for the log has run out, whoever sends the SQL.

Installed after every ``migrate`` (not in one migration: SQLite rebuilds a table to alter it and
drops its triggers with the old table, so a later migration would remove them silently). The
test suite changes and deletes rows through the ORM and raw SQL on SQLite and PostgreSQL.

On PostgreSQL ``TRUNCATE`` passes row triggers; the app never truncates, and a production
database should grant the app's role no ``TRUNCATE`` (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.db import connections

TABLE = "placements_participantaccess"
UPDATE_REFUSED = "platsa: the access log is append-only"
DELETE_REFUSED = "platsa: access log rows are kept for the retention period"

SQLITE_TRIGGERS = ("platsa_access_no_update", "platsa_access_no_early_delete")
POSTGRES_TRIGGER = "platsa_access_append_only"

_SQLITE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"""CREATE TRIGGER {SQLITE_TRIGGERS[0]} BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{UPDATE_REFUSED}'); END""",
    f"""CREATE TRIGGER {SQLITE_TRIGGERS[1]} BEFORE DELETE ON {TABLE}
        WHEN OLD."at" > datetime('now', '-' || (
            SELECT access_log_retention_years FROM accounts_municipality
            WHERE id = OLD.municipality_id) || ' years')
        BEGIN SELECT RAISE(ABORT, '{DELETE_REFUSED}'); END""",
]

_POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION platsa_access_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                RAISE EXCEPTION '{UPDATE_REFUSED}';
            END IF;
            IF OLD."at" > now() - make_interval(years => (
                SELECT access_log_retention_years FROM accounts_municipality
                WHERE id = OLD.municipality_id)) THEN
                RAISE EXCEPTION '{DELETE_REFUSED}';
            END IF;
            RETURN OLD;
        END $$""",
    f"DROP TRIGGER IF EXISTS {POSTGRES_TRIGGER} ON {TABLE}",
    f"""CREATE TRIGGER {POSTGRES_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION platsa_access_append_only()""",
]


def install(using: str = "default", **_kwargs: Any) -> None:
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(connection.vendor)
    if statements is None:
        raise RuntimeError(f"No access-log guard for the {connection.vendor} database")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(using: str = "default") -> None:
    """Remove the guard: only for the test suite's flush between transactional tests."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {POSTGRES_TRIGGER} ON {TABLE}")
