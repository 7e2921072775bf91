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
from .spec import (
    STAGE_ENTERED,
    Alternative,
    DeadlineRule,
    FactType,
    Route,
    Text,
    Transition,
    WorkflowSet,
)

CORRECTION = "correct_event"
OVERRIDE = "override_deadline"
OPEN = "open"
RECALCULATION = "recalculate_deadline"  # workflows.yaml changed a rule: `litigation recalc`
STAGE_MIGRATION = "migrate_stage"  # a stage renamed in workflows.yaml: `litigation migrate-stage`
RECORD_FACT = "record_fact"  # a date learned later, e.g. a convict's copy of the verdict
BOOKKEEPING = frozenset({CORRECTION, OVERRIDE, RECALCULATION})
"""Events that change no stage and record no facts of the case."""
RESERVED_TRIGGERS = frozenset(
    {CORRECTION, OVERRIDE, OPEN, RECORD_FACT, RECALCULATION, STAGE_MIGRATION}
)
"""Triggers of the events the engine records itself: no transition may be named so."""
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
    """A deadline to open: `due` is the date to act by, the earliest the rule allows.

    An unverified rule with alternatives is counted with each period; `result` explains the
    earliest date, `alternative` says which alternative gave it (None: the rule's own period)
    and `latest` is the latest date, None when no alternative gives a later one.
    """

    rule: DeadlineRule
    stage: str
    anchor_date: dt.date
    calendar: str
    result: DueDate
    latest: dt.date | None = None
    alternative: Alternative | None = None

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
    """Deadlines a proceeding has while in `stage_id`, for the rule versions in force.

    A version opens when its anchor is known, the anchor date is in its validity window and
    the recorded `facts` meet its `when` (KZ CPC art. 105(2): 3 days or 7 by subject).
    """
    planned = []
    for rule in route.stage(stage_id).deadlines:
        anchor = entered_on if rule.anchor == STAGE_ENTERED else facts.get(rule.anchor)
        if not isinstance(anchor, dt.date) or not rule.applies_on(anchor):
            continue
        if not rule.applies_to(facts):
            continue
        calendar_id = rule.calendar or route.calendar
        planned.append(plan_rule(rule, stage_id, anchor, calendar_id, calendars))
    return planned


def plan_rule(
    rule: DeadlineRule, stage_id: str, anchor: dt.date, calendar_id: str, calendars: Calendars
) -> PlannedDeadline:
    """Count the rule's period and each alternative; act by the earliest, show the latest."""
    calendar = calendars[calendar_id]
    options = [(rule.period, None), *((a.period, a) for a in rule.alternatives)]
    counted = [
        (
            compute_due(
                anchor,
                period,
                calendar,
                roll_forward=rule.roll_forward,
                anchor_offset=rule.anchor_offset,
            ),
            alternative,
        )
        for period, alternative in options
    ]
    # min() keeps the first of equal dates: the rule's own period wins a tie.
    result, alternative = min(counted, key=lambda pair: pair[0].due)
    latest = max(due.due for due, _ in counted)
    return PlannedDeadline(
        rule,
        stage_id,
        anchor,
        calendar_id,
        result,
        latest=latest if latest > result.due else None,
        alternative=alternative,
    )


CONTINUED = "continued"
"""Closing status of a deadline whose period runs on past the step (`continues_through`)."""


def closing_status(rule: DeadlineRule, trigger: str, event_date: dt.date, due: dt.date) -> str:
    """How leaving the stage by `trigger` on `event_date` closes a deadline of that stage.

    "continued": the period is not over (a complaint to a higher prosecutor does not stop the
    15 days for the investigating judge, KZ CPC art. 106(5)); the stage the step enters opens
    the same rule again when it declares it.
    """
    if trigger in rule.continues_through:
        return CONTINUED
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
