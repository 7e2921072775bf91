"""Deadlines seen from above: who holds the ball, the State's delays, risk, workload, trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, case, cast, func, literal, or_, select

from ..db import db
from ..models import Case, Deadline, DeadlineStatus, Proceeding, Role, StageStay, User
from . import kept
from .sql import (
    Filters,
    case_conditions,
    days_between,
    deadline_open,
    earlier,
    in_period,
    later,
    lawyer_links,
)

SOON_DAYS = 7
RISK = "risk"  # overdue or due within SOON_DAYS
SHOWS = (RISK, "overdue", "open")


@dataclass(frozen=True)
class DeadlineRow:
    case_id: int
    reference: str
    route: str
    stage: str
    rule: str
    party: str
    due_date: dt.date
    days_left: int
    anchor_date: dt.date  # which version of the rule it was computed with


def _proceeding_conditions(filters: Filters) -> list[Any]:
    conditions = case_conditions(Proceeding.case_id, filters)
    if filters.route:
        conditions.append(Proceeding.route == filters.route)
    return conditions


def _count(condition: Any) -> Any:
    return cast(func.sum(case((condition, 1), else_=0)), Integer)


def _overdue(today: dt.date) -> Any:
    return and_(deadline_open(), Deadline.due_date < today)


def _soon(today: dt.date) -> Any:
    horizon = today + dt.timedelta(days=SOON_DAYS)
    return and_(deadline_open(), Deadline.due_date.between(today, horizon))


def ball(filters: Filters, today: dt.date) -> list[Any]:
    """Per party: deadlines that ran in the period, the days they ran, open and overdue now."""
    if kept.usable(filters):
        return kept.ball(filters, list(db.session.execute(_ball(filters, today, kept.live()))))
    return list(db.session.execute(_ball(filters, today)))


def _ball(filters: Filters, today: dt.date, *only: Any) -> Any:
    start = Deadline.anchor_date
    end = func.coalesce(Deadline.closed_on, literal(today))
    if filters.start:
        start = later(start, literal(filters.start))
    if filters.end:
        end = earlier(end, literal(filters.end))
    running = days_between(start, end)
    query = select(
        Deadline.party,
        func.count().label("deadlines"),
        cast(func.sum(running), Integer).label("days"),
        _count(deadline_open()).label("open"),
        _count(_overdue(today)).label("overdue"),
    )
    conditions = _proceeding_conditions(filters)
    if conditions:
        query = query.join(Proceeding, Proceeding.id == Deadline.proceeding_id)
    query = query.where(running > 0, *only, *conditions).group_by(Deadline.party)
    return query.order_by(Deadline.party)


def state_delays(filters: Filters, today: dt.date) -> list[Any]:
    """The State's answers overdue now or given late, per authority and rule."""
    days_late = days_between(Deadline.due_date, func.coalesce(Deadline.closed_on, literal(today)))
    if kept.usable(filters):
        # The open ones only (the totals hold the late answers): read from their index.
        summed = (func.sum(days_late).label("days_late"), func.count().label("rows"))
        live = _state_delays(filters, summed, Deadline.party == "state", _overdue(today))
        return kept.state_delays(filters, list(db.session.execute(live)))
    late = or_(_overdue(today), Deadline.status == DeadlineStatus.MISSED)
    average = (cast(func.avg(days_late), Integer).label("average_days_late"),)
    # "|| ''": read the late ones by status, in table order, not through the party index
    # (ordered by due date, which would fetch the rows in random order).
    query = _state_delays(filters, average, Deadline.party + "" == "state", late)
    order = (func.count().desc(), Case.authority, Proceeding.route, Deadline.rule)
    return list(db.session.execute(query.order_by(*order)))


def _state_delays(filters: Filters, figures: tuple, *where: Any) -> Any:
    return (
        select(
            Case.authority,
            Proceeding.route,
            Deadline.stage,
            Deadline.rule,
            _count(deadline_open()).label("overdue"),
            _count(Deadline.status == DeadlineStatus.MISSED).label("late"),
            *figures,
        )
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .join(Case, Case.id == Proceeding.case_id)
        .where(*where, *_proceeding_conditions(filters), *in_period(Deadline.due_date, filters))
        .group_by(Case.authority, Proceeding.route, Deadline.stage, Deadline.rule)
    )


def risk_by_route(filters: Filters, today: dt.date) -> list[Any]:
    """Per route: deadlines overdue and due within a week."""
    return list(
        db.session.execute(
            select(
                Proceeding.route,
                _count(_overdue(today)).label("overdue"),
                _count(_soon(today)).label("soon"),
            )
            .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
            .where(deadline_open(), *_proceeding_conditions(filters))
            .group_by(Proceeding.route)
            .order_by(Proceeding.route)
        )
    )


def risk_by_lawyer(filters: Filters, today: dt.date) -> list[Any]:
    """Per lawyer (None: cases without one): deadlines overdue and due within a week."""
    links = lawyer_links()
    counted = (
        select(
            links.c.user_id,
            _count(_overdue(today)).label("overdue"),
            _count(_soon(today)).label("soon"),
        )
        .select_from(Deadline)
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .outerjoin(links, links.c.case_id == Proceeding.case_id)
        .where(deadline_open(), *_proceeding_conditions(filters))
        .group_by(links.c.user_id)
        .subquery()
    )
    return list(
        db.session.execute(
            select(counted.c.user_id, User.name, counted.c.overdue, counted.c.soon)
            .outerjoin(User, User.id == counted.c.user_id)
            .order_by(counted.c.overdue.desc(), User.name)
        )
    )


def deadline_list(
    filters: Filters,
    today: dt.date,
    *,
    show: str = RISK,
    stage: str | None = None,
    party: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[DeadlineRow]]:
    """Open deadlines (all, overdue, or overdue and due within a week), the soonest first."""
    conditions = [deadline_open(), *_proceeding_conditions(filters)]
    if show == "overdue":
        conditions.append(Deadline.due_date < today)
    elif show == RISK:
        conditions.append(Deadline.due_date <= today + dt.timedelta(days=SOON_DAYS))
    if stage:
        conditions.append(Deadline.stage == stage)
    if party:
        conditions.append(Deadline.party == party)
    base = select(Deadline).join(Proceeding, Proceeding.id == Deadline.proceeding_id)
    total = db.session.scalar(select(func.count()).select_from(base.where(*conditions).subquery()))
    query = (
        select(
            Proceeding.case_id,
            Case.reference,
            Proceeding.route,
            Deadline.stage,
            Deadline.rule,
            Deadline.party,
            Deadline.due_date,
            days_between(literal(today), Deadline.due_date),
            Deadline.anchor_date,
        )
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .join(Case, Case.id == Proceeding.case_id)
        .where(*conditions)
        .order_by(Deadline.due_date, Case.reference, Deadline.id)
        .limit(limit)
        .offset(offset)
    )
    return total or 0, [DeadlineRow(*row) for row in db.session.execute(query)]


def monthly(
    filters: Filters, start: dt.date, end: dt.date, today: dt.date
) -> dict[str, tuple[int, int]]:
    """Per month 'YYYY-MM' of [start, end]: steps taken and deadlines missed (by due date)."""
    period = Filters(filters.jurisdiction, filters.route, filters.lawyer, start, end)
    # Counted per day, then folded into months here: a month's text computed in SQL for each of
    # hundreds of thousands of rows costs more than the counting.
    day = StageStay.entered_on
    steps = select(day, func.count()).where(
        StageStay.trigger != "open",
        *case_conditions(StageStay.case_id, period),
        *in_period(StageStay.entered_on, period),
        *([StageStay.route == filters.route] if filters.route else []),
    )
    passed = or_(
        Deadline.status == DeadlineStatus.MISSED,
        and_(deadline_open(), Deadline.due_date < today),
    )
    missed = select(Deadline.due_date, func.count()).where(
        passed, *in_period(Deadline.due_date, period)
    )
    conditions = _proceeding_conditions(period)
    if conditions:
        missed = missed.join(Proceeding, Proceeding.id == Deadline.proceeding_id).where(*conditions)
    counts: dict[str, list[int]] = {}
    for index, query in enumerate((steps.group_by(day), missed.group_by(Deadline.due_date))):
        for date, number in db.session.execute(query):
            counts.setdefault(f"{date.year:04d}-{date.month:02d}", [0, 0])[index] += number
    return {key: (value[0], value[1]) for key, value in sorted(counts.items())}


def workload(filters: Filters, today: dt.date) -> list[Any]:
    """Per lawyer: open cases and proceedings, open and overdue deadlines."""
    links = lawyer_links()
    open_proceedings = (
        select(
            links.c.user_id,
            func.count(func.distinct(Proceeding.case_id)).label("cases"),
            func.count().label("proceedings"),
        )
        .join(Proceeding, Proceeding.case_id == links.c.case_id)
        .where(Proceeding.closed_on.is_(None), *_proceeding_conditions(filters))
        .group_by(links.c.user_id)
        .subquery()
    )
    deadlines = (
        select(
            links.c.user_id,
            func.count().label("open"),
            _count(Deadline.due_date < today).label("overdue"),
        )
        .join(Proceeding, Proceeding.case_id == links.c.case_id)
        .join(Deadline, Deadline.proceeding_id == Proceeding.id)
        .where(deadline_open(), *_proceeding_conditions(filters))
        .group_by(links.c.user_id)
        .subquery()
    )
    query = (
        select(
            User.id,
            User.name,
            func.coalesce(open_proceedings.c.cases, 0),
            func.coalesce(open_proceedings.c.proceedings, 0),
            func.coalesce(deadlines.c.open, 0),
            func.coalesce(deadlines.c.overdue, 0),
        )
        .outerjoin(open_proceedings, open_proceedings.c.user_id == User.id)
        .outerjoin(deadlines, deadlines.c.user_id == User.id)
        .where(User.role == Role.LAWYER, User.active)
        .order_by(func.coalesce(deadlines.c.overdue, 0).desc(), User.name)
    )
    if filters.lawyer:
        query = query.where(User.id == filters.lawyer)
    return list(db.session.execute(query))
