"""A proceeding as it stands now: its events with corrections applied, its facts, the steps
that may be taken from its stage, and the rule behind each stored deadline. Read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..models import Deadline, Proceeding
from ..workflows.engine import EventView, NextStep, current_facts, effective_events, next_steps
from ..workflows.guards import GuardContext, OtherProceeding
from ..workflows.loaded import Registry
from ..workflows.spec import DeadlineRule, Route


def event_views(proceeding: Proceeding) -> list[EventView]:
    """The proceeding's events as they count now, corrections applied."""
    return effective_events(
        EventView(e.id, e.trigger, e.from_stage, e.to_stage, e.occurred_on, e.facts)
        for e in proceeding.events
    )


def proceeding_facts(registry: Registry, proceeding: Proceeding) -> dict[str, Any]:
    return current_facts(registry.workflows, event_views(proceeding))


def group_of(registry: Registry, route_id: str) -> str | None:
    """The exclusive group of a route (e.g. treaty_body), None for unknown routes."""
    routes = registry.workflows.routes
    return routes[route_id].exclusive_group if route_id in routes else None


def guard_context(
    registry: Registry, proceeding: Proceeding, facts: Mapping[str, Any], today: dt.date
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
        consent_to_litigation=case.consent_to_litigation,
        other_proceedings=others,
        today=today,
    )


def steps_for(
    registry: Registry, proceeding: Proceeding, today: dt.date, may_act: bool = True
) -> list[NextStep]:
    """Every transition from the current stage, available or with the reasons it is not."""
    route = registry.route(proceeding.route)
    facts = proceeding_facts(registry, proceeding)
    context = guard_context(registry, proceeding, facts, today)
    return next_steps(route, proceeding.stage, context, facts, may_act)


def rule_for(route: Route, deadline: Deadline) -> DeadlineRule | None:
    """The rule version a stored deadline was computed from, if the YAML still has it."""
    if not route.has_stage(deadline.stage):
        return None
    versions = [r for r in route.stage(deadline.stage).deadlines if r.name == deadline.rule]
    return next((r for r in versions if r.applies_on(deadline.anchor_date)), None) or (
        versions[0] if versions else None
    )
