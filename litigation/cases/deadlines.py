"""Stored deadlines: opened when a stage is entered, closed when it is left, recomputed when
a date is corrected. A lawyer's override is never clobbered by a recomputation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..db import db, utcnow
from ..models import Deadline, DeadlineStatus, Event, Proceeding
from ..workflows.calendar import Provisional
from ..workflows.engine import (
    EventView,
    PlannedDeadline,
    closing_status,
    current_facts,
    plan_deadlines,
)
from ..workflows.fingerprints import rule_fingerprint
from ..workflows.loaded import Registry
from ..workflows.spec import DeadlineRule, WorkflowSet


@dataclass(frozen=True)
class DeadlineChange:
    deadline: Deadline
    before: dt.date | None  # None: opened now, by a date recorded later
    after: dt.date
    overridden: bool  # the due date shown stays the lawyer's override


def rule_of(
    workflows: WorkflowSet, deadline: Deadline, fingerprints: dict | None = None
) -> DeadlineRule | None:
    """The rule version a stored deadline was computed from, if the file still has it.

    Versions in force on the same day can differ by `when` (KZ CPC art. 105(2): 3 or 7
    days by the complaint's subject): the one whose fingerprint the deadline kept wins.
    `fingerprints` remembers them by object for a caller that asks for thousands of
    deadlines at once while `workflows` lives (hashing a rule's whole spec takes longer).
    """
    route = deadline.proceeding.route
    versions = workflows.rule_versions(route, deadline.stage, deadline.rule, deadline.anchor_date)
    calendar = workflows.calendars.get(deadline.calendar)
    for rule in versions:
        if fingerprints is None:
            fingerprint = rule_fingerprint(rule, calendar)
        elif (fingerprint := fingerprints.get((id(rule), id(calendar)))) is None:
            fingerprint = fingerprints[id(rule), id(calendar)] = rule_fingerprint(rule, calendar)
        if fingerprint == deadline.fingerprint:
            return rule
    return (
        versions[0]
        if versions
        else workflows.rule_for(route, deadline.stage, deadline.rule, deadline.anchor_date)
    )


def open_deadlines(
    registry: Registry, proceeding: Proceeding, event: Event, facts: Mapping[str, Any]
) -> list[Deadline]:
    """Store the deadlines the proceeding has in its stage, entered by `event`."""
    route = registry.route(proceeding.route)
    planned = plan_deadlines(registry.calendars, route, proceeding.stage, facts, event.occurred_on)
    opened = [open_planned(registry, proceeding, event, plan) for plan in planned]
    db.session.flush()
    return opened


def open_planned(
    registry: Registry, proceeding: Proceeding, event: Event, plan: PlannedDeadline
) -> Deadline:
    """Store one planned deadline, opened by `event`."""
    deadline = Deadline(
        proceeding=proceeding,
        event=event,
        rule=plan.rule.name,
        stage=plan.stage,
        kind=plan.rule.kind.value,
        party=plan.rule.party.value,
        status=DeadlineStatus.OPEN,
        **computed_fields(registry, plan),
    )
    deadline.due_date = deadline.computed_due
    db.session.add(deadline)
    return deadline


def computed_fields(registry: Registry, plan: PlannedDeadline) -> dict[str, Any]:
    """What a deadline stores of its plan: dates, why it may move, and what it came from."""
    calendar = registry.workflows.calendars.get(plan.calendar)
    return {
        "anchor_date": plan.anchor_date,
        "calendar": plan.calendar,
        "computed_due": plan.due,
        "latest_due": plan.latest,
        "provisional": [provisional_record(p) for p in plan.result.provisional] or None,
        "verified": plan.rule.verified,
        "legal_basis": plan.rule.legal_basis.ru[:300],
        "legal_basis_en": plan.rule.legal_basis.en[:300],
        "fingerprint": rule_fingerprint(plan.rule, calendar),
    }


def provisional_record(reason: Provisional) -> dict[str, Any]:
    """A calendar's reason why a date may move, as stored JSON."""
    return {
        "kind": reason.kind,
        "year": reason.year,
        "day": reason.day.isoformat() if reason.day else None,
        "holiday": reason.holiday,
    }


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


def closing_outcomes(
    registry: Registry, proceeding: Proceeding, trigger: str
) -> list[tuple[Deadline, str]]:
    """How `trigger` would close each open deadline of the stage: "met_or_missed" (met if
    dated on or before the due date, missed after), "cancelled" or "continued"."""
    outcomes = []
    for deadline in proceeding.deadlines:
        if not deadline.is_open or deadline.stage != proceeding.stage:
            continue
        due = deadline.due_date
        on_time = _status(registry.workflows, deadline, trigger, due)
        late = _status(registry.workflows, deadline, trigger, due + dt.timedelta(days=1))
        outcomes.append((deadline, "met_or_missed" if on_time != late else on_time))
    return outcomes


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
            _cancel_if_superseded(registry.workflows, deadline, facts)
            continue
        change = move_to_plan(registry, deadline, plan)
        _reassess_closed(registry.workflows, deadline, views, position)
        if change:
            changes.append(change)
    return changes


def _cancel_if_superseded(
    workflows: WorkflowSet, deadline: Deadline, facts: Mapping[str, Any]
) -> None:
    """Cancel an open deadline whose period a fact recorded later replaced (art. 418(1))."""
    rule = rule_of(workflows, deadline)
    if rule is None or not deadline.is_open:
        return
    recorded = [facts[name] for name in rule.superseded_by if facts.get(name) is not None]
    if recorded:
        deadline.status = DeadlineStatus.CANCELLED
        deadline.closed_on = recorded[0]
        deadline.sequence += 1
        deadline.updated_at = utcnow()


def open_now_plannable(
    registry: Registry, proceeding: Proceeding, views: list[EventView]
) -> list[Deadline]:
    """Open the deadlines of the current stage that a date recorded later makes countable
    (a convict's copy of the verdict delivered days after it was pronounced, KZ CPC art. 418)."""
    if proceeding.closed_on is not None or proceeding.route not in registry.workflows.routes:
        return []
    route = registry.route(proceeding.route)
    steps = [i for i, view in enumerate(views) if view.to_stage is not None]
    if not steps or not route.has_stage(proceeding.stage):
        return []
    index = steps[-1]
    entering = views[index]
    facts = current_facts(registry.workflows, views[: index + 1])
    have = {d.rule for d in proceeding.deadlines if d.event_id == entering.id}
    plans = plan_deadlines(registry.calendars, route, proceeding.stage, facts, entering.occurred_on)
    event = db.session.get(Event, entering.id)
    opened = [
        open_planned(registry, proceeding, event, plan)
        for plan in plans
        if plan.rule.name not in have
    ]
    db.session.flush()
    return opened


def move_to_plan(
    registry: Registry, deadline: Deadline, plan: PlannedDeadline
) -> DeadlineChange | None:
    """Store the plan; the move of its dates, if they moved (an override keeps its date)."""
    fields = computed_fields(registry, plan)
    changed = {name for name, value in fields.items() if getattr(deadline, name) != value}
    if not changed:
        return None
    before = deadline.due_date
    for name in changed:
        setattr(deadline, name, fields[name])
    if deadline.override_due is None:
        deadline.due_date = deadline.computed_due
    deadline.sequence += 1  # what the calendar event says changed: clients must refresh it
    deadline.updated_at = utcnow()
    if not changed & {"computed_due", "anchor_date"}:
        return None
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
