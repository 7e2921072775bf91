"""Stored deadlines: opened when a stage is entered, closed when it is left, recomputed when
a date is corrected. A lawyer's override is never clobbered by a recomputation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..db import db, utcnow
from ..models import Deadline, DeadlineStatus, Event, Proceeding
from ..workflows.engine import EventView, closing_status, current_facts, plan_deadlines
from ..workflows.loaded import Registry
from ..workflows.spec import DeadlineRule, WorkflowSet


@dataclass(frozen=True)
class DeadlineChange:
    deadline: Deadline
    before: dt.date
    after: dt.date
    overridden: bool  # the due date shown stays the lawyer's override


def rule_of(workflows: WorkflowSet, deadline: Deadline) -> DeadlineRule | None:
    """The rule version a stored deadline was computed from, if the file still has it."""
    route = deadline.proceeding.route
    return workflows.rule_for(route, deadline.stage, deadline.rule, deadline.anchor_date)


def open_deadlines(
    registry: Registry, proceeding: Proceeding, event: Event, facts: Mapping[str, Any]
) -> list[Deadline]:
    """Store the deadlines the proceeding has in its stage, entered by `event`."""
    route = registry.route(proceeding.route)
    planned = plan_deadlines(registry.calendars, route, proceeding.stage, facts, event.occurred_on)
    opened = []
    for plan in planned:
        deadline = Deadline(
            proceeding=proceeding,
            event=event,
            rule=plan.rule.name,
            stage=plan.stage,
            kind=plan.rule.kind.value,
            party=plan.rule.party.value,
            legal_basis=plan.rule.legal_basis,
            verified=plan.rule.verified,
            calendar=plan.calendar,
            anchor_date=plan.anchor_date,
            computed_due=plan.due,
            due_date=plan.due,
            status=DeadlineStatus.OPEN,
        )
        db.session.add(deadline)
        opened.append(deadline)
    db.session.flush()
    return opened


def close_deadlines(
    registry: Registry, proceeding: Proceeding, stage: str, event: Event
) -> list[Deadline]:
    """Close the open deadlines of `stage`, left by `event`: met, missed or cancelled."""
    closed = []
    for deadline in proceeding.deadlines:
        if deadline.status != DeadlineStatus.OPEN or deadline.stage != stage:
            continue
        deadline.status = _status(registry.workflows, deadline, event.trigger, event.occurred_on)
        deadline.closed_by_event_id = event.id
        deadline.closed_on = event.occurred_on
        deadline.updated_at = utcnow()
        closed.append(deadline)
    return closed


def _status(workflows: WorkflowSet, deadline: Deadline, trigger: str, day: dt.date) -> str:
    rule = rule_of(workflows, deadline)
    if rule is None:
        return DeadlineStatus.MET if day <= deadline.due_date else DeadlineStatus.MISSED
    return closing_status(rule, trigger, day, deadline.due_date)


def recompute_deadlines(
    registry: Registry, proceeding: Proceeding, views: list[EventView]
) -> list[DeadlineChange]:
    """Recompute every deadline from the dates as they stand in `views`; return those moved."""
    route = registry.route(proceeding.route)
    position = {view.id: index for index, view in enumerate(views)}
    changes = []
    for deadline in proceeding.deadlines:
        if deadline.status == DeadlineStatus.CANCELLED or deadline.event_id not in position:
            continue
        if not route.has_stage(deadline.stage):
            continue
        index = position[deadline.event_id]
        facts = current_facts(registry.workflows, views[: index + 1])
        plans = plan_deadlines(
            registry.calendars, route, deadline.stage, facts, views[index].occurred_on
        )
        plan = next((p for p in plans if p.rule.name == deadline.rule), None)
        if plan is None:
            continue
        change = _move(deadline, plan.due, plan.anchor_date)
        _reassess_closed(registry.workflows, deadline, views, position)
        if change:
            changes.append(change)
    return changes


def _move(deadline: Deadline, due: dt.date, anchor: dt.date) -> DeadlineChange | None:
    if due == deadline.computed_due and anchor == deadline.anchor_date:
        return None
    before = deadline.due_date
    deadline.anchor_date = anchor
    deadline.computed_due = due
    if deadline.override_due is None:
        deadline.due_date = due
        deadline.sequence += 1
    deadline.updated_at = utcnow()
    return DeadlineChange(deadline, before, deadline.due_date, deadline.override_due is not None)


def _reassess_closed(
    workflows: WorkflowSet, deadline: Deadline, views: list[EventView], position: dict[int, int]
) -> None:
    closing_id = deadline.closed_by_event_id
    if deadline.status == DeadlineStatus.OPEN or closing_id not in position:
        return
    closing = views[position[closing_id]]
    rule = rule_of(workflows, deadline)
    if rule is not None:
        deadline.status = closing_status(
            rule, closing.trigger, closing.occurred_on, deadline.due_date
        )
    deadline.closed_on = closing.occurred_on
