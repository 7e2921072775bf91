"""`backup`: a consistent copy of the live database, taken while the app goes on running.

SQLite: the online backup API copies every page as of one moment (readers and writers go
on; WAL keeps the copy's snapshot). PostgreSQL: pg_dump in its custom format, restored with
pg_restore; the rows are counted in the very snapshot pg_dump reads.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from ..audit import record
from ..db import db
from ..models import AuditKind
from .files import BackupError, private_file, refuse_existing
from .tables import row_counts, tables

# pg_dump waits this long for a table lock (a migration running) before failing clearly.
LOCK_WAIT_MS = 60_000


@dataclass(frozen=True)
class Backup:
    """What was written: the file, its format and the number of rows it holds."""

    path: Path
    format: str
    rows: int


def backup(path: Path, *, force: bool = False) -> Backup:
    """Copy the app's database to `path` (0600) and record it in the audit trail."""
    refuse_existing(path, force)  # before running pg_dump, not after
    if db.engine.dialect.name == "postgresql":
        done = _postgresql_backup(path, force)
    elif db.engine.dialect.name == "sqlite":
        done = _sqlite_backup(path, force)
    else:
        raise BackupError(f"no backup for a {db.engine.dialect.name} database")
    record(AuditKind.BACKUP, actor=None, details={"path": str(path), "rows": done.rows})
    return done


def _sqlite_backup(path: Path, force: bool) -> Backup:
    database = db.engine.url.database
    if database and path.resolve() == Path(database).resolve():
        raise BackupError(f"{path} is the database itself; write the backup somewhere else")
    with private_file(path, force) as temporary, db.engine.connect() as connection:
        source = connection.connection.driver_connection
        target = sqlite3.connect(temporary)
        try:
            source.backup(target)  # all pages in one step: one consistent moment
            # A copy in WAL mode would need its -wal file; make it one self-contained file.
            target.execute("PRAGMA journal_mode=DELETE")
            rows = _check_sqlite_copy(target)
        finally:
            target.close()
    return Backup(path, "sqlite", rows)


def _check_sqlite_copy(copy: sqlite3.Connection) -> int:
    """Refuse a copy that is damaged; count its rows."""
    [verdict] = copy.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        raise BackupError(f"the copy failed SQLite's integrity check: {verdict}")
    return sum(
        copy.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0] for table in tables()
    )


def _postgresql_backup(path: Path, force: bool) -> Backup:
    pg_dump = _pg_dump()
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        _check_versions(pg_dump, connection)
        # pg_dump reads the snapshot this transaction exports, so the rows counted here are
        # exactly the rows in the file.
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        rows = sum(row_counts(connection).values())
        with private_file(path, force) as temporary:
            _run_pg_dump(pg_dump, temporary, snapshot, db.engine.url)
        connection.rollback()
    return Backup(path, "pg_dump custom", rows)


def _pg_dump() -> str:
    found = shutil.which("pg_dump")
    if found is None:
        raise BackupError(
            "pg_dump is not installed or not on PATH: install the PostgreSQL client of the "
            "server's version (Debian: apt install postgresql-client-15)"
        )
    return found


def client_major(version_output: str) -> int:
    """The major version in `pg_dump --version` output, e.g. 15 in 'pg_dump (PostgreSQL) 15.2'."""
    match = re.search(r"\(PostgreSQL\) (\d+)", version_output)
    if match is None:
        raise BackupError(f"cannot read the version of pg_dump from {version_output.strip()!r}")
    return int(match.group(1))


def _check_versions(pg_dump: str, connection: Connection) -> None:
    # pg_dump refuses servers newer than itself; say which package fixes it.
    output = subprocess.run(
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout
    client = client_major(output)
    server = connection.dialect.server_version_info[0]
    if client < server:
        raise BackupError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server: install "
            f"postgresql-client-{server} (or newer) and run the backup again"
        )


def _run_pg_dump(pg_dump: str, target: Path, snapshot: str, url: URL) -> None:
    command = [
        pg_dump,
        "--format=custom",
        f"--file={target}",
        f"--snapshot={snapshot}",
        f"--lock-wait-timeout={LOCK_WAIT_MS}",
        "--no-password",  # never wait for a prompt (a nightly job has no one to answer)
        f"--dbname={libpq_uri(url)}",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, env=pg_environment(url)
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed (exit {result.returncode}): {result.stderr.strip()}")


def libpq_uri(url: URL) -> str:
    """The database URL as libpq reads it, without the password (the command line is public)."""
    # Built afresh: URL.set(password=None) would keep the password (None means "unchanged").
    bare = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return bare.render_as_string(hide_password=False)


def pg_environment(url: URL) -> dict[str, str]:
    """The environment for pg_dump: the password in PGPASSWORD, never in its arguments."""
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return environment
