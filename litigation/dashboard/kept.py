"""Who holds the ball and the State's delays from the kept totals of closed deadlines
(`deadline_totals`, kept by litigation/cases/totals.py) added to the deadlines still open,
instead of every closed deadline. The totals have no dates and no lawyers: a period or a
lawyer filter reads the deadlines themselves."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from ..db import db
from ..models import DeadlineTotal
from .sql import Filters, deadline_open


class BallRow(NamedTuple):
    party: str
    deadlines: int
    days: int
    open: int
    overdue: int


class DelayRow(NamedTuple):
    authority: str | None
    route: str
    stage: str
    rule: str
    overdue: int
    late: int
    average_days_late: int


def usable(filters: Filters) -> bool:
    """The totals answer these filters (jurisdiction and route are in their key)."""
    return not (filters.start or filters.end or filters.lawyer)


def live() -> ColumnElement[bool]:
    """The deadlines the totals do not count: the open ones (read from their covering index)."""
    return deadline_open()


def _where(filters: Filters) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.jurisdiction:
        conditions.append(DeadlineTotal.jurisdiction == filters.jurisdiction)
    if filters.route:
        conditions.append(DeadlineTotal.route == filters.route)
    return conditions


def ball(filters: Filters, counted: Sequence[Any]) -> list[BallRow]:
    """Per party: the kept closed deadlines that ran, added to `counted` (the live ones)."""
    t = DeadlineTotal
    totals = db.session.execute(
        select(t.party, func.sum(t.ran), func.sum(t.days))
        .where(t.ran > 0, *_where(filters))
        .group_by(t.party)
    )
    rows = {row.party: [row.deadlines, row.days or 0, row.open, row.overdue] for row in counted}
    for party, ran, days in totals:
        figures = rows.setdefault(party, [0, 0, 0, 0])
        figures[0] += int(ran)
        figures[1] += int(days)
    return [BallRow(party, *figures) for party, figures in sorted(rows.items())]


def state_delays(filters: Filters, counted: Sequence[Any]) -> list[DelayRow]:
    """Per authority and rule: the kept missed deadlines added to `counted` (the live late ones,
    with `days_late` summed over `rows`)."""
    t = DeadlineTotal
    totals = db.session.execute(
        select(t.authority, t.route, t.stage, t.rule, func.sum(t.missed), func.sum(t.days_late))
        .where(t.party == "state", t.missed > 0, *_where(filters))
        .group_by(t.authority, t.route, t.stage, t.rule)
    )
    groups: dict[tuple, list[int]] = {}
    for row in counted:
        key = (row.authority or "", row.route, row.stage, row.rule)
        groups[key] = [row.overdue, row.late, row.days_late, row.rows]
    for authority, route, stage, rule, missed, days_late in totals:
        figures = groups.setdefault((authority, route, stage, rule), [0, 0, 0, 0])
        figures[1] += int(missed)
        figures[2] += int(days_late)
        figures[3] += int(missed)
    dialect = db.session.get_bind().dialect.name
    rows = [
        DelayRow(authority or None, route, stage, rule, overdue, late, _average(days, n, dialect))
        for (authority, route, stage, rule), (overdue, late, days, n) in groups.items()
    ]
    return sorted(rows, key=lambda row: _order(row, dialect))


def _average(total: int, number: int, dialect: str) -> int:
    """CAST(avg(...) AS INTEGER) as the database gives it: PostgreSQL rounds its numeric
    average half away from zero, SQLite truncates its floating one."""
    if dialect == "sqlite":
        return int(total / number)
    exact = Fraction(total, number)
    rounded = int(abs(exact) + Fraction(1, 2))
    return rounded if exact >= 0 else -rounded


def _order(row: DelayRow, dialect: str) -> tuple:
    """The most delays first, then by authority (no authority last on PostgreSQL, first on
    SQLite, as each sorts NULL), route and rule."""
    missing = row.authority is None
    return (
        -(row.overdue + row.late),
        not missing if dialect == "sqlite" else missing,
        row.authority or "",
        row.route,
        row.rule,
    )


__all__ = ["BallRow", "DelayRow", "ball", "live", "state_delays", "usable"]
