"""Pure workflow logic: effective facts, deadlines to open and close, next steps.

The database layer (`litigation.cases.operations`) stores what these functions decide; nothing here
reads the clock or the database, so every rule is testable with plain dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .calendar import Calendars, DueDate, compute_due
from .guards import GuardContext, unmet_reasons
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
    result = []
    for event in ordered:
        if event.trigger in BOOKKEEPING:
            continue
        change = changes.get(event.id, {})
        facts = {**event.facts, **{k: v for k, v in change.items() if k != OCCURRED_ON}}
        occurred = change.get(OCCURRED_ON, event.occurred_on)
        if isinstance(occurred, str):
            occurred = dt.date.fromisoformat(occurred)
        result.append(
            EventView(event.id, event.trigger, event.from_stage, event.to_stage, occurred, facts)
        )
    return result


def current_facts(workflows: WorkflowSet, events: Iterable[EventView]) -> dict[str, Any]:
    """The latest value of every fact recorded by the (already effective) events."""
    facts: dict[str, Any] = {}
    for event in events:
        for name, value in event.facts.items():
            spec = workflows.facts.get(name)
            facts[name] = parse_fact(value, spec.type) if spec else value
    return facts


def stage_entered_on(events: list[EventView], stage: str) -> dt.date | None:
    """Legal date of the latest event that entered `stage`."""
    for event in reversed(events):
        if event.to_stage == stage and event.from_stage != stage:
            return event.occurred_on
    return None


def plan_deadlines(
    workflows: WorkflowSet,
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


def next_steps(
    route: Route,
    stage: str,
    context: GuardContext,
    facts: Mapping[str, Any],
    may_act: bool = True,
) -> list[NextStep]:
    """Every transition from `stage`, each with the reasons it cannot be fired now."""
    steps = []
    for transition in route.transitions_from(stage):
        reasons: list[Text] = []
        if not may_act:
            reasons.append(
                Text("Нет права действовать по этому делу.", "You may not act on this case.")
            )
        if transition.opens:
            for _new, old in transition.opens.carry:
                if facts.get(old) is None:
                    reasons.append(
                        Text(f"Не записан факт «{old}».", f"The fact '{old}' is not recorded.")
                    )
        reasons.extend(unmet_reasons(transition.guards, context))
        steps.append(NextStep(transition, tuple(reasons)))
    return steps


def carried_facts(transition: Transition, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts a hand-over brings to the proceeding it opens, under their new names."""
    assert transition.opens is not None
    return {new: facts[old] for new, old in transition.opens.carry if facts.get(old) is not None}
