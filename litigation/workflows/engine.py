"""Pure workflow logic: effective facts, deadlines to open and close, next steps.

The database layer (`litigation.cases`) stores what these functions decide; nothing here
reads the clock or the database, so every rule is testable with plain dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .calendar import Calendars, DueDate, compute_due
from .guards import GuardContext
from .machine import RouteMachine
from .spec import STAGE_ENTERED, DeadlineRule, FactType, Route, Text, Transition, WorkflowSet

CORRECTION = "correct_event"
OVERRIDE = "override_deadline"
OPEN = "open"
BOOKKEEPING = frozenset({CORRECTION, OVERRIDE})
"""Events that change no stage and record no facts of the case."""
OCCURRED_ON = "occurred_on"


@dataclass(frozen=True)
class EventView:
    """An event as it counts now: its own facts with every later correction applied."""

    id: int
    trigger: str
    from_stage: str | None
    to_stage: str | None
    occurred_on: dt.date
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class PlannedDeadline:
    rule: DeadlineRule
    stage: str
    anchor_date: dt.date
    calendar: str
    result: DueDate

    @property
    def due(self) -> dt.date:
        return self.result.due


@dataclass(frozen=True)
class NextStep:
    """A transition from the current stage, with why it may not be fired (empty if it may)."""

    transition: Transition
    reasons: tuple[Text, ...] = field(default=())

    @property
    def available(self) -> bool:
        return not self.reasons


def parse_fact(value: Any, fact_type: FactType) -> Any:
    """Turn a stored JSON value back into its Python type (dates are stored as ISO text)."""
    if value is None:
        return None
    if fact_type is FactType.DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def effective_events(events: Iterable[EventView]) -> list[EventView]:
    """Apply corrections to the events they correct; bookkeeping events drop out."""
    ordered = list(events)
    changes: dict[int, dict[str, Any]] = {}
    for event in ordered:
        if event.trigger == CORRECTION:
            target = int(event.facts["corrects_event"])
            changes.setdefault(target, {}).update(event.facts["changes"])
    return [
        corrected(event, changes.get(event.id, {}))
        for event in ordered
        if event.trigger not in BOOKKEEPING
    ]


def corrected(view: EventView, change: Mapping[str, Any]) -> EventView:
    """`view` with corrected facts and date (dates of a correction are ISO text)."""
    if not change:
        return view
    facts = {**view.facts, **{k: v for k, v in change.items() if k != OCCURRED_ON}}
    occurred = change.get(OCCURRED_ON, view.occurred_on)
    if isinstance(occurred, str):
        occurred = dt.date.fromisoformat(occurred)
    return EventView(view.id, view.trigger, view.from_stage, view.to_stage, occurred, facts)


def current_facts(workflows: WorkflowSet, events: Iterable[EventView]) -> dict[str, Any]:
    """The latest value of every fact recorded by the (already effective) events."""
    facts: dict[str, Any] = {}
    for event in events:
        for name, value in event.facts.items():
            spec = workflows.facts.get(name)
            facts[name] = parse_fact(value, spec.type) if spec else value
    return facts


def plan_deadlines(
    calendars: Calendars,
    route: Route,
    stage_id: str,
    facts: Mapping[str, Any],
    entered_on: dt.date,
) -> list[PlannedDeadline]:
    """Deadlines a proceeding has while in `stage_id`, for the rule versions in force."""
    planned = []
    for rule in route.stage(stage_id).deadlines:
        anchor = entered_on if rule.anchor == STAGE_ENTERED else facts.get(rule.anchor)
        if not isinstance(anchor, dt.date) or not rule.applies_on(anchor):
            continue
        calendar_id = rule.calendar or route.calendar
        result = compute_due(
            anchor,
            rule.period,
            calendars[calendar_id],
            roll_forward=rule.roll_forward,
            anchor_offset=rule.anchor_offset,
        )
        planned.append(PlannedDeadline(rule, stage_id, anchor, calendar_id, result))
    return planned


def closing_status(rule: DeadlineRule, trigger: str, event_date: dt.date, due: dt.date) -> str:
    """How leaving the stage by `trigger` on `event_date` closes a deadline of that stage."""
    if trigger in rule.cancelled_by or (rule.met_by and trigger not in rule.met_by):
        return "cancelled"
    return "met" if event_date <= due else "missed"


NO_PERMISSION = Text("Нет права действовать по этому делу.", "You may not act on this case.")
REFUSED = Text("Этот шаг сейчас недоступен.", "This step is not available now.")


def next_steps(
    machine: RouteMachine, stage: str, context: GuardContext, may_act: bool = True
) -> list[NextStep]:
    """Every trigger the Machine has from `stage`, each with the reasons it refuses it now."""
    steps = []
    for trigger in machine.triggers(stage):
        transition = machine.route.transition(trigger)
        reasons = [] if may_act else [NO_PERMISSION]
        if not machine.may(stage, trigger, context):
            reasons.extend(machine.reasons(transition, context) or [REFUSED])
        steps.append(NextStep(transition, tuple(reasons)))
    return steps


def apply_correction(
    views: Iterable[EventView], event_id: int, change: Mapping[str, Any]
) -> list[EventView]:
    """The effective events after a correction of `event_id`, without replaying the history."""
    return [corrected(view, change) if view.id == event_id else view for view in views]


def carried_facts(transition: Transition, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts a hand-over brings to the proceeding it opens, under their new names."""
    assert transition.opens is not None
    return {new: facts[old] for new, old in transition.opens.carry if facts.get(old) is not None}
