"""The proceedings of one case walked along their routes: events, deadlines and stays.

Each step is a transition the YAML allows; the time spent in a stage is drawn (log-normal)
around its expected duration. Stays come from `cases.stays`, deadlines close by the engine's
own `closing_status`, so the rows are the ones the operations would have written.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from ..cases.stays import Stay, stay_row, stays_of
from ..dashboard.sql import period_days
from ..workflows.engine import OVERRIDE, EventView, closing_status
from ..workflows.fingerprints import route_version, rule_fingerprint
from ..workflows.spec import CalendarSpec, Route, Stage, Transition
from . import tables
from .rows import Rows

EXITS = {"close", "withdraw", "discontinue", "accept_termination", "accept_refusal"}
WEIGHTS = {**dict.fromkeys(EXITS, 0.04), "complete": 0.3, "conclude": 0.3}
OUTCOMES = {
    "views_outcome": ("violation", "violation", "no_violation", "inadmissible"),
    "claim_outcome": ("granted", "partly_granted", "refused"),
    "verdict_outcome": ("conviction", "acquittal", "termination"),
}
MAX_STEPS = 30
OVERRIDE_SHARE = 0.03


@dataclass
class Step:
    trigger: str
    source: str | None
    dest: str
    day: dt.date
    facts: dict[str, Any] = field(default_factory=dict)
    opens: str | None = None


@dataclass
class Walker:
    """Walks proceedings of cases into `rows`; counts finished stays for the histogram."""

    routes: dict[str, Route]
    calendars: dict[str, CalendarSpec]
    today: dt.date
    rng: random.Random
    rows: Rows

    def proceedings(self, case_id: int, starts: list[tuple[str, dt.date]], actor: int | None):
        """Open each (route, day) of `starts` and the routes they hand over to."""
        pending: list[tuple[str, dt.date, int | None]] = [(r, d, None) for r, d in starts]
        while pending:
            route_id, day, parent = pending.pop()
            if day <= self.today:
                route = self.routes[route_id]
                pending.extend(self.proceeding(case_id, route, day, parent, actor))

    def proceeding(self, case_id: int, route: Route, day: dt.date, parent, actor) -> list:
        """Walk `route` from `day`; returns the hand-overs it leads to."""
        proceeding_id = self.rows.next_id("proceedings")
        steps = self.walk(route, day)
        last = route.stage(steps[-1].dest)
        self.rows.add(
            "proceedings",
            tables.proceeding_row(
                proceeding_id,
                case_id,
                route.id,
                last.id,
                opened_on=day,
                closed_on=steps[-1].day if last.final else None,
                parent_id=parent,
                version=len(steps),
                route_version=route_version(route),
            ),
        )
        views = [self.event(proceeding_id, step, actor) for step in steps]
        stays = stays_of([v for v in views if v.trigger != OVERRIDE], last.final)
        for index, stay in enumerate(stays):
            self.rows.add("stage_stays", stay_row(stay, proceeding_id, case_id, route.id))
            leaving = stays[index + 1].trigger if index + 1 < len(stays) else None
            self.deadlines(proceeding_id, route, stay, leaving)
        return [(step.opens, step.day, proceeding_id) for step in steps if step.opens]

    def walk(self, route: Route, day: dt.date) -> list[Step]:
        steps = [Step("open", None, route.initial, day)]
        for _ in range(MAX_STEPS):
            stage = route.stage(steps[-1].dest)
            choices = route.transitions_from(stage.id)
            if stage.final or not choices:
                break
            day = day + dt.timedelta(days=self.stay_days(stage))
            if day > self.today:
                break
            weights = [WEIGHTS.get(t.trigger, 1.0) for t in choices]
            transition = self.rng.choices(choices, weights)[0]
            steps.append(self.step(transition, stage.id, day))
            if self.rng.random() < OVERRIDE_SHARE:
                steps.append(Step(OVERRIDE, transition.dest, transition.dest, day))
        return steps

    def step(self, transition: Transition, source: str, day: dt.date) -> Step:
        facts: dict[str, Any] = {}
        if transition.event_date:
            facts[transition.event_date] = day.isoformat()
        for name in transition.records:
            if name in OUTCOMES:
                facts[name] = self.rng.choice(OUTCOMES[name])
        opens = transition.opens.route if transition.opens else None
        return Step(transition.trigger, source, transition.dest, day, facts, opens)

    def stay_days(self, stage: Stage) -> int:
        expected = period_days(stage.expected_duration) if stage.expected_duration else 40
        return max(1, round(self.rng.lognormvariate(math.log(expected * 0.8), 0.7)))

    def event(self, proceeding_id: int, step: Step, actor: int | None) -> EventView:
        event_id = self.rows.next_id("events")
        self.rows.add(
            "events",
            tables.event_row(
                event_id,
                proceeding_id,
                step.trigger,
                from_stage=step.source,
                to_stage=step.dest,
                occurred_on=step.day,
                facts=step.facts,
                actor_id=actor,
            ),
        )
        return EventView(event_id, step.trigger, step.source, step.dest, step.day, step.facts)

    def deadlines(self, proceeding_id: int, route: Route, stay: Stay, leaving: str | None):
        rules = route.stage(stay.stage).deadlines
        in_force = {rule.name: rule for rule in rules if rule.applies_on(stay.entered_on)}
        for rule in in_force.values():
            due = stay.entered_on + dt.timedelta(days=period_days(rule.period))
            calendar = rule.calendar or route.calendar
            status = "open"
            if leaving is not None:
                status = closing_status(rule, leaving, stay.left_on, due)
            row = tables.deadline_row(
                self.rows.next_id("deadlines"),
                proceeding_id,
                stay.event_id,
                rule=rule.name,
                stage=stay.stage,
                kind=rule.kind.value,
                party=rule.party.value,
                legal_basis=rule.legal_basis.ru[:300],
                legal_basis_en=rule.legal_basis.en[:300],
                verified=rule.verified,
                calendar=calendar,
                fingerprint=rule_fingerprint(rule, self.calendars.get(calendar)),
                anchor_date=stay.entered_on,
                computed_due=due,
                due_date=due,
                status=status,
                closed_on=stay.left_on if leaving else None,
            )
            self.rows.add("deadlines", row)
