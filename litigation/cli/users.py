"""`litigation create-user`: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from ..accounts import create_user
from ..db import db
from ..errors import InvalidInput
from ..models import Role


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


COMMANDS = (create_user_command,)
