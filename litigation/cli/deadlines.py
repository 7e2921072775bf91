"""`litigation recalc` and `litigation migrate-stage`: stored records follow workflows.yaml."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask.cli import with_appcontext

from ..cases import recalc
from ..db import db
from ..errors import InvalidInput
from ..registry import current_registry


def _line(change: recalc.PendingChange) -> str:
    deadline = change.deadline
    case = deadline.proceeding.case
    after = change.after.isoformat() if change.after else "cancelled"
    kept = f" (overridden by hand: kept at {deadline.due_date})" if change.overridden else ""
    return (
        f"{case.reference} · {deadline.proceeding.route} · {deadline.rule} ({deadline.stage}): "
        f"{change.before} -> {after}{kept} — {'; '.join(change.why)}"
    )


@click.command("recalc")
@click.option("--apply", "write", is_flag=True, help="Write the changes into each history.")
@click.option("--reason", default="", help="Why (required with --apply); kept in the history.")
@with_appcontext
def recalc_command(write: bool, reason: str) -> None:
    """List the open deadlines workflows.yaml would now compute differently; --apply them."""
    registry = current_registry()
    changes = recalc.pending(registry)
    for change in changes:
        click.echo(_line(change))
    if not changes:
        click.echo("Every open deadline matches workflows.yaml.")
    if not write:
        if changes:
            click.echo(f"{len(changes)} deadline(s) would change; run with --apply --reason TEXT")
        return
    try:
        written = recalc.apply(registry, changes, actor=None, reason=reason, today=dt.date.today())
    except InvalidInput as error:
        click.echo(f"error: {next(iter(error.errors.values()))}", err=True)
        sys.exit(2)
    db.session.commit()
    kept = sum(change.overridden for change in changes)
    click.echo(f"Recalculated {written} deadline(s); {kept} overridden by hand left as they are.")


@click.command("migrate-stage")
@click.argument("route_id")
@click.argument("old")
@click.argument("new")
@click.option("--reason", required=True, help="Why; kept in each history.")
@with_appcontext
def migrate_stage_command(route_id: str, old: str, new: str, reason: str) -> None:
    """Move the proceedings of ROUTE_ID in stage OLD (gone from workflows.yaml) to NEW."""
    try:
        moved = recalc.migrate_stage(
            current_registry(), route_id, old, new, actor=None, reason=reason, today=dt.date.today()
        )
    except InvalidInput as error:
        click.echo(f"error: {next(iter(error.errors.values()))}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Moved {len(moved)} proceeding(s) of {route_id} from {old} to {new}.")


COMMANDS = (recalc_command, migrate_stage_command)
