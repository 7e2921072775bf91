"""`litigation init-db`: create or upgrade the schema."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..db import db, init_db


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    init_db()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


COMMANDS = (init_db_command,)
