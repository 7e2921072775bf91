"""`litigation backup`: a copy taken while the app runs, that restores with every row.

On SQLite the copy is a database file; on PostgreSQL a pg_dump archive restored here with
pg_restore, as the command's own instructions say.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from litigation.backups import client_major, libpq_uri, pg_environment
from litigation.db import db
from litigation.models import AuditEntry, AuditKind, User

from ..conftest import MINIMAL_WORKFLOWS, TODAY
from .conftest import current_url, every_row, fresh_postgresql_database, restore_url


def _on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def demo(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output


@pytest.fixture
def needs_pg_dump() -> None:
    if _on_postgresql() and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed: install postgresql-client of the server's version")


@pytest.fixture
def postgresql_only() -> None:
    if not _on_postgresql():
        pytest.skip("pg_dump backs up PostgreSQL only: set TEST_DATABASE_URL to run this")


def _backup(app: Flask, path: Path, *args: str):
    return app.test_cli_runner().invoke(args=["backup", str(path), *args])


def _restored(path: Path) -> URL:
    """The backup at `path` opened as a database: the file itself, or pg_restore into one."""
    if not _on_postgresql():
        return make_url(f"sqlite:///{path}")
    target = restore_url(current_url())
    fresh_postgresql_database(target)
    restore = [
        "pg_restore",
        "--no-owner",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={libpq_uri(target)}",
        str(path),
    ]
    result = subprocess.run(restore, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return target


def test_a_backup_restores_with_every_row(app, demo, needs_pg_dump, tmp_path):
    rows = every_row(current_url())
    path = tmp_path / "backup"

    result = _backup(app, path)

    assert result.exit_code == 0, result.output
    assert f"{sum(map(len, rows.values()))} rows" in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert every_row(_restored(path)) == rows


def test_a_sqlite_backup_is_one_self_contained_file(app, demo, tmp_path):
    if _on_postgresql():
        pytest.skip("a PostgreSQL backup is a pg_dump archive")
    path = tmp_path / "backup.sqlite3"

    _backup(app, path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite3"]
    with path.open("rb") as file:
        header = file.read(20)
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL: needs no -wal file


def _open_write_transaction() -> Session:
    """Another connection in the middle of writing: a user flushed, not committed."""
    writer = Session(db.engine)
    writer.add(User(email="late@example.org", name="Late", role="lawyer", password_hash="x"))
    writer.flush()
    return writer


def test_a_backup_taken_during_another_write_has_the_committed_rows_only(
    app, demo, needs_pg_dump, tmp_path
):
    rows = every_row(current_url())
    path = tmp_path / "backup"
    writer = _open_write_transaction()
    if not _on_postgresql():
        # SQLite lets one connection write at a time: the copy is taken while the writer
        # holds its transaction, which ends when the command writes its audit entry.
        event.listen(db.session, "before_flush", lambda *_: writer.commit(), once=True)

    result = _backup(app, path)
    writer.commit()
    writer.close()

    assert result.exit_code == 0, result.output
    assert every_row(_restored(path)) == rows
    assert db.session.scalar(select(User).where(User.email == "late@example.org"))


def test_a_backup_never_replaces_a_file_unless_forced(app, needs_pg_dump, tmp_path):
    path = tmp_path / "backup"
    path.write_bytes(b"last week's backup")

    refused = _backup(app, path)

    assert refused.exit_code == 1
    assert "exists" in refused.output and "--force" in refused.output
    assert path.read_bytes() == b"last week's backup"
    forced = _backup(app, path, "--force")
    assert forced.exit_code == 0, forced.output
    assert path.read_bytes() != b"last week's backup"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_backup_is_in_the_audit_trail_with_its_path_and_rows(app, demo, needs_pg_dump, tmp_path):
    rows = sum(map(len, every_row(current_url()).values()))
    path = tmp_path / "backup"

    _backup(app, path)

    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == AuditKind.BACKUP))
    assert entry.details == {"path": str(path), "rows": rows}


def test_a_backup_over_the_sqlite_database_itself_is_refused(app, tmp_path):
    if _on_postgresql():
        pytest.skip("a PostgreSQL database is not a file")
    database = Path(current_url().database)

    result = _backup(app, database, "--force")

    assert result.exit_code == 1
    assert "is the database itself" in result.output


def test_the_postgresql_restore_instructions_name_pg_restore(
    app, postgresql_only, needs_pg_dump, tmp_path
):
    result = _backup(app, tmp_path / "backup")

    assert "pg_restore --no-owner --exit-on-error --single-transaction" in result.output


def _fake_pg_dump(folder: Path, version: str, *, fails: bool = False) -> None:
    """A pg_dump that reports `version` and, asked to dump, records what it was given."""
    folder.mkdir()
    script = folder / "pg_dump"
    dump = 'echo "pg_dump: error: connection to server failed" >&2; exit 1' if fails else "exit 0"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) {version}"; exit 0; fi\n'
        f'echo "$@" > "{folder}/arguments"; echo "$PGPASSWORD" > "{folder}/password"\n'
        f"{dump}\n"
    )
    script.chmod(0o755)


def test_a_missing_pg_dump_is_a_clear_error(app, postgresql_only, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "backup"

    result = _backup(app, path)

    assert result.exit_code == 1
    assert "pg_dump is not installed or not on PATH" in result.output
    assert not path.exists()
    assert db.session.scalar(select(AuditEntry)) is None


def test_a_pg_dump_older_than_the_server_is_refused(app, postgresql_only, monkeypatch, tmp_path):
    _fake_pg_dump(tmp_path / "bin", "9.6.24")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    server = db.engine.dialect.server_version_info[0]

    result = _backup(app, tmp_path / "backup")

    assert result.exit_code == 1
    assert f"pg_dump 9 cannot dump a PostgreSQL {server} server" in result.output
    assert f"postgresql-client-{server}" in result.output


def test_a_failing_pg_dump_leaves_no_file_and_says_why(
    app_for, database_url, postgresql_only, monkeypatch, tmp_path
):
    # A password in the URL (trust authentication ignores it): it must reach pg_dump through
    # PGPASSWORD, never through its arguments, which any user can read with ps.
    with_password = make_url(database_url).set(password="s3cret passphrase")
    other = app_for(
        MINIMAL_WORKFLOWS,
        {"SQLALCHEMY_DATABASE_URI": with_password.render_as_string(hide_password=False)},
    )
    _fake_pg_dump(tmp_path / "bin", "99.0", fails=True)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    path = tmp_path / "backup"

    with other.app_context():
        result = _backup(other, path)

    assert result.exit_code == 1
    assert "pg_dump failed (exit 1): pg_dump: error: connection to server failed" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]
    arguments = (tmp_path / "bin" / "arguments").read_text()
    assert "--format=custom" in arguments and "s3cret" not in arguments
    assert (tmp_path / "bin" / "password").read_text().strip() == "s3cret passphrase"


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", 15),
        ("pg_dump (PostgreSQL) 9.6.24\n", 9),
        ("pg_dump (PostgreSQL) 17beta1\n", 17),
    ],
)
def test_the_pg_dump_version_is_read_from_its_output(output, major):
    assert client_major(output) == major


def test_the_password_goes_to_the_environment_not_the_command_line():
    url = make_url("postgresql+psycopg://lit:p%40ss@db.example:6432/litigation?sslmode=require")

    assert libpq_uri(url) == "postgresql://lit@db.example:6432/litigation?sslmode=require"
    assert pg_environment(url)["PGPASSWORD"] == "p@ss"
