"""`litigation backup`, `export` and `import`: copies of the database that restore.

Each runs in the app and commits once at the end (the audit entry of a backup or export;
every row of an import, or nothing).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext

from ..backups import BackupError, backup, export, load, read_export
from ..db import db, utcnow

PATH = click.Path(dir_okay=False, path_type=Path)
FORCE = click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
PG_RESTORE = (
    "  createdb NEW_DATABASE\n"
    "  pg_restore --no-owner --exit-on-error --single-transaction --dbname=NEW_DATABASE {path}"
)


def _fail(error: BackupError) -> NoReturn:
    db.session.rollback()
    click.echo(f"error: {error}", err=True)
    sys.exit(1)


@click.command("backup")
@click.argument("path", type=PATH)
@FORCE
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH while the app runs."""
    try:
        done = backup(path, force=force)
    except BackupError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Backup written to {path} ({done.format}, {done.rows} rows, mode 0600).")
    if done.format == "sqlite":
        click.echo("To restore: stop the app, then copy the file over the database file.")
    else:
        click.echo("To restore into a new, empty database:\n" + PG_RESTORE.format(path=path))


@click.command("export")
@click.argument("path", type=PATH)
@FORCE
@with_appcontext
def export_command(path: Path, force: bool) -> None:
    """Write every record of every table to PATH as one JSON document."""
    try:
        done = export(path, exported_at=utcnow(), force=force)
    except BackupError as error:
        _fail(error)
    db.session.commit()
    click.echo(
        f"Exported {done.total} rows of {len(done.rows)} tables (schema {done.revision}) to {path}."
    )
    click.echo(
        "It holds survivor data: the file is readable by its owner only (mode 0600). "
        "Keep it encrypted and delete it when it is no longer needed."
    )


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(path: Path) -> None:
    """Load an export into this empty database (made with `litigation init-db`)."""
    try:
        done = load(db.session.connection(), read_export(path))
    except BackupError as error:
        _fail(error)
    db.session.commit()
    click.echo(
        f"Imported {done.total} rows into {len(done.rows)} tables (schema {done.revision}) "
        f"from {path}."
    )


COMMANDS = (backup_command, export_command, import_command)
