"""Backups of the whole database, and restoring one into an empty database.

SQLite is copied with SQLite's own online backup, page by page, so a backup can be taken while
the server runs. PostgreSQL is dumped with `pg_dump` in its custom format and restored with
`pg_restore` in one transaction, so a restore either completes or leaves the database as it was.

A backup holds personal data: it is written with owner-only permissions and should be kept as
carefully as the database (docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRES_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, in words for whoever runs it."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    size: int
    sha256: str


def engine() -> str:
    """'sqlite' or 'postgresql': the kind of database this system runs on."""
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups are made for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def default_path(directory: Path, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if engine() == "sqlite" else ".dump"
    return directory / f"csc-workforce-{stamp}{suffix}"


def describe(path: Path) -> BackupFile:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return BackupFile(path=path, size=path.stat().st_size, sha256=digest.hexdigest())


def backup(path: Path) -> BackupFile:
    """Write a backup of the database to `path` (which must not exist yet)."""
    kind = engine()
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    # Owner-only from the first byte: the file holds personal data.
    path.touch(mode=0o600)
    try:
        if kind == "sqlite":
            _sqlite_backup(path)
        else:
            _pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", path])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return describe(path)


def restore(path: Path, *, replace: bool = False) -> BackupFile:
    """Put the backup at `path` in place of the database's contents.

    Refused when the file is not a backup of this kind of database, and, unless `replace` is
    given, when the database already holds records, so nothing is overwritten by accident.
    """
    kind = engine()
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    found = (
        "sqlite"
        if head.startswith(SQLITE_MAGIC)
        else "postgresql"
        if head.startswith(POSTGRES_MAGIC)
        else None
    )
    if found is None:
        raise BackupError(f"{path.name} is not a backup made by `manage.py backup`.")
    if found != kind:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{path.name} is a {names[found]} backup but this system runs on {names[kind]}."
        )
    if not replace and holds_records():
        raise BackupError(
            "The database already holds records. Restore into an empty database, or add "
            "--replace to overwrite everything in it."
        )
    if kind == "sqlite":
        _sqlite_restore(path)
    else:
        dbname = _pg_dbname()
        _pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                dbname,
                path,
            ],
            with_dbname=False,
        )
        connection.close()
    return describe(path)


def holds_records() -> bool:
    """Whether the database holds anything beyond its tables and reference lists: a user, an
    audit entry or an authority's own records."""
    from auditlog.models import LogEntry

    from workforce.core.models import User

    tables = set(connection.introspection.table_names())
    if User._meta.db_table not in tables:
        return False
    return User.objects.exists() or LogEntry.objects.exists()


def _sqlite_backup(path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{path.name} is damaged: SQLite reports {check!r}.")
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path.name} could not be read as a SQLite database: {e}.") from e
    finally:
        source.close()


def _pg_dbname() -> str:
    return _pg_target()["dbname"]


def _pg_target() -> dict[str, str]:
    """Where the live connection goes, as psycopg resolved it (host, socket folder, port, user,
    database), so the client programs reach the same database however it was configured."""
    connection.ensure_connection()
    info = connection.connection.info
    return {"host": info.host, "port": str(info.port), "user": info.user, "dbname": info.dbname}


def _pg(args: list[str | Path], *, with_dbname: bool = True) -> None:
    """Run a PostgreSQL client program against this database, its password through the
    environment rather than the command line."""
    target = _pg_target()
    env = dict(os.environ)
    env.update(PGHOST=target["host"], PGPORT=target["port"], PGUSER=target["user"])
    password = connection.settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    command = [str(a) for a in args]
    if with_dbname:
        command += ["--dbname", _pg_dbname()]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as e:
        raise BackupError(
            f"{command[0]} was not found: install PostgreSQL's client programs "
            "(Debian: postgresql-client)."
        ) from e
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise BackupError(f"{command[0]} failed: {message[-1] if message else done.returncode}")


def backup_directory() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "backups"))
