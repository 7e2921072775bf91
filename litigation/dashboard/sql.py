"""Portable SQL pieces (date arithmetic on SQLite and PostgreSQL) and the dashboard filters."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Integer, case, literal_column, null, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from ..db import db
from ..models import Case, Deadline, Role, User, case_assignments
from ..workflows.spec import Period, Route, Unit

DEFAULT_STUCK_DAYS = 90
"""A stage without an expected duration counts as stuck after this many days without a step."""


class days_between(FunctionElement):
    """Whole days from the first date to the second."""

    type = Integer()
    inherit_cache = True


class later(FunctionElement):
    """The later of two dates."""

    type = Date()
    inherit_cache = True


class earlier(FunctionElement):
    """The earlier of two dates."""

    type = Date()
    inherit_cache = True


def _args(element: FunctionElement, compiler: Any, **kw: Any) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(days_between)
def _days_between(element, compiler, **kw) -> str:
    start, end = _args(element, compiler, **kw)
    return f"({end} - {start})"  # PostgreSQL: date - date is a number of days


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw) -> str:
    start, end = _args(element, compiler, **kw)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(later)
def _later(element, compiler, **kw) -> str:
    return f"greatest({', '.join(_args(element, compiler, **kw))})"


@compiles(later, "sqlite")
def _later_sqlite(element, compiler, **kw) -> str:
    return f"max({', '.join(_args(element, compiler, **kw))})"


@compiles(earlier)
def _earlier(element, compiler, **kw) -> str:
    return f"least({', '.join(_args(element, compiler, **kw))})"


@compiles(earlier, "sqlite")
def _earlier_sqlite(element, compiler, **kw) -> str:
    return f"min({', '.join(_args(element, compiler, **kw))})"


@dataclass(frozen=True)
class Filters:
    """What the coordinator narrowed the view to; None means everything."""

    jurisdiction: str | None = None
    route: str | None = None
    lawyer: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def narrows_cases(self) -> bool:
        return bool(self.jurisdiction or self.lawyer)


def deadline_open() -> ColumnElement[bool]:
    """The deadline is open: written as a constant, because SQLite uses the partial index of
    open deadlines only when the query names the very value of the index's condition."""
    return Deadline.status == literal_column("'open'")


def case_conditions(case_id: Any, filters: Filters) -> list[ColumnElement[bool]]:
    """Conditions keeping the rows whose case matches the jurisdiction and lawyer filters."""
    conditions = []
    if filters.jurisdiction:
        # A jurisdiction holds about half the cases: "+ 0" keeps the planner off the index on
        # case_id, so that SQLite reads covering indexes in order instead of case by case.
        cases = select(Case.id).where(Case.jurisdiction == filters.jurisdiction)
        conditions.append((case_id + 0).in_(cases))
    if filters.lawyer:
        assigned = select(case_assignments.c.case_id).where(
            case_assignments.c.user_id == filters.lawyer
        )
        conditions.append(case_id.in_(assigned))
    return conditions


def in_period(column: Any, filters: Filters) -> list[ColumnElement[bool]]:
    """Conditions keeping the rows whose date `column` lies in the filtered period."""
    conditions = []
    if filters.start:
        conditions.append(column >= filters.start)
    if filters.end:
        conditions.append(column <= filters.end)
    return conditions


def period_days(period: Period) -> int:
    """A period in calendar days: a month counts 30, a year 365, a working day 7/5."""
    if period.unit is Unit.WORKING_DAYS:
        return math.ceil(period.amount * 7 / 5)
    return period.amount * {Unit.DAYS: 1, Unit.MONTHS: 30, Unit.YEARS: 365}[period.unit]


def expected_days(routes: Iterable[Route]) -> dict[tuple[str, str], int]:
    """The expected duration in days of every stage that declares one."""
    return {
        (route.id, stage.id): period_days(stage.expected_duration)
        for route in routes
        for stage in route.stages
        if stage.expected_duration and not stage.final
    }


def per_stage(route: Any, stage: Any, values: Mapping[tuple[str, str], Any], default: Any) -> Any:
    """A CASE giving each (route, stage) its value, `default` (None: NULL) elsewhere."""
    otherwise = null() if default is None else default
    by_route: dict[str, dict[str, Any]] = defaultdict(dict)
    for (route_id, stage_id), value in values.items():
        by_route[route_id][stage_id] = value
    if not by_route:
        return otherwise
    return case(
        {
            route_id: case(stages, value=stage, else_=otherwise)
            for route_id, stages in by_route.items()
        },
        value=route,
        else_=otherwise,
    )


def lawyer_links() -> Any:
    """(case_id, user_id) of every lawyer assigned to a case."""
    return (
        select(case_assignments.c.case_id, case_assignments.c.user_id)
        .join(User, User.id == case_assignments.c.user_id)
        .where(User.role == Role.LAWYER)
        .subquery()
    )


def lawyer_names(case_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of the lawyers of each case, for the cases on one page of a list."""
    names: dict[int, list[str]] = defaultdict(list)
    links = lawyer_links()
    rows = db.session.execute(
        select(links.c.case_id, User.name)
        .join(User, User.id == links.c.user_id)
        .where(links.c.case_id.in_(list(case_ids)))
        .order_by(User.name)
    )
    for case_id, name in rows:
        names[case_id].append(name)
    return names
