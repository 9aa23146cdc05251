"""Encrypted backup and restore of the whole database, consistent while the app runs.

SQLite is copied with its online backup API (a consistent snapshot while others write);
PostgreSQL with ``pg_dump`` (one snapshot) and restored with ``pg_restore`` in a single
transaction, so a failed restore leaves the database as it was.

The file is encrypted with AES-256-GCM under a key from ``PLATSA_BACKUP_KEY`` (or
``PLATSA_BACKUP_KEY_FILE``), in chunks of 1 MiB: each chunk is authenticated together with the
file's header, its position and whether it is the last, so a chunk changed, swapped, dropped or
cut off is refused. Nothing unencrypted is left on disk beyond a private temporary file that is
removed when the work is done.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connections
from django.utils.translation import gettext as _

import platsa
from platsa.envconfig import env_str

KEY_VARIABLE = "PLATSA_BACKUP_KEY"
MAGIC = b"PLATSA-BACKUP\x00v1\n"
CHUNK = 1 << 20
_LENGTH = struct.Struct(">I")


class BackupError(Exception):
    """Something the operator can act on, said in Swedish with what to do."""


def new_key() -> str:
    """A fresh key, to keep as ``PLATSA_BACKUP_KEY`` (and away from the backups)."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()


def load_key() -> bytes:
    raw = env_str(KEY_VARIABLE)
    if not raw:
        raise BackupError(
            _(
                "%(var)s is not set: backups are always encrypted. Create a key with "
                "`platsa backup --new-key`, keep it apart from the backups, and set it."
            )
            % {"var": KEY_VARIABLE}
        )
    try:
        key = base64.urlsafe_b64decode(raw.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupError(
            _("%(var)s is not a key made by `platsa backup --new-key` (32 bytes, base64).")
            % {"var": KEY_VARIABLE}
        )
    return key


def _aad(header_hash: bytes, index: int, final: bool) -> bytes:
    return header_hash + struct.pack(">Q?", index, final)


def encrypt_stream(source: IO[bytes], target: IO[bytes], key: bytes, header: dict[str, Any]) -> int:
    """Write ``source`` encrypted to ``target``; returns the plaintext's length."""
    head = json.dumps(header, sort_keys=True).encode()
    target.write(MAGIC + _LENGTH.pack(len(head)) + head)
    header_hash = hashlib.sha256(MAGIC + head).digest()
    aead = AESGCM(key)
    index, total = 0, 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        final = not following
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, chunk, _aad(header_hash, index, final))
        target.write(_LENGTH.pack(len(sealed)) + nonce + sealed)
        total += len(chunk)
        if final:
            return total
        chunk, index = following, index + 1


def read_header(source: IO[bytes], name: str) -> tuple[dict[str, Any], bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError(_("%(file)s is not a platsa backup.") % {"file": name})
    (length,) = _LENGTH.unpack(source.read(_LENGTH.size) or b"\0\0\0\0")
    head = source.read(length)
    try:
        header = json.loads(head)
    except ValueError:
        raise BackupError(
            _("%(file)s is damaged: its header cannot be read.") % {"file": name}
        ) from None
    return header, hashlib.sha256(MAGIC + head).digest()


def decrypt_stream(source: IO[bytes], target: IO[bytes], key: bytes, name: str) -> dict[str, Any]:
    header, header_hash = read_header(source, name)
    aead = AESGCM(key)
    index = 0
    while True:
        prefix = source.read(_LENGTH.size)
        if len(prefix) < _LENGTH.size:
            raise BackupError(_("%(file)s is cut off: its last part is missing.") % {"file": name})
        (length,) = _LENGTH.unpack(prefix)
        nonce, sealed = source.read(12), source.read(length)
        if len(sealed) < length:
            raise BackupError(_("%(file)s is cut off: its last part is missing.") % {"file": name})
        for final in (False, True):
            try:
                chunk = aead.decrypt(nonce, sealed, _aad(header_hash, index, final))
            except InvalidTag:
                continue
            break
        else:
            raise BackupError(
                _(
                    "The key does not open %(file)s, or the file has been changed: check "
                    "%(var)s (it must be the key the backup was made with)."
                )
                % {"file": name, "var": KEY_VARIABLE}
            )
        target.write(chunk)
        if final:
            if source.read(1):
                raise BackupError(
                    _("%(file)s has data after its end: it has been changed.") % {"file": name}
                )
            return header
        index += 1


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    vendor: str
    created: str
    plain_bytes: int


@contextmanager
def _private_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="platsa-backup-"))
    os.chmod(path, 0o700)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _pg_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _("%(tool)s is not installed: install the PostgreSQL client (postgresql-client).")
            % {"tool": name}
        )
    return found


def backup(path: Path, *, using: str = "default") -> BackupInfo:
    """Write an encrypted, consistent copy of the database to ``path`` (replaced atomically)."""
    key = load_key()
    connection = connections[using]
    header = {
        "format": 1,
        "vendor": connection.vendor,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "platsa": platsa.__version__,
    }
    path = path.expanduser()
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(dir)s does not exist.") % {"dir": path.parent})
    partial = path.with_name(path.name + ".part")
    with _private_dir() as scratch:
        try:
            if connection.vendor == "sqlite":
                copy = scratch / "db.sqlite3"
                connection.ensure_connection()
                target = sqlite3.connect(copy)
                try:
                    connection.connection.backup(target)
                finally:
                    target.close()
                with copy.open("rb") as source, partial.open("wb") as out:
                    size = encrypt_stream(source, out, key, header)
            elif connection.vendor == "postgresql":
                args, env = _pg_args(connection.settings_dict)
                dump = subprocess.Popen(
                    [
                        _pg_tool("pg_dump"),
                        "--format=custom",
                        *args,
                        connection.settings_dict["NAME"],
                    ],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=env,
                )
                assert dump.stdout is not None
                with partial.open("wb") as out:
                    size = encrypt_stream(dump.stdout, out, key, header)
                _stdout, stderr = dump.communicate()
                if dump.returncode != 0:
                    raise BackupError(
                        _("pg_dump failed: %(error)s")
                        % {"error": stderr.decode(errors="replace").strip()}
                    )
            else:
                raise BackupError(
                    _("No backup for the %(vendor)s database.") % {"vendor": connection.vendor}
                )
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupInfo(path, connection.vendor, header["created"], size)


def restore(path: Path, *, using: str = "default") -> dict[str, Any]:
    """Replace the database's whole content with the backup at ``path``; all or nothing."""
    key = load_key()
    connection = connections[using]
    path = path.expanduser()
    if not path.is_file():
        raise BackupError(_("%(file)s does not exist.") % {"file": path})
    with _private_dir() as scratch:
        plain = scratch / "plain"
        with path.open("rb") as source, plain.open("wb") as out:
            header = decrypt_stream(source, out, key, path.name)
        if header.get("vendor") != connection.vendor:
            raise BackupError(
                _(
                    "%(file)s is a backup of a %(theirs)s database; this installation uses "
                    "%(ours)s. Restore it into the same kind of database."
                )
                % {"file": path.name, "theirs": header.get("vendor"), "ours": connection.vendor}
            )
        if connection.vendor == "sqlite":
            source_db = sqlite3.connect(plain)
            try:
                if source_db.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                    raise BackupError(_("%(file)s holds a damaged database.") % {"file": path.name})
                connection.ensure_connection()
                source_db.backup(connection.connection)
            finally:
                source_db.close()
        else:
            args, env = _pg_args(connection.settings_dict)
            connection.close()  # no open transaction of ours holds a lock on what is replaced
            result = subprocess.run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-owner",
                    "--no-privileges",
                    *args,
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(plain),
                ],
                capture_output=True,
                env=env,
            )
            if result.returncode != 0:
                raise BackupError(
                    _("pg_restore failed, and nothing was changed: %(error)s")
                    % {"error": result.stderr.decode(errors="replace").strip()}
                )
    return header
