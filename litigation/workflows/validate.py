"""Check the meaning of a WorkflowSet; every problem comes back with its line."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping

from .guards import GUARDS
from .holiday_rules import package_moves_weekend_holidays, package_names
from .order import order_messages
from .problems import Problem
from .route_checks import rule_messages, trigger_name_message
from .spec import (
    MILESTONES,
    AppliedBy,
    CalendarSpec,
    FactType,
    Route,
    Transition,
    WeekendMove,
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
    problems.extend(Problem(workflows.path, line, msg) for line, msg in order_messages(workflows))
    carried_in = _facts_carried_into(workflows)
    for route in workflows.routes.values():
        path = (files or {}).get(route.id, workflows.path)
        messages = _route_messages(workflows, route, carried_in.get(route.id, set()))
        problems.extend(Problem(path, line, message) for line, message in messages)
    return sorted(problems)


def _calendar_messages(calendar: CalendarSpec) -> Iterator[tuple[int, str]]:
    if calendar.extra_working_days and not calendar.weekend:
        yield calendar.line, f"calendar {calendar.id!r} has working days but no weekend"
    yield from _calendar_rule_messages(calendar)


def _calendar_rule_messages(calendar: CalendarSpec) -> Iterator[tuple[int, str]]:
    """Overlays and the weekend-holiday rule against what the `holidays` package does."""
    where = f"calendar {calendar.id!r}"
    working = {day.date for day in calendar.extra_working_days}
    for day in sorted({day.date for day in calendar.extra_days_off} & working):
        yield calendar.line, f"{where} lists {day} both as a day off and as a working day"
    if calendar.country is None:
        if calendar.weekend_holidays is not None or calendar.confirmed_holidays:
            message = "has no holidays: weekend_holidays and confirmed_holidays do not apply"
            yield calendar.line, f"{where} {message}"
        return
    for holiday in calendar.confirmed_holidays:
        if holiday.holiday not in package_names(calendar.country, holiday.date.year):
            # An unknown name would add a day off and leave the package's estimate standing.
            message = (
                f"confirmed holiday {holiday.holiday!r} ({holiday.date}) is not a holiday the "
                f"holidays package has for {calendar.country} in {holiday.date.year}"
            )
            yield calendar.line, f"{where}: {message}"
    yield from _weekend_rule_messages(calendar, where)


def _weekend_rule_messages(calendar: CalendarSpec, where: str) -> Iterator[tuple[int, str]]:
    rule = calendar.weekend_holidays
    if rule is None or rule.moves_to is WeekendMove.NONE or calendar.country is None:
        return
    by_package = package_moves_weekend_holidays(calendar.country)
    if rule.applied_by is AppliedBy.CALENDAR and by_package:
        message = (
            f"the holidays package already moves {calendar.country} holidays off weekends "
            '("observed" days); write applied_by: holidays_package, or each is moved twice'
        )
        yield rule.line, f"{where}: {message}"
    if rule.applied_by is AppliedBy.HOLIDAYS_PACKAGE and not by_package:
        message = (
            f"the holidays package does not move {calendar.country} holidays off weekends; "
            "write applied_by: calendar"
        )
        yield rule.line, f"{where}: {message}"
    if not calendar.weekend:
        yield rule.line, f"{where}: weekend_holidays needs a weekend"


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
        yield from rule_messages(workflows, route, stage, recorded)


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
        name_message = trigger_name_message(transition.trigger) if transition.trigger else None
        if name_message:
            yield transition.line, f"{where}: {name_message}"
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
