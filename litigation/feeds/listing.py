"""Lists of calendar feeds for the calendars page: an owner's, everyone's (the caller checks
that the reader may manage feeds), and who revoked the revoked ones."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..db import db
from ..models import AuditEntry, AuditKind, FeedSubscription, User


def _listed() -> Select[tuple[FeedSubscription]]:
    # Live feeds first, newest first; then the revoked ones, last revoked first.
    return select(FeedSubscription).order_by(
        FeedSubscription.revoked_at.is_not(None),
        FeedSubscription.revoked_at.desc(),
        FeedSubscription.created_at.desc(),
        FeedSubscription.id.desc(),
    )


def feeds_of(owner: User) -> list[FeedSubscription]:
    """The owner's feeds, live and revoked, with what their descriptions name loaded."""
    query = (
        _listed()
        .where(FeedSubscription.owner_id == owner.id)
        .options(selectinload(FeedSubscription.case), selectinload(FeedSubscription.lawyer))
    )
    return list(db.session.scalars(query))


def every_feed() -> list[FeedSubscription]:
    """Every feed of every owner, live and revoked (for those who may manage them all)."""
    query = _listed().options(
        selectinload(FeedSubscription.owner),
        selectinload(FeedSubscription.case),
        selectinload(FeedSubscription.lawyer),
    )
    return list(db.session.scalars(query))


def revokers(subscriptions: Iterable[FeedSubscription]) -> dict[int, User | None]:
    """Who revoked each revoked feed, from the audit trail: None for the command line; a feed
    revoked before the trail existed has no key."""
    ids = [s.id for s in subscriptions if s.revoked_at is not None]
    if not ids:
        return {}
    query = (
        select(AuditEntry.feed_id, User)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.kind == str(AuditKind.FEED_REVOKED), AuditEntry.feed_id.in_(ids))
        .order_by(AuditEntry.id)
    )
    return {feed_id: user for feed_id, user in db.session.execute(query)}
