"""`litigation feed ...`: provision and revoke calendar feeds from the command line.

The command line runs with an administrator's rights (it has the database), so it can set
up a feed for anyone, for example a shared team calendar, with survivors' names if asked.
"""

from __future__ import annotations

import re
import sys
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import db
from ..errors import DomainError
from ..feeds import create_feed, hash_token, revoke_feed
from ..models import Case, FeedKind, FeedSubscription, User
from ..registry import current_registry

TOKEN_IN_URL = re.compile(r"([A-Za-z0-9_-]+)\.ics$")


def feed_url(token: str) -> str:
    """The feed's address under PUBLIC_URL (there is no request to read the host from)."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme or "https"
    )
    return adapter.build("feeds.feed", {"token": token}, force_external=True)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _user(email: str) -> User:
    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None:
        _fail(f"no user {email}")
    return user


@click.group("feed")
def feed_group() -> None:
    """Calendar feeds: create one for a user, or revoke one."""


@feed_group.command("create")
@click.argument("email")
@click.option("--case", "reference", help="One case, by its reference.")
@click.option("--route", help="Only deadlines on this route.")
@click.option("--jurisdiction", type=click.Choice(["KZ", "TJ"]), help="Only cases in KZ or TJ.")
@click.option("--lawyer", "lawyer_email", help="Only cases this lawyer (email) works on.")
@click.option("--stage", help="Only deadlines of this stage.")
@click.option("--team", is_flag=True, help="Every case EMAIL can see, not only theirs.")
@click.option("--name", help="The calendar's name.")
@click.option("--with-names", is_flag=True, help="Show survivors' names and notes.")
@click.option("--reminder-events", is_flag=True, help="Add reminders as all-day events.")
@with_appcontext
def create_command(email: str, reference: str | None, **options) -> None:
    """Create a feed owned by EMAIL and print its address (shown only this once)."""
    owner = _user(email)
    case = None
    if reference:
        case = db.session.scalar(db.select(Case).where(Case.reference == reference))
        if case is None:
            _fail(f"no case {reference}")
    route, stage = options["route"], options["stage"]
    routes = current_registry().workflows.routes
    if route and route not in routes:
        _fail(f"no route {route!r}; see `litigation routes`")
    if stage and not any(r.has_stage(stage) for r in routes.values()):
        _fail(f"no route has a stage {stage!r}")
    lawyer = _user(options["lawyer_email"]) if options["lawyer_email"] else None
    filtered = route or options["jurisdiction"] or lawyer or stage
    kind = (
        FeedKind.CASE if case else FeedKind.TEAM if options["team"] or filtered else FeedKind.MINE
    )
    try:
        subscription, token = create_feed(
            owner,
            None,
            kind=kind,
            name=options["name"],
            case=case,
            route=route,
            jurisdiction=options["jurisdiction"],
            lawyer=lawyer,
            stage=stage,
            with_names=options["with_names"],
            reminder_events=options["reminder_events"],
        )
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    url = feed_url(token)
    click.echo(f"Feed {subscription.id} ({subscription.name}) for {owner.email}:")
    click.echo(url)
    click.echo("webcal://" + url.split("://", 1)[1])


def _find(url_or_id: str) -> FeedSubscription | None:
    if url_or_id.isdigit():
        return db.session.get(FeedSubscription, int(url_or_id))
    match = TOKEN_IN_URL.search(urlsplit(url_or_id.strip()).path)
    token = match.group(1) if match else url_or_id.strip()
    return db.session.scalar(
        db.select(FeedSubscription).where(FeedSubscription.token_hash == hash_token(token))
    )


@feed_group.command("revoke")
@click.argument("url_or_id")
@with_appcontext
def revoke_command(url_or_id: str) -> None:
    """Revoke a feed given its address or its number: the address answers 404 from now on."""
    subscription = _find(url_or_id)
    if subscription is None:
        _fail("no such feed")
    if subscription.revoked_at is not None:
        click.echo(f"Feed {subscription.id} was already revoked.")
        return
    revoke_feed(subscription, None)
    db.session.commit()
    click.echo(
        f"Revoked feed {subscription.id} ({subscription.name}) of {subscription.owner.email}"
    )


COMMANDS = (feed_group,)
