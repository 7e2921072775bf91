"""Bottlenecks per route and stage, and the proceedings stuck in their stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Integer, case, cast, func, literal_column, select, union_all

from ..db import db
from ..models import Case, Deadline, Proceeding, StageStay, StayDuration
from ..workflows.spec import Route
from .sql import (
    DEFAULT_STUCK_DAYS,
    Filters,
    case_conditions,
    days_between,
    deadline_open,
    expected_days,
    in_period,
    per_stage,
)

MEDIAN = (1, 2)
P90 = (9, 10)


@dataclass(frozen=True)
class StageFigures:
    """One row of the bottleneck table."""

    route: str
    stage: str
    now: int  # proceedings in the stage now
    over: int | None  # of those, how many exceed the expected duration (None: none declared)
    stays: int  # current and past stays the median and p90 are computed over
    median: float | None  # days
    p90: float | None
    open_deadlines: int
    overdue: int
    expected: int | None  # days


@dataclass(frozen=True)
class StuckRow:
    case_id: int
    reference: str
    jurisdiction: str
    proceeding_id: int
    route: str
    stage: str
    since: dt.date  # the date of the last step
    days: int
    limit: int  # the expected duration, or the default
    next_due: dt.date | None


def _stay_conditions(filters: Filters) -> list[Any]:
    conditions = case_conditions(StageStay.case_id, filters)
    conditions += in_period(StageStay.entered_on, filters)
    if filters.route:
        conditions.append(StageStay.route == filters.route)
    return conditions


def _count() -> Any:
    # An int, not PostgreSQL's bigint: sums of bigints are numeric, several times slower.
    return cast(func.count(), Integer)


def _finished(filters: Filters) -> Any:
    """(route, stage, days, n) of the finished stays: the histogram unless a lawyer or a
    period narrows them (it is kept per jurisdiction)."""
    zeros = (literal_column("0").label("now"), literal_column("0").label("over"))
    if filters.lawyer or filters.start or filters.end:
        s = StageStay
        return (
            select(s.route, s.stage, s.days, _count().label("n"), *zeros)
            .where(s.days.is_not(None), *_stay_conditions(filters))
            .group_by(s.route, s.stage, s.days)
        )
    d = StayDuration
    n = cast(func.sum(d.stays), Integer).label("n")
    query = select(d.route, d.stage, d.days, n, *zeros).where(d.stays > 0)
    if filters.jurisdiction:
        query = query.where(d.jurisdiction == filters.jurisdiction)
    if filters.route:
        query = query.where(d.route == filters.route)
    return query.group_by(d.route, d.stage, d.days)


def _current(filters: Filters, today: dt.date, expected: Mapping[tuple[str, str], int]) -> Any:
    """(route, stage, days, n, now, over) of the stays going on, grouped by their first day."""
    s = StageStay
    cutoffs = {key: today - dt.timedelta(days=days) for key, days in expected.items()}
    cutoff = per_stage(s.route, s.stage, cutoffs, None)
    over = case((s.entered_on < cutoff, _count()), else_=0) if cutoffs else literal_column("0")
    return (
        select(
            s.route,
            s.stage,
            days_between(s.entered_on, today).label("days"),
            _count().label("n"),
            _count().label("now"),
            over.label("over"),
        )
        .where(s.is_current, *_stay_conditions(filters))
        .group_by(s.route, s.stage, s.entered_on)
    )


def _percentile(window: Any, share: tuple[int, int]) -> Any:
    """Linear interpolation between ranks, as PostgreSQL's percentile_cont, over counted days."""
    numerator, denominator = share
    position = numerator * (window.c.total - 1)
    low = position // denominator
    high = low + case((position % denominator > 0, 1), else_=0)
    at_low = func.min(case((window.c.cum > low, window.c.days)))
    at_high = func.min(case((window.c.cum > high, window.c.days)))
    rest = (numerator * (func.max(window.c.total) - 1)) % denominator
    return at_low + cast(at_high - at_low, Float) * rest / denominator


def duration_query(filters: Filters, today: dt.date, expected: Mapping[tuple[str, str], int]):
    """Per (route, stage): stays, now, over, median and p90 of the days spent in the stage."""
    union = union_all(_finished(filters), _current(filters, today, expected)).subquery()
    u = union.c
    partition = (u.route, u.stage)
    # Both windows share the partition: the database sorts the rows once.
    running = func.sum(u.n).over(partition_by=partition, order_by=u.days, rows=(None, 0))
    window = select(
        u.route,
        u.stage,
        u.days,
        u.now,
        u.over,
        cast(running, Integer).label("cum"),
        cast(func.sum(u.n).over(partition_by=partition), Integer).label("total"),
    ).subquery()
    w = window.c
    return select(
        w.route,
        w.stage,
        func.max(w.total).label("stays"),
        cast(func.sum(w.now), Integer).label("now"),
        cast(func.sum(w.over), Integer).label("over"),
        _percentile(window, MEDIAN).label("median"),
        _percentile(window, P90).label("p90"),
    ).group_by(w.route, w.stage)


def deadline_query(filters: Filters, today: dt.date) -> Any:
    """Per (route, stage): open deadlines and how many of them are overdue."""
    overdue = func.sum(case((Deadline.due_date < today, 1), else_=0))
    query = (
        select(
            Proceeding.route,
            Deadline.stage,
            func.count().label("open"),
            cast(overdue, Integer).label("overdue"),
        )
        .join(Proceeding, Proceeding.id == Deadline.proceeding_id)
        .where(deadline_open(), *case_conditions(Proceeding.case_id, filters))
        .group_by(Proceeding.route, Deadline.stage)
    )
    return query.where(Proceeding.route == filters.route) if filters.route else query


def bottlenecks(
    routes: Mapping[str, Route], filters: Filters, today: dt.date
) -> list[StageFigures]:
    """Every stage with stays or open deadlines, the worst first."""
    expected = expected_days(routes.values())
    durations = {
        (row.route, row.stage): row
        for row in db.session.execute(duration_query(filters, today, expected))
    }
    deadlines = {
        (row.route, row.stage): row for row in db.session.execute(deadline_query(filters, today))
    }
    rows = []
    for key in set(durations) | set(deadlines):
        stays, due = durations.get(key), deadlines.get(key)
        rows.append(
            StageFigures(
                route=key[0],
                stage=key[1],
                now=stays.now if stays else 0,
                over=(stays.over if stays else 0) if key in expected else None,
                stays=stays.stays if stays else 0,
                median=stays.median if stays else None,
                p90=stays.p90 if stays else None,
                open_deadlines=due.open if due else 0,
                overdue=due.overdue if due else 0,
                expected=expected.get(key),
            )
        )
    return sorted(rows, key=_worst_first)


def _worst_first(row: StageFigures) -> tuple:
    return (-(row.over or 0), -row.overdue, -(row.median or 0), -row.now, row.route, row.stage)


def stuck(
    routes: Mapping[str, Route],
    filters: Filters,
    today: dt.date,
    *,
    stage: str | None = None,
    everyone: bool = False,
    default_days: int = DEFAULT_STUCK_DAYS,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[StuckRow]]:
    """Proceedings without a step for longer than their stage's expected duration (or all)."""
    s = StageStay
    limits = expected_days(routes.values())
    days_allowed = per_stage(s.route, s.stage, limits, default_days)
    conditions = [s.is_current, *_stay_conditions(filters)]
    if stage:
        conditions.append(s.stage == stage)
    if not everyone:
        cutoffs = {key: today - dt.timedelta(days=days) for key, days in limits.items()}
        default_cutoff = today - dt.timedelta(days=default_days)
        conditions.append(s.entered_on < per_stage(s.route, s.stage, cutoffs, default_cutoff))
    total = db.session.scalar(select(func.count()).select_from(s).where(*conditions)) or 0
    days = days_between(s.entered_on, today)
    next_due = (
        select(func.min(Deadline.due_date))
        .where(Deadline.proceeding_id == s.proceeding_id, deadline_open())
        .scalar_subquery()
    )
    query = (
        select(
            s.case_id,
            Case.reference,
            Case.jurisdiction,
            s.proceeding_id,
            s.route,
            s.stage,
            s.entered_on,
            days,
            days_allowed,
            next_due,
        )
        .join(Case, Case.id == s.case_id)
        .where(*conditions)
        # By the days (an expression), not by entered_on: ordering by an indexed column tempts
        # both planners into walking every stay in date order for the first page.
        .order_by(days.desc(), s.proceeding_id)
        .limit(limit)
        .offset(offset)
    )
    return total, [StuckRow(*row) for row in db.session.execute(query)]
