"""The admin's view of the e-mail outbox: what was sent, what failed and what waits, newest
first, a page at a time; and sending a failed message again.

A row names its case by reference and its deadline by the rule's step: never the survivor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select, update

from ..db import aware, db, utcnow
from ..models import Case, Deadline, Notification, NotificationStatus, User
from .filters import rule_label
from .forms import options
from .inputs import page_arg
from .notification_words import kind_word, status_word

PAGE_SIZE = 50
# The filter's choices: "failed" includes those given up on, which wait for an admin.
FILTERS = {
    "": ((), _l("All")),
    "sent": ((NotificationStatus.SENT,), _l("Sent")),
    "failed": ((NotificationStatus.FAILED, NotificationStatus.DROPPED), _l("Failed")),
    "pending": ((NotificationStatus.PENDING, NotificationStatus.SENDING), _l("Waiting")),
}
FILTER_CHOICES = options((value, label) for value, (_statuses, label) in FILTERS.items())
RETRYABLE = (NotificationStatus.FAILED, NotificationStatus.DROPPED)


@dataclass(frozen=True)
class Row:
    """One message as the page lists it."""

    notification: Notification
    user: User
    case: Case | None
    step: str | None

    @property
    def kind(self) -> str:
        return kind_word(self.notification.kind)

    @property
    def status(self) -> str:
        return status_word(self.notification.status)

    @property
    def made_at(self) -> dt.datetime:
        return aware(self.notification.created_at)

    @property
    def next_try(self) -> dt.datetime | None:
        """When it is tried next: only a message still to send has one."""
        waiting = self.notification.status in (
            NotificationStatus.PENDING,
            NotificationStatus.FAILED,
        )
        return aware(self.notification.not_before) if waiting else None

    @staticmethod
    def shown(moment: dt.datetime | None) -> str:
        """A time as the page shows it, in the reader's zone."""
        return format_datetime(moment, "d MMM y, HH:mm") if moment else ""

    @property
    def retryable(self) -> bool:
        return self.notification.status in RETRYABLE


def outbox_query(status: str) -> Select:
    """The messages with a status of the filter `status` ("" for all), newest first."""
    query = select(Notification).order_by(Notification.created_at.desc(), Notification.id.desc())
    statuses = FILTERS.get(status, FILTERS[""])[0]
    return query.where(Notification.status.in_(statuses)) if statuses else query


def count(status: str) -> int:
    """How many messages the filter shows."""
    query = outbox_query(status).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(query)) or 0


def rows(status: str, page: int) -> list[Row]:
    """One page of the filtered messages, with their people, cases and steps loaded at once."""
    query = outbox_query(status).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    found = list(db.session.scalars(query))
    users = _by_id(User, {n.user_id for n in found})
    cases = _by_id(Case, {n.case_id for n in found if n.case_id is not None})
    deadlines = _by_id(Deadline, {n.deadline_id for n in found if n.deadline_id is not None})
    return [
        Row(
            n,
            users[n.user_id],
            cases.get(n.case_id) if n.case_id is not None else None,
            _step(deadlines.get(n.deadline_id) if n.deadline_id is not None else None),
        )
        for n in found
    ]


def _by_id(model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _step(deadline: Deadline | None) -> str | None:
    return rule_label(deadline) if deadline is not None else None


def send_again(notification_id: int, now: dt.datetime) -> bool:
    """Put a failed or given-up message back in the queue, due now, its attempts kept (the
    engine's count of tries stays true); False if it was not one to send again.

    The status is checked in the UPDATE itself: a message a pass has claimed meanwhile is
    left to that pass."""
    done = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status.in_(RETRYABLE))
        .values(status=NotificationStatus.PENDING, not_before=now, claimed_at=None, claimed_by=None)
        .execution_options(synchronize_session="fetch")
    )
    return done.rowcount == 1


def page():
    """The outbox page, filtered by ?status= (anything unknown shows everything)."""
    status = request.args.get("status", "")
    status = status if status in FILTERS else ""
    number, total = page_arg(), count(status)
    return render_template(
        "admin/notifications.html",
        rows=rows(status, number),
        status=status,
        filters=FILTER_CHOICES,
        total=total,
        page=number,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        page_url=lambda n: url_for("admin.notifications", status=status or None, page=n),
        form=FlaskForm(),
    )


def send_again_now(notification_id: int):
    """The "Send again" button: queue the message, say so, back to the list as filtered."""
    db.session.get(Notification, notification_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if send_again(notification_id, utcnow()):
        flash(_("The message will be sent again in the next few minutes."), "success")
    else:
        flash(_("This message is no longer one to send again: see its status."), "warning")
    return redirect(url_for("admin.notifications", status=request.args.get("status") or None))
