"""A proceeding as it stands now, built once per request and handed on: its effective events,
its facts, what guards may see, and the steps its route's Machine allows from its stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..models import Proceeding
from ..workflows.engine import OPEN, EventView, NextStep, current_facts, next_steps
from ..workflows.guards import GuardContext, OtherProceeding
from ..workflows.loaded import Registry
from ..workflows.spec import Route, Text
from .consents import consented_scopes, reprisal_risk_of
from .history import effective_history

OPENING = Text("открытие маршрута", "the opening of the route")


@dataclass(frozen=True)
class ProceedingState:
    proceeding: Proceeding
    route: Route
    events: list[EventView]
    facts: dict[str, Any]
    context: GuardContext
    steps: list[NextStep]
    today: dt.date

    @classmethod
    def of(
        cls, registry: Registry, proceeding: Proceeding, today: dt.date, may_act: bool = True
    ) -> ProceedingState:
        """Replay the history once and ask the route's Machine for the steps from the stage."""
        route = registry.route(proceeding.route)
        events = effective_history(proceeding)
        facts = current_facts(registry.workflows, events)
        context = guard_context(registry, proceeding, facts)
        steps = (
            next_steps(registry.machine(route.id), proceeding.stage, context, may_act)
            if proceeding.closed_on is None and route.has_stage(proceeding.stage)
            else []
        )
        return cls(proceeding, route, events, facts, context, steps, today)

    def step(self, trigger: str) -> NextStep | None:
        """The step with this trigger from the current stage, if the route has one."""
        return next((s for s in self.steps if s.transition.trigger == trigger), None)

    @property
    def last_event_on(self) -> dt.date | None:
        return self.events[-1].occurred_on if self.events else None

    @property
    def last_event_label(self) -> Text | None:
        """What the last event was: the route's opening, or the label of its step."""
        if not self.events:
            return None
        trigger = self.events[-1].trigger
        if trigger == OPEN:
            return OPENING
        known = {t.trigger for t in self.route.transitions}
        return self.route.transition(trigger).label if trigger in known else None


def group_of(registry: Registry, route_id: str) -> str | None:
    """The exclusive group of a route (e.g. treaty_body), None for unknown routes."""
    routes = registry.workflows.routes
    return routes[route_id].exclusive_group if route_id in routes else None


def guard_context(
    registry: Registry, proceeding: Proceeding, facts: Mapping[str, Any]
) -> GuardContext:
    """What guards may see of the proceeding and its case."""
    case = proceeding.case
    others = tuple(
        OtherProceeding(p.route, group_of(registry, p.route), p.closed_on is not None)
        for p in case.proceedings
        if p.id != proceeding.id
    )
    return GuardContext(
        jurisdiction=case.jurisdiction,
        facts=facts,
        incident_date=case.incident_date,
        other_proceedings=others,
        consents=consented_scopes(case),
        reprisal_risk=reprisal_risk_of(case),
    )
