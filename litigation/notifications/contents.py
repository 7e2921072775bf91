"""What a message speaks of, read when it is sent: whether it is still due, and the rows a
digest lists. The words are the web layer's (web/mail.py); this holds the queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import contains_eager

from ..dashboard.sql import Filters
from ..dashboard.stages import StuckRow, stuck
from ..db import db
from ..models import (
    Case,
    Deadline,
    DeadlineStatus,
    Hearing,
    Notification,
    NotificationKind,
    Proceeding,
    Role,
    User,
    case_assignments,
)
from ..workflows.spec import WorkflowSet
from ..workflows.spec_values import Party

LISTED = 20  # rows a digest lists of each kind; it says how many more there are
DAILY_HORIZON, WEEKLY_HORIZON = 7, 14  # days ahead a digest looks

ESCALATIONS = (NotificationKind.REMINDER, NotificationKind.MISSED, NotificationKind.STALLED)


def reason_not_to_send(notification: Notification) -> str | None:
    """Why a made message should no longer go (closed deadline, inactive user, turned off)."""
    user = notification.user
    if not user.active:
        return "inactive user"
    if notification.kind in ESCALATIONS and not user.email_reminders:
        return "reminders turned off"
    if notification.kind == NotificationKind.DIGEST and user.digest == "off":
        return "digest turned off"
    if notification.kind == NotificationKind.TEAM_DIGEST and not user.team_digest:
        return "team digest turned off"
    if notification.deadline_id is not None:
        deadline = db.session.get(Deadline, notification.deadline_id)
        if deadline is None:
            return "deadline gone"
        if deadline.due_date.isoformat() != notification.details.get("due"):
            return "date changed"
        if notification.kind == NotificationKind.REMINDER and not deadline.is_open:
            return "deadline closed"
        if notification.kind == NotificationKind.MISSED and deadline.status not in (
            DeadlineStatus.OPEN,
            DeadlineStatus.MISSED,
        ):
            return "deadline met"
    if notification.kind == NotificationKind.REMINDER and not _on_team(notification):
        return "no longer on the case"
    return None


def _on_team(notification: Notification) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    case_assignments.c.case_id == notification.case_id,
                    case_assignments.c.user_id == notification.user_id,
                )
            )
        )
    )


@dataclass(frozen=True)
class Listed:
    """Up to LISTED rows of a kind, and how many there are in all."""

    rows: list
    total: int


def _listed(query, total_query) -> Listed:
    rows = list(db.session.scalars(query.limit(LISTED)))
    return Listed(rows, db.session.scalar(total_query) or 0)


def _deadlines_of(user: User):
    mine = select(case_assignments.c.case_id).where(case_assignments.c.user_id == user.id)
    return (
        select(Deadline)
        .join(Deadline.proceeding)
        .join(Proceeding.case)
        .options(contains_eager(Deadline.proceeding).contains_eager(Proceeding.case))
        .where(Deadline.status == DeadlineStatus.OPEN, Proceeding.case_id.in_(mine))
    )


def _total(query) -> object:
    return select(func.count()).select_from(query.order_by(None).subquery())


@dataclass(frozen=True)
class PersonalDigest:
    overdue: Listed
    coming: Listed
    hearings: Listed
    until: dt.date

    @property
    def is_empty(self) -> bool:
        return not (self.overdue.total or self.coming.total or self.hearings.total)


def personal_digest(user: User, today: dt.date, frequency: str) -> PersonalDigest:
    """Overdue and coming deadlines and hearings of the cases the person is on."""
    until = today + dt.timedelta(days=WEEKLY_HORIZON if frequency == "weekly" else DAILY_HORIZON)
    base = _deadlines_of(user)
    overdue = base.where(Deadline.due_date < today).order_by(Deadline.due_date, Deadline.id)
    coming = base.where(Deadline.due_date.between(today, until)).order_by(
        Deadline.due_date, Deadline.id
    )
    mine = select(case_assignments.c.case_id).where(case_assignments.c.user_id == user.id)
    hearings = (
        select(Hearing)
        .join(Hearing.case)
        .options(contains_eager(Hearing.case))
        .where(
            Hearing.case_id.in_(mine),
            Hearing.cancelled_at.is_(None),
            Hearing.starts_on.between(today, until),
        )
        .order_by(Hearing.starts_on, Hearing.starts_at, Hearing.id)
    )
    return PersonalDigest(
        _listed(overdue, _total(overdue)),
        _listed(coming, _total(coming)),
        _listed(hearings, _total(hearings)),
        until,
    )


@dataclass(frozen=True)
class TeamDigest:
    missed: Listed
    stuck_total: int
    stuck_rows: list[StuckRow]
    state_overdue: Listed
    unstaffed: Listed
    since: dt.date


def team_digest(today: dt.date, workflows: WorkflowSet) -> TeamDigest:
    """The coordinators' week: deadlines missed, proceedings stuck, the State's overdue
    answers, and cases with an open proceeding but no active lawyer on them."""
    since = today - dt.timedelta(days=7)
    ours = _all_deadlines().where(Deadline.party == Party.US)
    missed = ours.where(
        Deadline.due_date.between(since, today - dt.timedelta(days=1)),
        Deadline.status.in_([DeadlineStatus.OPEN, DeadlineStatus.MISSED]),
    ).order_by(Deadline.due_date, Deadline.id)
    state = (
        _all_deadlines()
        .where(
            Deadline.party == Party.STATE,
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.due_date < today,
        )
        .order_by(Deadline.due_date, Deadline.id)
    )
    stuck_total, stuck_rows = stuck(workflows.routes, Filters(), today, limit=LISTED)
    return TeamDigest(
        _listed(missed, _total(missed)),
        stuck_total,
        stuck_rows,
        _listed(state, _total(state)),
        _unstaffed(),
        since,
    )


def _all_deadlines():
    return (
        select(Deadline)
        .join(Deadline.proceeding)
        .join(Proceeding.case)
        .options(contains_eager(Deadline.proceeding).contains_eager(Proceeding.case))
    )


def _unstaffed() -> Listed:
    lawyer_on_case = exists().where(
        case_assignments.c.case_id == Case.id,
        case_assignments.c.user_id == User.id,
        User.active,
        User.role == Role.LAWYER,
    )
    running = exists().where(Proceeding.case_id == Case.id, Proceeding.closed_on.is_(None))
    query = select(Case).where(running, ~lawyer_on_case).order_by(Case.reference)
    return _listed(query, _total(query))
