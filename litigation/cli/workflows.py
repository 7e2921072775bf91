"""Commands that need no app and no database: check, routes, graph, due, calendars."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from .. import config
from ..workflows.calendar import Calendars, WorkingCalendar, compute_due, describe_day
from ..workflows.certainty import YearReport, year_report
from ..workflows.holiday_rules import lunar_names
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
    if Path(target).resolve() == Path(config.workflows_path()).resolve():
        stranded = _stranded_in_database(registry)
        for problem in stranded:
            click.echo(str(problem))
        if stranded:
            click.echo(f"{len(stranded)} open proceeding(s) would be stranded", err=True)
            sys.exit(1)
    routes = registry.workflows.routes.values()
    click.echo(
        f"{target}: OK, {len(routes)} routes, "
        f"{sum(len(r.stages) for r in routes)} stages, "
        f"{sum(len(s.deadlines) for r in routes for s in r.stages)} deadline rules"
    )


def _stranded_in_database(registry: Registry) -> list:
    """Open proceedings of the configured database that the file would strand."""
    from .. import check_stored_records, create_app

    app = create_app(allow_stranded=True)
    with app.app_context():
        found = check_stored_records(app, registry)
    return found[0] if found else []


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


FIRST_LISTED_YEAR = 2015  # the project's oldest cases fall under the 2014 KZ CPC (from 2015)
YEARS_AHEAD = 2


@click.command("calendars")
@click.option("--today", "today_text", default=None, help="YYYY-MM-DD (default: today).")
@workflows_option
def calendars_command(today_text: str | None, workflows_file: str | None) -> None:
    """Per calendar and year from 2015 to two years ahead: confirmed and estimated days."""
    today = dt.date.today() if today_text is None else _date_or_fail(today_text)
    registry = _registry(workflows_file)
    years = range(FIRST_LISTED_YEAR, today.year + YEARS_AHEAD + 1)
    for calendar_id in registry.calendars:
        for line in _calendar_lines(registry.calendars[calendar_id], years):
            click.echo(line)


def _date_or_fail(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _fail(f"{text!r} is not a date; write it as YYYY-MM-DD")
        raise  # not reached: _fail exits


def _calendar_lines(calendar: WorkingCalendar, years: range) -> Iterator[str]:
    spec = calendar.spec
    if spec.country is None:
        yield f"{spec.id}: no public holidays and no decrees; its dates are never provisional"
        return
    yield f"{spec.id}: holidays package {spec.country}"
    rule = spec.weekend_holidays
    if rule is not None:
        yield (
            f"  weekend holidays: {rule.moves_to}, applied by {rule.applied_by}"
            f"{_unverified(rule.verified)}: {rule.legal_basis}"
        )
    if spec.decrees is not None:
        confirmed = ", ".join(str(year) for year in sorted(spec.decrees.confirmed_years))
        yield f"  decrees known for: {confirmed or 'no year'}{_unverified(spec.decrees.verified)}"
    lunar = lunar_names(spec, range(years.start, years.stop + 10))
    for year in years:
        yield from _year_lines(year_report(calendar, year, lunar))


def _year_lines(report: YearReport) -> Iterator[str]:
    if report.decree_confirmed:
        yield f"  {report.year}  decree: confirmed"
    else:
        yield (
            f"  {report.year}  decree: NOT CONFIRMED, dates in {report.year} may move "
            "if the Government decrees a transfer"
        )
    for day, name, source in report.confirmed:
        yield f"        confirmed  {describe_day(day)}  {name}  [{source}]"
    for day, name in report.estimated:
        yield f"        estimated  {describe_day(day)}  {name}  (confirm under confirmed_holidays)"
    for day, why in report.transfers:
        yield f"        moved      {describe_day(day)}  {why}"
    for day, what in report.decreed:
        yield f"        decreed    {describe_day(day)}  {what}"


def _unverified(verified: bool) -> str:
    return "" if verified else " (unverified)"


COMMANDS = (check_command, routes_command, graph_command, due_command, calendars_command)
