"""``platsa backup`` and ``platsa restore``: the demo database round-trips, every table's content
identical, on whichever database the suite runs (SQLite, and PostgreSQL in CI); the file is
encrypted and refuses a wrong key, a changed byte and a cut-off end."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from platsa.placements import db_guards
from platsa.placements.models import ParticipantAccess
from platsa.site.backup import (
    BackupError,
    decrypt_stream,
    encrypt_stream,
    new_key,
)
from platsa.site.demo import demo_load
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    value = new_key()
    monkeypatch.setenv("PLATSA_BACKUP_KEY", value)
    return value


def _snapshot() -> dict[str, list[str]]:
    """Every table's rows, in a stable order."""
    tables = sorted(connection.introspection.table_names())
    content = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            content[table] = sorted(repr(row) for row in cursor.fetchall())
    return content


def _load_with_log() -> None:
    from platsa.accounts.models import User

    report, _accounts, _living = demo_load(living_until=dt.date(2026, 11, 27))
    coach = User.objects.get(username="coach")
    placement = report.municipality.participants.first().placements.first()
    client_for(coach).get(reverse("placement_detail", args=[placement.pk]))
    assert ParticipantAccess.objects.exists()


def _wipe() -> None:
    db_guards.uninstall()
    call_command("flush", interactive=False, verbosity=0)


def test_backup_wipe_restore_gives_identical_tables(key: str, tmp_path: Path) -> None:
    _load_with_log()
    before = _snapshot()
    assert sum(len(rows) for rows in before.values()) > 10_000
    target = tmp_path / "platsa.bak"
    out = io.StringIO()
    call_command("backup", str(target), stdout=out)
    assert "Säkerhetskopian är skriven" in out.getvalue()
    raw = target.read_bytes()
    assert b"OST-01" not in raw and "Östersund".encode() not in raw  # encrypted
    _wipe()
    assert _snapshot() != before
    call_command("restore", str(target), "--yes", stdout=io.StringIO())
    assert _snapshot() == before
    # The access log's guard came back with the data.
    row = ParticipantAccess.objects.first()
    assert row is not None
    with pytest.raises(Exception, match="append-only"):
        ParticipantAccess.objects.filter(pk=row.pk).update(changed=True)


def test_restore_needs_yes_and_the_right_key(key: str, tmp_path: Path, monkeypatch) -> None:
    _load_with_log()
    target = tmp_path / "platsa.bak"
    call_command("backup", str(target), stdout=io.StringIO())
    before = _snapshot()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(target))
    monkeypatch.setenv("PLATSA_BACKUP_KEY", new_key())
    with pytest.raises(CommandError, match="Nyckeln öppnar inte"):
        call_command("restore", str(target), "--yes")
    monkeypatch.delenv("PLATSA_BACKUP_KEY")
    with pytest.raises(CommandError, match="PLATSA_BACKUP_KEY"):
        call_command("backup", str(tmp_path / "other.bak"))
    assert not (tmp_path / "other.bak").exists()
    assert _snapshot() == before


def test_a_file_that_is_not_a_backup_is_named(key: str, tmp_path: Path) -> None:
    other = tmp_path / "anteckningar.txt"
    other.write_text("inte en säkerhetskopia")
    with pytest.raises(CommandError, match="anteckningar.txt är inte en säkerhetskopia"):
        call_command("restore", str(other), "--yes")
    with pytest.raises(CommandError, match="finns inte"):
        call_command("restore", str(tmp_path / "saknas.bak"), "--yes")


@pytest.mark.django_db(transaction=False)
def test_the_encryption_refuses_changes_swaps_and_cut_offs() -> None:
    key = bytes(range(32))
    plain = bytes(range(256)) * 10_000  # three chunks
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(plain), sealed, key, {"vendor": "sqlite"})
    data = sealed.getvalue()
    out = io.BytesIO()
    assert decrypt_stream(io.BytesIO(data), out, key, "f") == {"vendor": "sqlite"}
    assert out.getvalue() == plain
    changed = bytearray(data)
    changed[len(data) // 2] ^= 1
    for damaged, message in [
        (bytes(changed), "ändrats"),
        (data[: len(data) - 100], "avklippt"),
        (data[: len(data) // 2], "ändrats|avklippt"),
        (data + b"x", "efter sitt slut"),
        (data.replace(b'"sqlite"', b'"sqlitX"'), "ändrats"),
    ]:
        with pytest.raises(BackupError, match=message):
            decrypt_stream(io.BytesIO(damaged), io.BytesIO(), key, "f")


def test_new_key_prints_a_usable_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("backup", "--new-key", stdout=out, stderr=io.StringIO())
    monkeypatch.setenv("PLATSA_BACKUP_KEY", out.getvalue().strip())
    call_command("backup", str(tmp_path / "tom.bak"), stdout=io.StringIO())
    assert (tmp_path / "tom.bak").stat().st_size > 0
