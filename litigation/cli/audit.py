"""`litigation audit`: the audit trail on the server's terminal, newest first, or as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..audit import AuditFilter, entries, entries_query
from ..db import aware, db
from ..models import AuditEntry, AuditKind, Case, User

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
SHOWN = 100
HEADERS = ("time", "who", "kind", "case", "account", "details")
# A spreadsheet runs a cell starting with one of these as a formula, and one splitting on
# another separator than ours may start a cell inside a text: the rule of the web's CSV
# (web/dashboard/grid.py), which the command line may not import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t])(?=[=+\-@\t\r])")


def _date(_context: click.Context, parameter: click.Parameter, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD).") from None
    if not EARLIEST <= day <= LATEST:
        raise click.BadParameter("give a date between 1900 and 2200.")
    return day


def _user_id(email: str | None) -> int | None:
    if email is None:
        return None
    found = db.session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if found is None:
        raise click.BadParameter(f"no user has the e-mail {email}.", param_hint="'--user'")
    return found


def _case_id(reference: str | None) -> int | None:
    if reference is None:
        return None
    found = db.session.scalar(select(Case.id).where(Case.reference == reference.strip()))
    if found is None:
        raise click.BadParameter(f"no case has the reference {reference}.", param_hint="'--case'")
    return found


def _lines(found: list[AuditEntry]) -> Iterable[tuple[str, ...]]:
    """Each entry as the command shows it: local time, e-mails, the reference, raw details."""
    zone = _zone()
    ids = {i for e in found for i in (e.actor_id, e.user_id) if i is not None}
    emails = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())
    case_ids = {e.case_id for e in found if e.case_id is not None}
    references = dict(
        db.session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids))).all()
    )
    for entry in found:
        yield (
            aware(entry.at).astimezone(zone).isoformat(sep=" ", timespec="seconds"),
            _name(emails, entry.actor_id),
            entry.kind,
            references.get(entry.case_id, f"#{entry.case_id}") if entry.case_id else "",
            _name(emails, entry.user_id),
            json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True),
        )


def _zone() -> ZoneInfo:
    """The zone the times are shown in, and whose days --since and --until mean."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _name(emails: dict[int, str], user_id: int | None) -> str:
    return "" if user_id is None else emails.get(user_id, f"#{user_id}")


def _safe(text: str) -> str:
    text = FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _write_csv(lines: Iterable[tuple[str, ...]]) -> None:
    # Every cell quoted, as the web's CSV: a ";"-splitting spreadsheet reads no formula.
    writer = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL)
    writer.writerow(HEADERS)
    for line in lines:
        writer.writerow([_safe(cell) for cell in line])


@click.command("audit")
@click.option("--user", "email", help="Only what this person did, or what was done to them.")
@click.option("--case", "reference", help="Only entries about the case with this reference.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([kind.value for kind in AuditKind]),
    help="Only entries of this kind (repeat for several).",
)
@click.option("--since", callback=_date, help="From this day on (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Up to and including this day (YYYY-MM-DD).")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help=f"At most this many entries (default {SHOWN}, or every entry with --csv).",
)
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV to standard output.")
@with_appcontext
def audit_command(
    email: str | None,
    reference: str | None,
    kinds: tuple[str, ...],
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None,
    as_csv: bool,
) -> None:
    """Print the audit trail, newest first: who did what, when, on which case."""
    if since and until and until < since:
        raise click.BadParameter(
            "the end of the period is before its start.", param_hint="'--until'"
        )
    wanted = AuditFilter(
        actor_id=_user_id(email),
        case_id=_case_id(reference),
        kinds=kinds,
        since=since,
        until=until,
        zone=_zone(),
    )
    if as_csv:
        _write_csv(_lines(entries(wanted, limit=limit)))
        return
    limit = limit or SHOWN
    found = entries(wanted, limit=limit)
    for line in _lines(found):
        click.echo("  ".join(cell or "-" for cell in line))
    total = db.session.scalar(select(func.count()).select_from(entries_query(wanted).subquery()))
    if total > len(found):
        click.echo(f"({len(found)} of {total} entries shown, newest first: --limit for more)")
    elif not found:
        click.echo("No entry matches.")


COMMANDS = (audit_command,)
