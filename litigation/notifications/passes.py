"""One pass: find what is due, make the rows, then claim and send them one by one.

Each claim and each outcome is committed on its own, so that a pass killed half-way loses at
most the message in hand (outbox.py says how it is taken again), and two passes on two hosts
share the work instead of doubling it.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import select

from ..audit import record
from ..db import db
from ..models import AuditKind, Deadline, Notification, User
from ..workflows.spec import WorkflowSet
from .contents import reason_not_to_send
from .outbox import claim, due_ids, enqueue, mark_dropped, mark_failed, mark_sent
from .planning import plan
from .schedule import local

Compose = Callable[[Notification, dt.datetime], EmailMessage | None]
Deliver = Callable[[EmailMessage], None]
BATCH = 200


@dataclass
class PassReport:
    """What a pass did, for the command's output and the worker's log."""

    made: int = 0
    sent: int = 0
    failed: int = 0
    dropped: int = 0
    skipped: int = 0  # taken by another pass meanwhile
    lines: list[str] = field(default_factory=list)


def worker_name() -> str:
    """Who claims: host and process, shown to admins beside a message in flight."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_pass(
    now: dt.datetime,
    workflows: WorkflowSet,
    *,
    compose: Compose,
    deliver: Deliver,
    commit: Callable[[], None],
    worker: str | None = None,
    limit: int = BATCH,
) -> PassReport:
    """Make the messages due at `now` and send those whose time has come.

    `commit` is the command line's: each claim must be visible to other hosts before the SMTP
    conversation starts, and each outcome kept before the next message is taken.
    """
    now = now.astimezone(dt.UTC)  # SQLite keeps a time's digits and drops its zone
    report = PassReport()
    report.made = enqueue(plan(now, workflows), now)
    commit()
    worker = worker or worker_name()
    for notification_id in due_ids(now, limit):
        if not claim(notification_id, now, worker):
            db.session.rollback()
            report.skipped += 1
            continue
        commit()
        _send_one(db.session.get(Notification, notification_id), now, compose, deliver, report)
        commit()
    return report


def _send_one(
    notification: Notification,
    now: dt.datetime,
    compose: Compose,
    deliver: Deliver,
    report: PassReport,
) -> None:
    reason = reason_not_to_send(notification)
    if reason is None:
        message = compose(notification, now)
        if message is None:
            reason = "nothing to report"
    if reason is not None:
        mark_dropped(notification, reason)
        report.dropped += 1
        return
    try:
        deliver(message)
    except (smtplib.SMTPException, OSError) as error:
        retried = mark_failed(notification, now, f"{type(error).__name__}: {error}")
        _audit(notification, AuditKind.NOTIFICATION_FAILED, now, error=str(error)[:200])
        report.failed += 1
        then = f"again at {notification.not_before:%Y-%m-%d %H:%M} UTC" if retried else "given up"
        report.lines.append(f"failed #{notification.id} ({then}): {error}")
        return
    mark_sent(notification, now)
    _audit(notification, AuditKind.NOTIFICATION_SENT, now)
    report.sent += 1


def _audit(notification: Notification, kind: AuditKind, now: dt.datetime, **extra: object) -> None:
    # Ids and numbers only: the message itself (which may name a person) is not kept.
    if notification.deadline_id is not None:
        deadline = db.session.get(Deadline, notification.deadline_id)
        if deadline is not None:
            today = local(now, notification.user.time_zone).date()
            extra = {
                "deadline": deadline.id,
                "days_left": (deadline.due_date - today).days,
                **extra,
            }
    record(
        kind,
        actor=None,
        case=notification.case_id,
        user=notification.user_id,
        details={
            "notification": notification.id,
            "kind": notification.kind,
            "attempts": notification.attempts,
            **extra,
        },
        at=now,
    )


def preview(now: dt.datetime, workflows: WorkflowSet, compose: Compose) -> list[EmailMessage]:
    """What a pass would send at `now`, written but neither stored nor sent (--dry-run)."""
    now = now.astimezone(dt.UTC)
    made = set(db.session.scalars(select(Notification.key)))
    waiting = [
        Notification(
            key=item.key,
            kind=item.kind,
            case_id=item.case_id,
            deadline_id=item.deadline_id,
            details=item.details,
            user_id=item.user_id,
            user=db.session.get(User, item.user_id),  # transient: never added to the session
        )
        for item in plan(now, workflows)
        if item.key not in made
    ]
    waiting += [db.session.get(Notification, i) for i in due_ids(now, BATCH)]
    messages = [
        message
        for notification in waiting
        if reason_not_to_send(notification) is None
        and (message := compose(notification, now)) is not None
    ]
    db.session.rollback()
    return messages
