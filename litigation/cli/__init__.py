"""The `litigation` command: Flask's CLI group, one module of commands per area.

The workflows commands need no app; the others run inside one and commit once at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup

from ..config import ConfigError
from ..workflows.problems import WorkflowError
from . import (
    audit,
    backups,
    database,
    deadlines,
    demo,
    documents,
    feeds,
    notify,
    users,
    workflows,
)


def _create_app() -> Flask:
    from .. import create_app

    try:
        return create_app(allow_stranded=True)
    except WorkflowError as error:
        click.echo("workflows.yaml has problems; fix them and start again:", err=True)
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except ConfigError as error:
        click.echo(f"configuration: {error}", err=True)
        sys.exit(1)


def init_app(app: Flask) -> None:
    """Add the commands that need the app to its CLI (the `litigation` group and `flask`)."""
    for module in (database, users, demo, feeds, deadlines, backups, audit, documents, notify):
        for command in module.COMMANDS:
            app.cli.add_command(command)


def build_cli() -> FlaskGroup:
    """The `litigation` command group with every command registered."""
    cli = FlaskGroup(create_app=_create_app, help="Litigation workflow engine.")
    # These need no app and no database; the app adds its own (init-db, demo, ...).
    for command in workflows.COMMANDS:
        cli.add_command(command)
    # Here too, so that `litigation documents new-key` runs before a key is configured (a
    # production app without one refuses to load); its other commands load the app.
    for command in documents.COMMANDS:
        cli.add_command(command)
    return cli


def main() -> None:
    """Entry point of the `litigation` console script."""
    build_cli().main(prog_name=Path(sys.argv[0]).name or "litigation")


__all__ = ["build_cli", "main"]
