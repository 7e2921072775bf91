"""Commands that need the app and its database: init-db, create-user, demo."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import inspect

from .db import db
from .errors import InvalidInput
from .models import Role, User
from .users import create_user


def init_db() -> None:
    """Bring the schema to the newest migration (creates it on an empty database)."""
    upgrade()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    init_db()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option("--language", type=click.Choice(["ru", "en"]), default="ru")
@click.password_option(prompt=True, help="Prompted (twice) when not given.")
@with_appcontext
def create_user_command(
    email: str, role: str, name: str | None, language: str, password: str
) -> None:
    """Create a user with a role: admin, coordinator, lawyer or staff."""
    try:
        user = create_user(email, password, Role(role), name=name, language=language)
    except InvalidInput as error:
        for message in error.errors.values():
            click.echo(f"error: {message}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has cases.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend today is this date (default: the real date).",
)
@with_appcontext
def demo_command(if_empty: bool, today: dt.datetime | None) -> None:
    """Fill the database with realistic demo cases over every route and print demo logins."""
    from .demo import credentials_file, load_demo

    if not inspect(db.engine).has_table("cases"):
        init_db()
    if if_empty and db.session.scalar(db.select(db.func.count()).select_from(User)):
        click.echo("Demo data already present; skipping.")
        return
    day = today.date() if today else dt.date.today()
    summary = load_demo(day)
    db.session.commit()
    click.echo(summary)
    click.echo(f"Demo logins saved in {credentials_file()}")


def init_app(app: Flask) -> None:
    """Add these commands to the app's CLI (the `litigation` group and `flask` alike)."""
    for command in (init_db_command, create_user_command, demo_command):
        app.cli.add_command(command)
    from . import feed_commands

    feed_commands.init_app(app)
