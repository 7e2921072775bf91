"""Stage stays: how long each proceeding spent in each stage, derived from the event history.

A stay starts with a step (an event that enters a stage; corrections and overrides are
bookkeeping and start none) and lasts until the proceeding's next step, with corrected dates.
The operations keep the rows in line with the history, so the dashboard aggregates them without
replaying any history. `stay_durations` counts the finished stays per (jurisdiction, route,
stage, days): the medians over the whole history, or over one jurisdiction's, then read a table
whose size does not grow with the caseload.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..db import db
from ..models import Case, Event, Proceeding, StageStay, StayDuration
from ..workflows.engine import EventView
from .history import replay

Key = tuple[str, str, str, int]  # jurisdiction, route, stage, days
BATCH = 5000


@dataclass(frozen=True)
class Stay:
    event_id: int
    trigger: str
    stage: str
    entered_on: dt.date
    left_on: dt.date | None
    is_current: bool

    @property
    def days(self) -> int | None:
        return (self.left_on - self.entered_on).days if self.left_on else None


def stays_of(views: Sequence[EventView], closed: bool) -> list[Stay]:
    """The stays recorded by a proceeding's effective events (bookkeeping already dropped)."""
    steps = [view for view in views if view.to_stage is not None]
    stays = []
    for index, step in enumerate(steps):
        following = steps[index + 1] if index + 1 < len(steps) else None
        stays.append(
            Stay(
                event_id=step.id,
                trigger=step.trigger,
                stage=str(step.to_stage),
                entered_on=step.occurred_on,
                left_on=following.occurred_on if following else None,
                is_current=following is None and not closed,
            )
        )
    return stays


def stay_row(stay: Stay, proceeding_id: int, case_id: int, route: str) -> dict[str, Any]:
    """The stage_stays row of a stay."""
    return {
        "event_id": stay.event_id,
        "proceeding_id": proceeding_id,
        "case_id": case_id,
        "route": route,
        "trigger": stay.trigger,
        "stage": stay.stage,
        "entered_on": stay.entered_on,
        "left_on": stay.left_on,
        "days": stay.days,
        "is_current": stay.is_current,
    }


def _differs(row: StageStay, stay: Stay) -> bool:
    return (row.stage, row.entered_on, row.left_on, row.is_current, row.trigger) != (
        stay.stage,
        stay.entered_on,
        stay.left_on,
        stay.is_current,
        stay.trigger,
    )


def sync_stays(proceeding: Proceeding, views: Sequence[EventView]) -> None:
    """Bring the proceeding's stays, and the histogram, in line with its effective `views`."""
    wanted = {stay.event_id: stay for stay in stays_of(views, proceeding.closed_on is not None)}
    counts: Counter[Key] = Counter()
    where = proceeding.case.jurisdiction
    rows = db.session.scalars(select(StageStay).where(StageStay.proceeding_id == proceeding.id))
    for row in rows:
        stay = wanted.pop(row.event_id, None)
        if stay is not None and not _differs(row, stay):
            continue
        if row.days is not None:
            counts[(where, row.route, row.stage, row.days)] -= 1
        if stay is None:
            db.session.delete(row)
            continue
        for name, value in stay_row(stay, proceeding.id, proceeding.case_id, row.route).items():
            setattr(row, name, value)
        if stay.days is not None:
            counts[(where, row.route, stay.stage, stay.days)] += 1
    for stay in wanted.values():
        db.session.add(
            StageStay(**stay_row(stay, proceeding.id, proceeding.case_id, proceeding.route))
        )
        if stay.days is not None:
            counts[(where, proceeding.route, stay.stage, stay.days)] += 1
    db.session.flush()
    add_durations(db.session, db.session.get_bind().dialect.name, counts)


def add_durations(executor: Any, dialect: str, counts: Counter[Key]) -> None:
    """Add `counts` to the histogram; keys in a fixed order so that writers never deadlock."""
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    table = StayDuration.__table__
    for (jurisdiction, route, stage, days), number in sorted(counts.items()):
        if number == 0:
            continue
        values = {"jurisdiction": jurisdiction, "route": route, "stage": stage, "days": days}
        statement = insert(table).values(**values, stays=number)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.jurisdiction, table.c.route, table.c.stage, table.c.days],
            set_={"stays": table.c.stays + statement.excluded.stays},
        )
        executor.execute(statement)


def move_durations(case: Case, before: str) -> None:
    """Move the case's finished stays in the histogram from jurisdiction `before` to its own."""
    rows = db.session.execute(
        select(StageStay.route, StageStay.stage, StageStay.days, func.count())
        .where(StageStay.case_id == case.id, StageStay.days.is_not(None))
        .group_by(StageStay.route, StageStay.stage, StageStay.days)
    )
    counts: Counter[Key] = Counter()
    for route, stage, days, number in rows:
        counts[(before, route, stage, days)] -= number
        counts[(case.jurisdiction, route, stage, days)] += number
    add_durations(db.session, db.session.get_bind().dialect.name, counts)


def count_durations(connection: Any) -> None:
    """Recompute the whole histogram from the stays, in one statement."""
    s, table = StageStay, StayDuration.__table__
    connection.execute(delete(table))
    counted = (
        select(Case.jurisdiction, s.route, s.stage, s.days, func.count())
        .join(Case, Case.id == s.case_id)
        .where(s.days.is_not(None))
        .group_by(Case.jurisdiction, s.route, s.stage, s.days)
    )
    columns = ["jurisdiction", "route", "stage", "days", "stays"]
    connection.execute(table.insert().from_select(columns, counted))


def rebuild_stays(connection: Any, *, durations: bool = True) -> int:
    """Recompute every stay (and with `durations` the histogram) from the history; return the
    number of stays."""
    connection.execute(delete(StageStay.__table__))
    owners = {
        row.id: row
        for row in connection.execute(
            select(Proceeding.id, Proceeding.case_id, Proceeding.route, Proceeding.closed_on)
        )
    }
    events = connection.execute(
        select(
            Event.id,
            Event.proceeding_id,
            Event.trigger,
            Event.from_stage,
            Event.to_stage,
            Event.occurred_on,
            Event.facts,
        ).order_by(Event.proceeding_id, Event.id)
    )
    batch: list[dict[str, Any]] = []
    total = 0
    for proceeding_id, group in groupby(events, key=lambda event: event.proceeding_id):
        owner = owners[proceeding_id]
        for stay in stays_of(replay(group), owner.closed_on is not None):
            batch.append(stay_row(stay, owner.id, owner.case_id, owner.route))
        if len(batch) >= BATCH:
            connection.execute(StageStay.__table__.insert(), batch)
            total, batch = total + len(batch), []
    if batch:
        connection.execute(StageStay.__table__.insert(), batch)
    if durations:
        count_durations(connection)
    return total + len(batch)
