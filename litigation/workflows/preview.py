"""What a step will open, said on its form before it is recorded, by the code that opens it.

`plan_deadlines` decides what entering a stage creates; the preview calls it with the dates
typed so far, so a date shown on the form is the date the step will store. A rule whose anchor
or `when` depends on a fact the step records but that is not typed yet cannot be counted: each
of its versions is listed with what it waits for (KZ CPC art. 105(2): 3 days for a complaint
about detention, 7 for the others, by the complaint's subject).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .calendar import Calendars
from .engine import PlannedDeadline, carried_facts, plan_deadlines, plan_rule
from .spec import STAGE_ENTERED, DeadlineRule, Route, Transition, WorkflowSet


@dataclass(frozen=True)
class Preview:
    """One deadline a step will open: counted (`planned`), or a version waiting for facts."""

    rule: DeadlineRule
    planned: PlannedDeadline | None = None
    waiting_for: tuple[str, ...] = ()  # facts not typed yet that decide it (anchor, `when`)

    @property
    def due(self) -> dt.date | None:
        return self.planned.due if self.planned else None


def preview_stage(
    calendars: Calendars,
    route: Route,
    stage_id: str,
    facts: Mapping[str, Any],
    entered_on: dt.date,
    unknown: Collection[str] = (),
) -> list[Preview]:
    """The deadlines entering `stage_id` on `entered_on` opens with `facts`; `unknown`: facts
    the step records that are not typed yet (their versions are listed, each with its `when`)."""
    known = {name: value for name, value in facts.items() if name not in unknown}
    planned = {
        plan.rule.name: plan
        for plan in plan_deadlines(calendars, route, stage_id, known, entered_on)
    }
    previews: list[Preview] = []
    for name in dict.fromkeys(rule.name for rule in route.stage(stage_id).deadlines):
        versions = [rule for rule in route.stage(stage_id).deadlines if rule.name == name]
        waiting = _waiting_for(versions, unknown)
        if not waiting:
            if name in planned:
                previews.append(Preview(planned[name].rule, planned[name]))
            continue
        for rule in versions:
            preview = _version(calendars, route, stage_id, rule, known, entered_on, unknown)
            if preview is not None:
                previews.append(preview)
    return previews


def _waiting_for(versions: list[DeadlineRule], unknown: Collection[str]) -> tuple[str, ...]:
    names = [rule.anchor for rule in versions] + [fact for r in versions for fact, _ in r.when]
    return tuple(name for name in dict.fromkeys(names) if name in unknown)


def _version(
    calendars: Calendars,
    route: Route,
    stage_id: str,
    rule: DeadlineRule,
    known: Mapping[str, Any],
    entered_on: dt.date,
    unknown: Collection[str],
) -> Preview | None:
    """One version of a rule that facts not typed yet decide; None if the known ones rule it out."""
    anchor = entered_on if rule.anchor == STAGE_ENTERED else known.get(rule.anchor)
    if isinstance(anchor, dt.date) and not rule.applies_on(anchor):
        return None
    if not isinstance(anchor, dt.date) and not rule.applies_on(entered_on):
        return None
    decided = tuple((fact, values) for fact, values in rule.when if fact not in unknown)
    if any(str(known.get(fact)) not in values for fact, values in decided):
        return None
    if any(known.get(name) is not None for name in rule.superseded_by):
        return None
    waiting = tuple(
        name for name in (rule.anchor, *(fact for fact, _ in rule.when)) if name in unknown
    )
    if not isinstance(anchor, dt.date):
        return Preview(rule, None, waiting)
    calendar = rule.calendar or route.calendar
    return Preview(rule, plan_rule(rule, stage_id, anchor, calendar, calendars), waiting)


@dataclass(frozen=True)
class HandOverPreview:
    """The route a hand-over opens and the deadlines its first stage starts with."""

    route: Route
    deadlines: list[Preview]


def preview_hand_over(
    workflows: WorkflowSet,
    calendars: Calendars,
    transition: Transition,
    facts: Mapping[str, Any],
    occurred_on: dt.date,
    unknown: Collection[str] = (),
) -> HandOverPreview | None:
    """What `transition`'s hand-over opens: the route, and its deadlines counted from the facts
    it carries over (operations.open_proceeding plans them the same way)."""
    if transition.opens is None or transition.opens.route not in workflows.routes:
        return None
    route = workflows.routes[transition.opens.route]
    carried = carried_facts(transition, {k: v for k, v in facts.items() if k not in unknown})
    still_unknown = {new for new, old in transition.opens.carry if old in unknown}
    deadlines = preview_stage(calendars, route, route.initial, carried, occurred_on, still_unknown)
    return HandOverPreview(route, deadlines)
