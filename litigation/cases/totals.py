"""Closed deadlines counted per (party, jurisdiction, authority, route, stage, rule), so that the
dashboard's time per party and the State's delays read a small table instead of every closed
deadline (most of the deadlines, and their number grows with the history).

A deadline counts here once it is closed (`kept`). It may still change: a corrected
date, an override, a deadline reopened or recomputed, a case moved to another jurisdiction or
authority. Every such writer goes through the session, so one place keeps the totals: before a
flush the touched cases' closed deadlines are counted from their rows and taken off, after it
counted again and added. Bulk writers (demo data, the migration) call `count_totals`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, case, cast, delete, event, func, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..models import Case, Deadline, DeadlineStatus, DeadlineTotal, Proceeding

Key = tuple[str, str, str, str, str, str]  # party, jurisdiction, authority, route, stage, rule
FIGURES = ("ran", "days", "missed", "days_late")
PENDING = "deadline_totals"  # session.info: the figures taken off before a flush


def kept() -> ColumnElement[bool]:
    """The deadline is counted in the totals: closed (every writer that closes a deadline
    dates its closing, so a closed deadline never runs on to today)."""
    return Deadline.status != DeadlineStatus.OPEN


def _days(start: Any, end: Any, dialect: str) -> Any:
    if dialect == "sqlite":
        return cast(func.julianday(end) - func.julianday(start), Integer)
    return end - start  # PostgreSQL: date - date is a number of days


def counted(dialect: str, case_ids: Iterable[int] | None = None) -> Any:
    """The totals counted from the deadline rows (of these cases only, if given)."""
    d = Deadline
    ran = d.closed_on > d.anchor_date
    missed = d.status == DeadlineStatus.MISSED
    key = (
        d.party,
        Case.jurisdiction,
        func.coalesce(Case.authority, ""),
        Proceeding.route,
        d.stage,
        d.rule,
    )
    query = (
        select(
            *key,
            func.sum(case((ran, 1), else_=0)),
            func.sum(case((ran, _days(d.anchor_date, d.closed_on, dialect)), else_=0)),
            func.sum(case((missed, 1), else_=0)),
            func.sum(case((missed, _days(d.due_date, d.closed_on, dialect)), else_=0)),
        )
        .join(Proceeding, Proceeding.id == d.proceeding_id)
        .join(Case, Case.id == Proceeding.case_id)
        .where(kept())
        .group_by(*key)
    )
    if case_ids is not None:
        query = query.where(Proceeding.case_id.in_(sorted(case_ids)))
    return query


def count_totals(connection: Any) -> None:
    """Recompute every total from the deadline rows, in one statement."""
    table = DeadlineTotal.__table__
    connection.execute(delete(table))
    columns = ["party", "jurisdiction", "authority", "route", "stage", "rule", *FIGURES]
    connection.execute(table.insert().from_select(columns, counted(connection.dialect.name)))


def add_totals(connection: Any, totals: dict[Key, Counter[str]]) -> None:
    """Add `totals` to the kept ones; keys in a fixed order so that writers never deadlock."""
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[connection.dialect.name]
    table = DeadlineTotal.__table__
    names = ("party", "jurisdiction", "authority", "route", "stage", "rule")
    for key, figures in sorted(totals.items()):
        if not any(figures.values()):
            continue
        values = {name: figures[name] for name in FIGURES}
        statement = insert(table).values(**dict(zip(names, key, strict=True)), **values)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c[name] for name in names],
            set_={name: table.c[name] + statement.excluded[name] for name in FIGURES},
        )
        connection.execute(statement)


def _read(connection: Any, case_ids: set[int], sign: int) -> dict[Key, Counter[str]]:
    totals: dict[Key, Counter[str]] = {}
    for chunk in _chunks(sorted(case_ids)):
        for row in connection.execute(counted(connection.dialect.name, chunk)):
            figures = totals.setdefault(tuple(row[:6]), Counter())
            for name, value in zip(FIGURES, row[6:], strict=True):
                figures[name] += sign * int(value or 0)
    return totals


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[first : first + 500] for first in range(0, len(ids), 500)]


def _touched_cases(session: Session) -> set[int]:
    """The cases whose closed deadlines this flush may change (known ids only: a case not yet
    inserted has no deadline rows to count off)."""
    cases: set[int] = set()
    proceedings: set[int] = set()
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, Deadline):
            if item.proceeding_id is not None:
                proceedings.add(item.proceeding_id)
            elif item.proceeding is not None:
                _add_owner(item.proceeding, proceedings, cases)
        elif item in session.new:
            continue  # a new case or proceeding: counted through its new deadlines
        elif isinstance(item, Case) and _moved(item, "jurisdiction", "authority"):
            cases.add(item.id)
        elif isinstance(item, Proceeding) and _moved(item, "route"):
            proceedings.add(item.id)
    if proceedings:
        found = select(Proceeding.case_id).where(Proceeding.id.in_(sorted(proceedings)))
        cases.update(session.connection().scalars(found))
    return cases


def _moved(item: Case | Proceeding, *names: str) -> bool:
    """A stored row whose key in the totals changes in this flush."""
    attributes = inspect(item).attrs
    return any(attributes[name].history.has_changes() for name in names)


def _add_owner(proceeding: Proceeding, proceedings: set[int], cases: set[int]) -> None:
    """A new deadline's proceeding, or the case of a proceeding not inserted yet."""
    if proceeding.id is not None:
        proceedings.add(proceeding.id)
    elif proceeding.case_id is not None:
        cases.add(proceeding.case_id)
    elif proceeding.case is not None and proceeding.case.id is not None:
        cases.add(proceeding.case.id)


@event.listens_for(Session, "before_flush")
def _count_off(session: Session, _context: Any, _instances: Any) -> None:
    session.info.pop(PENDING, None)  # left by a flush that failed
    cases = _touched_cases(session)
    if cases:
        session.info[PENDING] = (cases, _read(session.connection(), cases, -1))


@event.listens_for(Session, "after_flush")
def _count_in(session: Session, _context: Any) -> None:
    before, totals = session.info.pop(PENDING, (set(), {}))
    cases = before | _touched_cases(session)
    if not cases:
        return
    for key, figures in _read(session.connection(), cases, 1).items():
        totals.setdefault(key, Counter()).update(figures)
    add_totals(session.connection(), totals)
