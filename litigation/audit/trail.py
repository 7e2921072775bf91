"""Writing the audit trail and reading it back, filtered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, insert, select

from ..db import db, utcnow
from ..models import AuditEntry, AuditKind, Case, Event, FeedSubscription, User

MAX_ADDRESS = 64


def record(
    kind: AuditKind,
    *,
    actor: User | None,
    case: Case | int | None = None,
    user: User | int | None = None,
    event: Event | int | None = None,
    feed: FeedSubscription | int | None = None,
    address: str | None = None,
    details: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Add one entry to the trail in the current transaction (flushes, never commits).

    Records not yet flushed get their ids from the flush, so callers may pass them freshly made.
    """
    if any(
        isinstance(item, Case | User | Event | FeedSubscription)
        for item in (case, user, event, feed)
    ):
        db.session.flush()
    entry = AuditEntry(
        kind=str(kind),
        at=_utc(at),
        actor_id=_id(actor),
        case_id=_id(case),
        user_id=_id(user),
        event_id=_id(event),
        feed_id=_id(feed),
        address=(address or None) and address[:MAX_ADDRESS],
        details=dict(details or {}),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def record_on(
    connection: Connection,
    kind: AuditKind,
    *,
    user_id: int | None = None,
    address: str | None = None,
    details: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an entry in a transaction of its own, for what must stay on the record even when
    the request itself is refused and rolled back (a failed sign-in)."""
    connection.execute(
        insert(AuditEntry).values(
            kind=str(kind),
            at=_utc(at),
            actor_id=None,
            user_id=user_id,
            address=(address or None) and address[:MAX_ADDRESS],
            details=dict(details or {}),
        )
    )


def _utc(at: dt.datetime | None) -> dt.datetime:
    """The moment in UTC: SQLite keeps a time's digits and drops its zone."""
    if at is None:
        return utcnow()
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _id(item: Any) -> int | None:
    return item if isinstance(item, int) or item is None else item.id


@dataclass(frozen=True)
class AuditFilter:
    """What an admin asks of the trail; every part optional. `until` is inclusive, and the
    days are those of `zone`: the days the reader sees the times in."""

    actor_id: int | None = None
    case_id: int | None = None
    kinds: Sequence[str] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    zone: dt.tzinfo = dt.UTC


def _start_of(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def entries_query(wanted: AuditFilter) -> Select[tuple[AuditEntry]]:
    """The entries matching `wanted`, newest first."""
    query = select(AuditEntry)
    if wanted.actor_id is not None:
        query = query.where(
            (AuditEntry.actor_id == wanted.actor_id) | (AuditEntry.user_id == wanted.actor_id)
        )
    if wanted.case_id is not None:
        query = query.where(AuditEntry.case_id == wanted.case_id)
    if wanted.kinds:
        query = query.where(AuditEntry.kind.in_(list(wanted.kinds)))
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= _start_of(wanted.since, wanted.zone))
    if wanted.until is not None:
        next_day = wanted.until + dt.timedelta(days=1)
        query = query.where(AuditEntry.at < _start_of(next_day, wanted.zone))
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def entries(wanted: AuditFilter, *, limit: int | None = None, offset: int = 0) -> list[AuditEntry]:
    """A page of the entries matching `wanted`, newest first."""
    query = entries_query(wanted).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))
