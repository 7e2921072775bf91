"""The outbox: each message is a row, made once and claimed before it is sent.

Exactly once across hosts rests on two things the database guarantees, on SQLite and on
PostgreSQL alike: the unique `key` (a second pass that would make the same message inserts
nothing), and a compare-and-set UPDATE that moves a row to `sending` only if it is still as
the pass saw it (PostgreSQL re-reads the row after a concurrent update, under its row lock,
so of two passes at once exactly one gets the row). The claim is committed before the SMTP
conversation starts. A pass killed after claiming leaves the row `sending`; after CLAIM_LEASE
another pass takes it again: the one window in which a message could go twice is between the
server accepting it and the row being marked sent, and the message keeps its Message-ID, so
mail clients show it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..db import db
from ..models import Notification, NotificationStatus

CLAIM_LEASE = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=5)
LONGEST_RETRY = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Planned:
    """A message a pass found due: made into a row unless one with its key exists."""

    key: str
    kind: str
    user_id: int
    not_before: dt.datetime
    case_id: int | None = None
    deadline_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def enqueue(planned: Iterable[Planned], now: dt.datetime) -> int:
    """Add the messages not made before; how many were new."""
    rows = [
        {
            "key": item.key,
            "kind": item.kind,
            "user_id": item.user_id,
            "case_id": item.case_id,
            "deadline_id": item.deadline_id,
            "details": item.details,
            "status": NotificationStatus.PENDING.value,
            "attempts": 0,
            "not_before": item.not_before,
            "created_at": now,
        }
        for item in planned
    ]
    if not rows:
        return 0
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    made = 0
    for start in range(0, len(rows), 500):
        statement = insert(Notification).values(rows[start : start + 500])
        result = db.session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))
        made += max(result.rowcount, 0)
    return made


def due_ids(now: dt.datetime, limit: int) -> list[int]:
    """Messages a pass may try now: pending or failed ones whose time has come, and claims
    older than the lease (a pass that died)."""
    n = Notification
    query = (
        select(n.id)
        .where(
            or_(
                and_(
                    n.status.in_([NotificationStatus.PENDING, NotificationStatus.FAILED]),
                    n.not_before <= now,
                ),
                and_(n.status == NotificationStatus.SENDING, n.claimed_at < now - CLAIM_LEASE),
            )
        )
        .order_by(n.not_before, n.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def claim(notification_id: int, now: dt.datetime, worker: str) -> bool:
    """Take one message for this pass; False if another pass has it (or it is no longer due)."""
    n = Notification
    result = db.session.execute(
        update(n)
        .where(
            n.id == notification_id,
            or_(
                and_(
                    n.status.in_([NotificationStatus.PENDING, NotificationStatus.FAILED]),
                    n.not_before <= now,
                ),
                and_(n.status == NotificationStatus.SENDING, n.claimed_at < now - CLAIM_LEASE),
            ),
        )
        .values(
            status=NotificationStatus.SENDING,
            claimed_at=now,
            claimed_by=worker[:100],
            attempts=n.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def mark_sent(notification: Notification, now: dt.datetime) -> None:
    """The server accepted the message."""
    notification.status = NotificationStatus.SENT
    notification.sent_at = now
    notification.last_error = None


def mark_dropped(notification: Notification, reason: str) -> None:
    """Not sent and not to be: no longer due, or the attempts are spent."""
    notification.status = NotificationStatus.DROPPED
    notification.last_error = reason[:300]


def retry_delay(attempts: int) -> dt.timedelta:
    """Back-off after the n-th failed attempt: 5, 10, 20 minutes... at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def mark_failed(notification: Notification, now: dt.datetime, error: str) -> bool:
    """The server refused or could not be reached: try again later, or give up after
    MAX_ATTEMPTS. True if it will be tried again."""
    notification.last_error = error[:300]
    if notification.attempts >= MAX_ATTEMPTS:
        notification.status = NotificationStatus.DROPPED
        return False
    notification.status = NotificationStatus.FAILED
    notification.not_before = now + retry_delay(notification.attempts)
    return True
