"""A feed's version stamp: one small query instead of building the calendar.

What a feed shows changes when one of its cases does (cases/changes.py stamps `updated_at` on
every change to a case, its survivor, consents, proceedings, deadlines and hearings), when its
owner's access does (`access_changed_at`: role, active, teams), when the subscription itself
does, or when the day turns (overdue deadlines, those closed 30 days ago drop out). The stamp
hashes all of that; the caller adds what only it knows (the language, the host, the labels).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from ..db import aware, db
from ..models import Case, FeedSubscription, User
from .entries import case_filters

# Raise it when the same data gives other bytes (a change in ical.py): clients then fetch again.
FORMAT = "2"


@dataclass(frozen=True)
class FeedStamp:
    """What identifies a feed's content: `key` (its ETag) and the latest change it counts."""

    key: str
    changed_at: dt.datetime


def _subscription_fields(subscription: FeedSubscription) -> list[object]:
    owner = subscription.owner
    return [
        subscription.id,
        subscription.token_hash,  # a rotated feed is another feed
        subscription.name,
        subscription.kind,
        subscription.case_id,
        subscription.route,
        subscription.jurisdiction,
        subscription.lawyer_id,
        subscription.stage,
        subscription.with_names,
        subscription.reminder_events,
        owner.id,
        owner.role,
        owner.active,
    ]


def latest_changes(subscription: FeedSubscription) -> tuple[dt.datetime | None, dt.datetime]:
    """(the latest change among the feed's cases, the latest change of its people's access),
    in one query that reads indexes only."""
    cases = select(func.max(Case.updated_at)).where(*case_filters(subscription))
    people = {subscription.owner_id, subscription.lawyer_id} - {None}
    access = select(func.max(User.access_changed_at)).where(User.id.in_(people))
    row = db.session.execute(select(cases.scalar_subquery(), access.scalar_subquery())).one()
    return row[0], row[1]


def feed_stamp(
    subscription: FeedSubscription, today: dt.date, context: Iterable[object] = ()
) -> FeedStamp:
    """The stamp of the feed as it would be built now for `today`; `context` adds what else
    its bytes depend on (language, host, the version of the labels)."""
    moments = [aware(m) if m is not None else None for m in latest_changes(subscription)]
    changed_at = max([m for m in moments if m is not None] + [aware(subscription.created_at)])
    parts = [FORMAT, today.isoformat(), *_subscription_fields(subscription)]
    parts += [m.isoformat() if m is not None else "-" for m in moments]
    parts += list(context)
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return FeedStamp(digest, changed_at)
