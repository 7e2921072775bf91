"""Calendar feed subscriptions: create, rotate, revoke, find by token, mark fetched.

A feed is polled without signing in, so its URL carries a random token; only the token's
sha256 is stored. Operations flush and never commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..audit import record
from ..cases.access import can_manage, can_view
from ..db import aware, db, utcnow
from ..errors import InvalidInput, NotAllowed, msg
from ..models import (
    AuditKind,
    Case,
    FeedKind,
    FeedSubscription,
    User,
)

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128
STAMP_EVERY = dt.timedelta(minutes=1)


def hash_token(token: str) -> str:
    """The sha256 hex digest stored in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(subscription: FeedSubscription) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    subscription.token_hash = hash_token(token)
    return token


def _check_manager(owner: User, actor: User | None) -> None:
    if not can_manage(actor) and actor.id != owner.id:
        raise NotAllowed(msg("Only the owner or an administrator can manage this feed."))


def _default_name(kind: FeedKind, case: Case | None) -> str:
    if kind is FeedKind.CASE and case is not None:
        return f"{case.reference} deadlines"
    return "My deadlines" if kind is FeedKind.MINE else "Team deadlines"


def _check_case(kind: FeedKind, case: Case | None, owner: User, actor: User | None) -> None:
    if kind is not FeedKind.CASE:
        return
    if case is None:
        raise InvalidInput({"case": msg("Choose the case.")})
    if not can_view(owner, case) or (actor is not None and not can_view(actor, case)):
        raise NotAllowed(msg("A feed can only cover cases its owner can see."))


def create_feed(
    owner: User,
    actor: User | None,
    *,
    kind: FeedKind | str,
    name: str | None = None,
    case: Case | None = None,
    route: str | None = None,
    jurisdiction: str | None = None,
    lawyer: User | None = None,
    stage: str | None = None,
    with_names: bool = False,
    reminder_events: bool = False,
) -> tuple[FeedSubscription, str]:
    """A new subscription and its token (shown once, never stored); actor None: the CLI."""
    try:
        kind = FeedKind(kind)
    except ValueError:
        raise InvalidInput({"kind": msg("Unknown kind of feed %(kind)s.", kind=kind)}) from None
    _check_manager(owner, actor)
    if with_names and not can_manage(actor):
        raise NotAllowed(msg("Only an administrator can put survivors' names in a feed."))
    _check_case(kind, case, owner, actor)
    subscription = FeedSubscription(
        owner=owner,
        name=(name or "").strip()[:200] or _default_name(kind, case),
        kind=kind.value,
        case=case if kind is FeedKind.CASE else None,
        route=route or None,
        jurisdiction=jurisdiction or None,
        lawyer=lawyer,
        stage=stage or None,
        with_names=with_names,
        reminder_events=reminder_events,
        created_by=actor,
    )
    token = _new_token(subscription)
    db.session.add(subscription)
    db.session.flush()
    _record(AuditKind.FEED_CREATED, subscription, actor)
    return subscription, token


def _record(
    kind: AuditKind,
    subscription: FeedSubscription,
    actor: User | None,
    at: dt.datetime | None = None,
) -> None:
    # What the feed shows: never its token, nor the token's hash.
    record(
        kind,
        actor=actor,
        user=subscription.owner_id,
        case=subscription.case_id,
        feed=subscription,
        details={"kind": subscription.kind, "with_names": subscription.with_names},
        at=at,
    )


def rotate_feed(subscription: FeedSubscription, actor: User | None) -> str:
    """Give the feed a new token: the old URL stops working at once."""
    _check_manager(subscription.owner, actor)
    if not subscription.is_active:
        raise InvalidInput({"feed": msg("This feed was revoked; create a new one.")})
    token = _new_token(subscription)
    db.session.flush()
    _record(AuditKind.FEED_ROTATED, subscription, actor)
    return token


def revoke_feed(subscription: FeedSubscription, actor: User | None) -> None:
    """Stop the feed for good: its URL answers 404 from now on."""
    _check_manager(subscription.owner, actor)
    if subscription.revoked_at is None:
        subscription.revoked_at = utcnow()
        db.session.flush()
        _record(AuditKind.FEED_REVOKED, subscription, actor)


def feed_by_token(token: str) -> FeedSubscription | None:
    """The live feed this token opens, with its owner loaded; None if unknown or revoked."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    # Looking up the hash, never the token, leaks nothing useful through timing.
    query = (
        select(FeedSubscription)
        .join(FeedSubscription.owner)
        .where(
            FeedSubscription.token_hash == hash_token(token),
            FeedSubscription.revoked_at.is_(None),
            User.active,
        )
        .options(contains_eager(FeedSubscription.owner))
    )
    return db.session.scalars(query).one_or_none()


def mark_fetched(subscription: FeedSubscription, now: dt.datetime) -> bool:
    """Record a fetch, at most once a minute so that polling clients do not write every time.

    Each recorded fetch is on the audit trail too, with no actor: whoever holds the address
    reads the feed as its owner."""
    last = subscription.last_fetched_at
    if last is not None and now - aware(last) < STAMP_EVERY:
        return False
    subscription.last_fetched_at = now
    db.session.flush()
    _record(AuditKind.FEED_FETCHED, subscription, None, now)
    return True
