"""Check the meaning of a WorkflowSet; every problem comes back with its line."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Mapping
from itertools import combinations

from .guards import GUARDS
from .problems import Problem
from .spec import (
    MILESTONES,
    STAGE_ENTERED,
    CalendarSpec,
    DeadlineRule,
    FactType,
    Route,
    Stage,
    Transition,
    WorkflowSet,
)


def validate(workflows: WorkflowSet, files: Mapping[str, str] | None = None) -> list[Problem]:
    """Every semantic problem in the set, sorted by file and line.

    `files` maps a route id to the file it was written in (an included route file); a route
    it does not name, and everything else, is in `workflows.path`.
    """
    problems = [
        Problem(workflows.path, line, message)
        for calendar in workflows.calendars.values()
        for line, message in _calendar_messages(calendar)
    ]
    carried_in = _facts_carried_into(workflows)
    for route in workflows.routes.values():
        path = (files or {}).get(route.id, workflows.path)
        messages = _route_messages(workflows, route, carried_in.get(route.id, set()))
        problems.extend(Problem(path, line, message) for line, message in messages)
    return sorted(problems)


def _calendar_messages(calendar: CalendarSpec) -> Iterator[tuple[int, str]]:
    if calendar.extra_working_days and not calendar.weekend:
        yield calendar.line, f"calendar {calendar.id!r} has working days but no weekend"


def _known(workflows: WorkflowSet) -> str:
    return f" (known: {', '.join(sorted(workflows.calendars)) or 'none declared'})"


def _facts_carried_into(workflows: WorkflowSet) -> dict[str, set[str]]:
    carried: dict[str, set[str]] = {}
    for route in workflows.routes.values():
        for transition in route.transitions:
            if transition.opens:
                new_names = {new for new, _old in transition.opens.carry}
                carried.setdefault(transition.opens.route, set()).update(new_names)
    return carried


def _route_messages(
    workflows: WorkflowSet, route: Route, carried_in: set[str]
) -> Iterator[tuple[int, str]]:
    where = f"route {route.id!r}"
    stage_ids = {stage.id for stage in route.stages}
    if route.calendar not in workflows.calendars:
        yield route.line, f"{where}: unknown calendar {route.calendar!r}{_known(workflows)}"
    for jurisdiction in route.jurisdictions:
        if jurisdiction not in workflows.calendars:
            yield route.line, f"{where}: unknown jurisdiction {jurisdiction!r} (no such calendar)"
    if route.initial and route.initial not in stage_ids:
        yield route.line, f"{where}: initial stage {route.initial!r} is not a stage of the route"
    for fact in route.opening_facts:
        if fact not in workflows.facts:
            yield route.line, f"{where}: opening fact {fact!r} is not declared under 'facts'"
    yield from _transition_messages(workflows, route, stage_ids)
    yield from _milestone_messages(workflows, route)
    yield from _graph_messages(route, stage_ids)
    recorded = _facts_recorded(route) | carried_in | set(route.opening_facts)
    for stage in route.stages:
        yield from _rule_messages(workflows, route, stage, recorded)


def _transition_messages(
    workflows: WorkflowSet, route: Route, stage_ids: set[str]
) -> Iterator[tuple[int, str]]:
    seen: dict[str, int] = {}
    for transition in route.transitions:
        where = f"route {route.id!r}, transition {transition.trigger!r}"
        if transition.trigger in seen:
            yield (
                transition.line,
                (f"{where}: duplicate trigger (first declared on line {seen[transition.trigger]})"),
            )
        seen.setdefault(transition.trigger, transition.line)
        if not transition.sources:
            yield transition.line, f"{where}: no source stage"
        stages = f"(stages: {', '.join(sorted(stage_ids))})"
        for source in transition.sources:
            if source not in stage_ids:
                yield transition.line, f"{where}: unknown source stage {source!r} {stages}"
        if transition.dest and transition.dest not in stage_ids:
            yield (
                transition.line,
                f"{where}: unknown destination stage {transition.dest!r} {stages}",
            )
        for fact in (*transition.records, *transition.optional):
            if fact not in workflows.facts:
                yield transition.line, f"{where}: fact {fact!r} is not declared under 'facts'"
        if transition.event_date:
            fact = workflows.facts.get(transition.event_date)
            if fact is None or fact.type is not FactType.DATE:
                yield (
                    transition.line,
                    (f"{where}: event_date {transition.event_date!r} must be a declared date fact"),
                )
        for guard_name in transition.guards:
            if guard_name not in GUARDS:
                known = ", ".join(sorted(GUARDS))
                yield transition.line, f"{where}: unknown guard {guard_name!r} (known: {known})"
        yield from _hand_over_messages(workflows, route, transition)


def _unknown_milestone(name: str) -> str:
    return f"unknown milestone {name!r} (known: {', '.join(MILESTONES)})"


def _milestone_messages(workflows: WorkflowSet, route: Route) -> Iterator[tuple[int, str]]:
    if route.opening_milestone and route.opening_milestone not in MILESTONES:
        yield (
            route.line,
            f"route {route.id!r}: opening_milestone: "
            + _unknown_milestone(route.opening_milestone),
        )
    for transition in route.transitions:
        where = f"route {route.id!r}, transition {transition.trigger!r}"
        for milestone in transition.milestones:
            if milestone.name not in MILESTONES:
                yield milestone.line, f"{where}: {_unknown_milestone(milestone.name)}"
            for fact, values in milestone.when:
                yield from _condition_messages(workflows, transition, where, fact, values)


def _condition_messages(
    workflows: WorkflowSet, transition: Transition, where: str, fact: str, values: tuple[str, ...]
) -> Iterator[tuple[int, str]]:
    if fact not in (*transition.records, *transition.optional):
        yield transition.line, f"{where}: milestone condition on {fact!r}, which it does not record"
        return
    spec = workflows.facts.get(fact)
    if spec is not None and spec.type is FactType.CHOICE:
        for value in values:
            if value not in spec.choices:
                yield (
                    transition.line,
                    f"{where}: milestone condition {fact}: {value!r} is not one of: "
                    f"{', '.join(spec.choices)}",
                )


def _hand_over_messages(
    workflows: WorkflowSet, route: Route, transition
) -> Iterator[tuple[int, str]]:
    hand_over = transition.opens
    if hand_over is None:
        return
    where = f"route {route.id!r}, transition {transition.trigger!r}"
    if hand_over.route not in workflows.routes:
        known = ", ".join(sorted(workflows.routes))
        yield hand_over.line, f"{where}: opens unknown route {hand_over.route!r} (known: {known})"
    available = _facts_recorded(route) | set(route.opening_facts)
    for new, old in hand_over.carry:
        if new not in workflows.facts:
            yield hand_over.line, f"{where}: carried fact {new!r} is not declared under 'facts'"
        if old not in available:
            yield (
                hand_over.line,
                f"{where}: carries {old!r}, which no transition of the route records",
            )


def _graph_messages(route: Route, stage_ids: set[str]) -> Iterator[tuple[int, str]]:
    reachable = _reachable(route)
    for stage in route.stages:
        if route.initial in stage_ids and stage.id not in reachable:
            yield (
                stage.line,
                f"route {route.id!r}: stage {stage.id!r} cannot be reached from {route.initial!r}",
            )
        if not stage.final and not route.transitions_from(stage.id):
            yield (
                stage.line,
                (
                    f"route {route.id!r}: stage {stage.id!r} is a dead end "
                    "(no transition leaves it and it is not final)"
                ),
            )


def _reachable(route: Route) -> set[str]:
    seen = {route.initial}
    queue = deque([route.initial])
    while queue:
        for transition in route.transitions_from(queue.popleft()):
            if transition.dest not in seen:
                seen.add(transition.dest)
                queue.append(transition.dest)
    return seen


def _facts_recorded(route: Route) -> set[str]:
    recorded: set[str] = set()
    for transition in route.transitions:
        recorded.update(transition.records, transition.optional)
        if transition.event_date:
            recorded.add(transition.event_date)
    return recorded


def _rule_messages(
    workflows: WorkflowSet, route: Route, stage: Stage, recorded: set[str]
) -> Iterator[tuple[int, str]]:
    leaving = [t.trigger for t in route.transitions_from(stage.id)]
    for rule in stage.deadlines:
        where = f"route {route.id!r}, stage {stage.id!r}, deadline {rule.name!r}"
        if not rule.legal_basis:
            yield rule.line, f"{where}: no legal_basis (cite the article)"
        if rule.calendar is not None and rule.calendar not in workflows.calendars:
            yield rule.line, f"{where}: unknown calendar {rule.calendar!r}{_known(workflows)}"
        if rule.anchor != STAGE_ENTERED:
            fact = workflows.facts.get(rule.anchor)
            if fact is None:
                yield rule.line, f"{where}: anchor {rule.anchor!r} is not a declared fact"
            elif fact.type is not FactType.DATE:
                yield rule.line, f"{where}: anchor {rule.anchor!r} is not a date fact"
            elif rule.anchor not in recorded:
                yield rule.line, f"{where}: anchor {rule.anchor!r} is recorded by no transition"
        for key, triggers in (("met_by", rule.met_by), ("cancelled_by", rule.cancelled_by)):
            for trigger in triggers:
                if trigger not in leaving:
                    yield (
                        rule.line,
                        f"{where}: {key} {trigger!r} is not a transition leaving {stage.id!r} "
                        f"(leaving it: {', '.join(leaving) or 'none'})",
                    )
        if rule.valid_from and rule.valid_to and rule.valid_from > rule.valid_to:
            yield rule.line, f"{where}: valid_from is after valid_to"
    yield from _overlapping_versions(route, stage)


def _overlapping_versions(route: Route, stage: Stage) -> Iterator[tuple[int, str]]:
    by_name: dict[str, list] = {}
    for rule in stage.deadlines:
        by_name.setdefault(rule.name, []).append(rule)
    for name, versions in by_name.items():
        # Compare every pair, not neighbours: versions may be declared in any order.
        for first, second in combinations(versions, 2):
            if _overlap(first, second):
                yield (
                    second.line,
                    (
                        f"route {route.id!r}, stage {stage.id!r}: versions of deadline {name!r} "
                        f"on lines {first.line} and {second.line} both apply "
                        f"{_overlap_text(first, second)}; end one with valid_to "
                        "before the other's valid_from"
                    ),
                )


def _in_force(rule: DeadlineRule) -> tuple[dt.date, dt.date]:
    """The first and last day a rule version applies; an open end is unbounded."""
    return rule.valid_from or dt.date.min, rule.valid_to or dt.date.max


def _overlap(first: DeadlineRule, second: DeadlineRule) -> bool:
    (first_from, first_to), (second_from, second_to) = _in_force(first), _in_force(second)
    return first_from <= second_to and second_from <= first_to


def _overlap_text(first: DeadlineRule, second: DeadlineRule) -> str:
    start = max(_in_force(first)[0], _in_force(second)[0])
    end = min(_in_force(first)[1], _in_force(second)[1])
    parts = [
        f"from {start}" if start > dt.date.min else "",
        f"to {end}" if end < dt.date.max else "",
    ]
    return " ".join(part for part in parts if part) or "at all times"
