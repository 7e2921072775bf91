"""`litigation notify` (one pass, for cron or a systemd timer) and `litigation worker` (the same
pass on a schedule): reminders, digests and escalations by e-mail (litigation/notifications)."""

from __future__ import annotations

import datetime as dt
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import db, utcnow
from ..notifications import MailSettingsError, SmtpSettings, deliver, preview, run_pass
from ..registry import current_registry

COMPOSE = "litigation.compose_mail"  # set by the web layer, which holds the words


def _moment(at: str | None) -> dt.datetime:
    if not at:
        return utcnow()
    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        raise click.BadParameter("an ISO date and time, e.g. 2026-12-07T08:30+05:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _settings() -> SmtpSettings:
    try:
        settings = SmtpSettings.from_config(current_app.config)
    except MailSettingsError as error:
        click.echo(f"e-mail settings: {error}", err=True)
        sys.exit(1)
    if settings is None:
        click.echo(
            "No SMTP server: set LITIGATION_SMTP_HOST (and _PORT, _SECURITY, _USER, _PASSWORD, "
            "LITIGATION_MAIL_FROM); nothing was sent. `litigation notify --dry-run` shows what "
            "would be.",
            err=True,
        )
        sys.exit(1)
    return settings


def _one_pass(at: dt.datetime, settings: SmtpSettings) -> None:
    report = run_pass(
        at,
        current_registry().workflows,
        compose=current_app.extensions[COMPOSE],
        deliver=lambda message: deliver(settings, message),
        commit=db.session.commit,
    )
    for line in report.lines:
        click.echo(line)
    click.echo(
        f"{at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC: {report.made} new, {report.sent} sent, "
        f"{report.failed} failed, {report.dropped} no longer due, "
        f"{report.skipped} taken by another pass"
    )


@click.command("notify")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; store and send nothing.")
@click.option("--at", help="Act as at this time (ISO 8601; default: now).")
@with_appcontext
def notify_command(dry_run: bool, at: str | None) -> None:
    """Send the reminders, digests and escalations due now, once, and exit."""
    moment = _moment(at)
    if dry_run:
        _print_preview(moment)
        return
    _one_pass(moment, _settings())


def _print_preview(moment: dt.datetime) -> None:
    messages = preview(moment, current_registry().workflows, current_app.extensions[COMPOSE])
    for message in messages:
        click.echo(f"To: {message['To']}\nSubject: {message['Subject']}\n")
        click.echo(message.get_body(("plain",)).get_content())
        click.echo("-" * 72)
    click.echo(f"{len(messages)} message(s) would be sent (dry run: nothing stored or sent).")


@click.command("worker")
@click.option(
    "--every",
    default=300,
    show_default=True,
    type=click.IntRange(10),
    help="Seconds between passes.",
)
@click.option("--passes", type=click.IntRange(1), help="Stop after this many passes.")
@with_appcontext
def worker_command(every: int, passes: int | None) -> None:
    """Run the notify pass every --every seconds until stopped (Ctrl+C or SIGTERM)."""
    settings = _settings()
    done = 0
    while True:
        try:
            _one_pass(utcnow(), settings)
        except Exception as error:  # a database restart must not stop the reminders for good
            db.session.rollback()
            click.echo(f"pass failed, trying again in {every} s: {error}", err=True)
        done += 1
        if passes is not None and done >= passes:
            return
        time.sleep(every)


COMMANDS = (notify_command, worker_command)
