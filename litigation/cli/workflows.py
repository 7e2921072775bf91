"""Commands that need no app and no database: check, routes, graph, due."""

from __future__ import annotations

import datetime as dt
import sys

import click

from .. import config
from ..workflows.calendar import Calendars, compute_due
from ..workflows.loaded import Registry
from ..workflows.loader import check_file
from ..workflows.machine import mermaid
from ..workflows.problems import WorkflowError
from ..workflows.spec import Period

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _registry(path: str | None) -> Registry:
    try:
        return Registry.load(path or config.workflows_path())
    except WorkflowError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


workflows_option = click.option(
    "--workflows",
    "workflows_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The workflows file (default: $LITIGATION_WORKFLOWS or ./workflows.yaml).",
)


@click.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def check_command(path: str | None) -> None:
    """Check a workflows file; print every problem as file:line: message."""
    target = path or str(config.workflows_path())
    problems = check_file(target)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {target}", err=True)
        sys.exit(1)
    registry = _registry(target)
    routes = registry.workflows.routes.values()
    click.echo(
        f"{target}: OK, {len(routes)} routes, "
        f"{sum(len(r.stages) for r in routes)} stages, "
        f"{sum(len(s.deadlines) for r in routes for s in r.stages)} deadline rules"
    )


@click.command("routes")
@workflows_option
def routes_command(workflows_file: str | None) -> None:
    """List the routes with their jurisdictions and stage counts."""
    for route in _registry(workflows_file).workflows.routes.values():
        rules = [rule for stage in route.stages for rule in stage.deadlines]
        unverified = sum(not rule.verified for rule in rules)
        click.echo(
            f"{route.id:24} {','.join(route.jurisdictions):8} {len(route.stages):3} stages "
            f"{len(rules):3} deadline rules ({unverified} unverified)  {route.title.en}"
        )


@click.command("graph")
@click.argument("route_id")
@click.option("--lang", type=click.Choice(["ru", "en"]), default="en")
@workflows_option
def graph_command(route_id: str, lang: str, workflows_file: str | None) -> None:
    """Print the route's state machine as Mermaid text."""
    registry = _registry(workflows_file)
    if route_id not in registry.workflows.routes:
        _fail(f"no route {route_id!r}; see `litigation routes`")
    click.echo(mermaid(registry.route(route_id), lang=lang), nl=False)


@click.command("due")
@click.argument("date")
@click.argument("period")
@click.option("--calendar", "calendar_id", default="KZ", help="KZ, TJ or none.")
@click.option("--no-roll", is_flag=True, help="Do not move a last day off a non-working day.")
@workflows_option
def due_command(
    date: str, period: str, calendar_id: str, no_roll: bool, workflows_file: str | None
) -> None:
    """Compute a due date: PERIOD (15d, 10wd, 6m, 5y) counted from the event on DATE."""
    try:
        anchor = dt.date.fromisoformat(date)
    except ValueError:
        _fail(f"{date!r} is not a date; write it as YYYY-MM-DD")
    try:
        length = Period.parse(period)
    except ValueError as error:
        _fail(str(error))
    registry = _registry(workflows_file)
    calendars: Calendars = registry.calendars
    if calendar_id not in calendars:
        _fail(f"unknown calendar {calendar_id!r}; known: {', '.join(registry.workflows.calendars)}")
    result = compute_due(anchor, length, calendars[calendar_id], roll_forward=not no_roll)
    click.echo(result.due.isoformat())
    for step in result.steps:
        click.echo(f"  {step.text}")


COMMANDS = (check_command, routes_command, graph_command, due_command)
