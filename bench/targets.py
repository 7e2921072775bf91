"""What the benchmark opens, found in the generated data: a busy case, a real reference and
name, and enough open proceedings for every step fired and every date corrected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from litigation.cases import ProceedingState
from litigation.db import db
from litigation.models import (
    Case,
    Deadline,
    Document,
    Event,
    Hearing,
    Proceeding,
    Survivor,
)
from litigation.registry import current_registry
from litigation.workflows.engine import OVERRIDE

# Steps that need more than the form's defaults (a file, a route to choose) are skipped.
SKIPPED = {OVERRIDE, "open"}


@dataclass
class Targets:
    case_id: int
    reference: str
    surname: str
    deadline_id: int
    steps: list[tuple[int, int, str]] = field(default_factory=list)  # case, proceeding, trigger
    corrections: list[tuple[int, int]] = field(default_factory=list)  # case, event


def find_targets(today: dt.date, needed: int) -> Targets:
    """The case with the most proceedings among those with a hearing and a document."""
    busy = (
        select(Case.id)
        .join(Proceeding, Proceeding.case_id == Case.id)
        .where(Case.id.in_(select(Hearing.case_id)), Case.id.in_(select(Document.case_id)))
        .group_by(Case.id)
        .order_by(func.count().desc(), Case.id)
        .limit(1)
    )
    case = db.session.get(Case, db.session.scalar(busy))
    deadline = db.session.scalar(
        select(Deadline.id).join(Proceeding).where(Proceeding.case_id == case.id).limit(1)
    )
    survivor = db.session.get(Survivor, case.survivor_id)
    steps, corrections = _writes(today, needed)
    return Targets(case.id, case.reference, survivor.name.split()[-1], deadline, steps, corrections)


def _writes(today: dt.date, needed: int) -> tuple[list, list]:
    """Open proceedings with an available step (fired) and a last step (corrected): each
    timed POST gets its own, so that no run repeats another's work."""
    registry = current_registry()
    steps: list[tuple[int, int, str]] = []
    corrections: list[tuple[int, int]] = []
    query = (
        select(Proceeding)
        .where(Proceeding.closed_on.is_(None), Proceeding.version > 1)
        .order_by(Proceeding.id.desc())
        .limit(needed * 6)
    )
    for proceeding in db.session.scalars(query):
        if len(steps) < needed:
            trigger = _available_step(registry, proceeding, today)
            if trigger:
                steps.append((proceeding.case_id, proceeding.id, trigger))
                continue
        if len(corrections) < needed:
            last = _correctable(proceeding, today)
            if last:
                corrections.append((proceeding.case_id, last))
    return steps, corrections


def _correctable(proceeding: Proceeding, today: dt.date) -> int | None:
    """The last step, if it came a day or more after the one before (a day earlier is
    then a date the form accepts), and before today (not a step an earlier run fired)."""
    query = (
        select(Event.id, Event.occurred_on, Event.trigger)
        .where(Event.proceeding_id == proceeding.id)
        .order_by(Event.id.desc())
        .limit(2)
    )
    rows = db.session.execute(query).all()
    if len(rows) < 2 or rows[0].trigger in SKIPPED or rows[0].occurred_on >= today:
        return None
    if rows[0].occurred_on <= rows[1].occurred_on:
        return None
    return rows[0].id


def _available_step(registry, proceeding: Proceeding, today: dt.date) -> str | None:
    route = registry.route(proceeding.route)
    for step in ProceedingState.of(registry, proceeding, today).steps:
        transition = step.transition
        if step.available and not transition.opens and not route.stage(transition.dest).final:
            return transition.trigger
    return None
