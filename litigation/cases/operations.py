"""Operations on cases: open a case or proceeding, fire a transition.

Operations take the actor and "today", flush and never commit: the request or command
commits once. `fire` is the one function that changes a proceeding's stage.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.orm.exc import StaleDataError

from ..db import db, utcnow
from ..errors import InvalidInput, NotAllowed, StaleProceeding, StepUnavailable, msg
from ..models import Case, Deadline, DeadlineStatus, Event, Proceeding, User
from ..workflows.engine import (
    OPEN,
    carried_facts,
    closing_status,
    plan_deadlines,
)
from ..workflows.loaded import Registry
from ..workflows.machine import TransitionRefused, advance
from ..workflows.spec import Route
from .facts import normalise_facts
from .state import event_views, group_of, proceeding_facts, rule_for, steps_for
from .stays import sync_stays

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "FireResult",
    "InvalidInput",
    "NotAllowed",
    "StaleProceeding",
    "StepUnavailable",
    "fire",
    "open_case",
    "open_proceeding",
]


@dataclass
class FireResult:
    event: Event
    opened: list[Deadline] = field(default_factory=list)
    closed: list[Deadline] = field(default_factory=list)
    handed_over: list[Proceeding] = field(default_factory=list)


def open_case(
    *,
    reference: str,
    survivor_name: str,
    jurisdiction: str,
    opened_on: dt.date,
    team: Iterable[User] = (),
    **details: Any,
) -> Case:
    """Create a case record with its team; details are the optional monitoring fields."""
    if db.session.scalar(db.select(Case.id).where(Case.reference == reference)):
        raise InvalidInput(
            {"reference": msg("A case with reference %(ref)s already exists.", ref=reference)}
        )
    case = Case(
        reference=reference,
        survivor_name=survivor_name,
        jurisdiction=jurisdiction,
        opened_on=opened_on,
        team=list(team),
        **details,
    )
    db.session.add(case)
    db.session.flush()
    return case


def open_proceeding(
    registry: Registry,
    case: Case,
    route_id: str,
    *,
    actor: User | None,
    opened_on: dt.date,
    today: dt.date,
    facts: Mapping[str, Any] | None = None,
    parent: tuple[Proceeding, Event] | None = None,
    note: str | None = None,
) -> Proceeding:
    """Start `case` on a route at its initial stage, with the opening event and deadlines."""
    route = registry.route(route_id)
    if case.jurisdiction not in route.jurisdictions:
        raise InvalidInput(
            {
                "route": msg(
                    "Route %(route)s does not apply to %(j)s.", route=route_id, j=case.jurisdiction
                )
            }
        )
    _refuse_second_in_group(registry, case, route)
    raw = {name: value for name, value in (facts or {}).items() if value not in (None, "")}
    clean = normalise_facts(
        registry.workflows,
        raw,
        required=route.opening_facts,
        allowed=route.opening_facts + tuple(raw),
        today=today,
    )
    check_event_date(opened_on, None, today)
    proceeding = Proceeding(case=case, route=route.id, stage=route.initial, opened_on=opened_on)
    if parent:
        proceeding.parent_id, proceeding.parent_event_id = parent[0].id, parent[1].id
    db.session.add(proceeding)
    event = append_event(proceeding, OPEN, None, route.initial, actor, opened_on, clean, note)
    _open_deadlines(registry, proceeding, event)
    sync_stays(proceeding)
    return proceeding


def _refuse_second_in_group(registry: Registry, case: Case, route: Route) -> None:
    if not route.exclusive_group:
        return
    for other in case.proceedings:
        if other.route != route.id and group_of(registry, other.route) == route.exclusive_group:
            raise InvalidInput(
                {
                    "route": msg(
                        "This case already has a proceeding on %(route)s, and only one of "
                        "these routes may be used for the same matter.",
                        route=other.route,
                    )
                }
            )


def check_version(proceeding: Proceeding, expected_version: int | None) -> None:
    """Refuse to act on a proceeding that changed since the user loaded the page."""
    if expected_version is not None and expected_version != proceeding.version:
        raise StaleProceeding()


def guarded_against_races(operation: Callable[P, R]) -> Callable[P, R]:
    """Turn SQLAlchemy's version conflict into StaleProceeding, wherever the flush happens."""

    @functools.wraps(operation)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return operation(*args, **kwargs)
        except StaleDataError as error:
            raise StaleProceeding() from error

    return wrapper


@guarded_against_races
def fire(
    registry: Registry,
    proceeding: Proceeding,
    trigger: str,
    *,
    actor: User | None,
    occurred_on: dt.date | None,
    today: dt.date,
    facts: Mapping[str, Any] | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> FireResult:
    """Fire `trigger`: append the event, move the stage, close and open deadlines, hand over."""
    check_version(proceeding, expected_version)
    route = registry.route(proceeding.route)
    try:
        transition = route.transition(trigger)
    except KeyError:
        raise StepUnavailable([msg("Unknown step %(step)s.", step=trigger)]) from None
    step = next(
        (s for s in steps_for(registry, proceeding, today) if s.transition is transition), None
    )
    if step is None:
        raise StepUnavailable(
            [msg("This step cannot be taken from the stage %(stage)s.", stage=proceeding.stage)]
        )
    if not step.available:
        raise StepUnavailable([reason.en for reason in step.reasons], step.reasons)
    raw = dict(facts or {})
    if transition.event_date:
        raw.setdefault(transition.event_date, occurred_on)
        occurred_on = raw[transition.event_date] or occurred_on
    allowed = (
        transition.records
        + transition.optional
        + ((transition.event_date,) if transition.event_date else ())
    )
    clean = normalise_facts(
        registry.workflows, raw, required=transition.records, allowed=allowed, today=today
    )
    if transition.event_date:
        occurred_on = dt.date.fromisoformat(clean[transition.event_date])
    if occurred_on is None:
        raise InvalidInput({"occurred_on": msg("Give the date of the event.")})
    views = event_views(proceeding)
    check_event_date(occurred_on, views[-1].occurred_on if views else None, today)
    try:
        dest = advance(route, proceeding.stage, trigger, lambda _name: True)
    except TransitionRefused as error:
        raise StepUnavailable([str(error)]) from error
    source = proceeding.stage
    event = append_event(proceeding, trigger, source, dest, actor, occurred_on, clean, note)
    result = FireResult(event)
    result.closed = _close_deadlines(registry, proceeding, source, trigger, occurred_on, event)
    proceeding.stage = dest
    proceeding.updated_at = utcnow()  # always UPDATE, so the version check always runs
    proceeding.closed_on = occurred_on if route.stage(dest).final else None
    result.opened = _open_deadlines(registry, proceeding, event)
    if transition.opens:
        all_facts = proceeding_facts(registry, proceeding)
        child = open_proceeding(
            registry,
            proceeding.case,
            transition.opens.route,
            actor=actor,
            opened_on=occurred_on,
            today=today,
            facts=carried_facts(transition, all_facts),
            parent=(proceeding, event),
        )
        result.handed_over.append(child)
    sync_stays(proceeding)
    db.session.flush()
    return result


def check_event_date(occurred_on: dt.date, previous: dt.date | None, today: dt.date) -> None:
    if occurred_on > today:
        raise InvalidInput({"occurred_on": msg("The event date cannot be in the future.")})
    if previous and occurred_on < previous:
        before = previous.isoformat()
        raise InvalidInput(
            {
                "occurred_on": msg(
                    "The event date cannot be before the previous event (%(date)s).", date=before
                )
            }
        )


def append_event(
    proceeding: Proceeding,
    trigger: str,
    source: str | None,
    dest: str | None,
    actor: User | None,
    occurred_on: dt.date,
    facts: dict[str, Any],
    note: str | None,
) -> Event:
    event = Event(
        proceeding=proceeding,
        trigger=trigger,
        from_stage=source,
        to_stage=dest,
        actor=actor,
        occurred_on=occurred_on,
        facts=facts,
        note=note or None,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _open_deadlines(registry: Registry, proceeding: Proceeding, event: Event) -> list[Deadline]:
    route = registry.route(proceeding.route)
    facts = proceeding_facts(registry, proceeding)
    planned = plan_deadlines(
        registry.workflows, registry.calendars, route, proceeding.stage, facts, event.occurred_on
    )
    opened = []
    for plan in planned:
        deadline = Deadline(
            proceeding=proceeding,
            event=event,
            rule=plan.rule.name,
            stage=plan.stage,
            kind=plan.rule.kind.value,
            party=plan.rule.party.value,
            legal_basis=plan.rule.legal_basis,
            verified=plan.rule.verified,
            calendar=plan.calendar,
            anchor_date=plan.anchor_date,
            computed_due=plan.due,
            due_date=plan.due,
            status=DeadlineStatus.OPEN,
        )
        db.session.add(deadline)
        opened.append(deadline)
    db.session.flush()
    return opened


def _close_deadlines(
    registry: Registry,
    proceeding: Proceeding,
    stage: str,
    trigger: str,
    occurred_on: dt.date,
    event: Event,
) -> list[Deadline]:
    route = registry.route(proceeding.route)
    closed = []
    for deadline in proceeding.deadlines:
        if deadline.status != DeadlineStatus.OPEN or deadline.stage != stage:
            continue
        rule = rule_for(route, deadline)
        if rule is not None:
            status = closing_status(rule, trigger, occurred_on, deadline.due_date)
        else:
            status = "met" if occurred_on <= deadline.due_date else "missed"
        deadline.status = status
        deadline.closed_by_event_id = event.id
        deadline.closed_on = occurred_on
        deadline.updated_at = utcnow()
        closed.append(deadline)
    return closed
