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

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from ..audit import changed_fields, record
from ..db import db, utcnow
from ..errors import InvalidInput, Msg, StaleCase, StaleProceeding, StepUnavailable, msg
from ..models import AuditKind, Case, Deadline, Event, Proceeding, Survivor, User
from ..workflows.engine import OPEN, NextStep, carried_facts, current_facts
from ..workflows.fingerprints import route_version
from ..workflows.loaded import Registry
from ..workflows.machine import TransitionRefused
from ..workflows.order import OrderProblem, order_problems
from ..workflows.spec import Route, Text, Transition
from .backup import drop_backup_not_on
from .case_dates import check_case_dates
from .consents import consent_refusals
from .deadlines import close_deadlines, open_deadlines
from .facts import normalise_facts
from .history import append_event, check_event_date, view_of
from .state import ProceedingState, group_of
from .stays import move_durations, sync_stays
from .survivors import create_survivor

P = ParamSpec("P")
R = TypeVar("R")

CASE_DETAILS = (
    "reference",
    "jurisdiction",
    "incident_date",
    "incident_place",
    "authority",
    "ill_treatment_forms",
    "forensic_exam_done",
    "forensic_exam_on",
    "rehabilitation_referrals",
    "notes",
)
"""The fields of a case a lawyer records and edits (consents are records: consents.py)."""
CASE_DATES = ("incident_date", "forensic_exam_done", "forensic_exam_on")
"""The fields case_dates.py checks together."""
HISTORY_MARK = {"as_history": True}
"""In an audit entry: the step was entered later, as a running case's past history."""


@dataclass
class FireResult:
    event: Event
    opened: list[Deadline] = field(default_factory=list)
    closed: list[Deadline] = field(default_factory=list)
    handed_over: list[Proceeding] = field(default_factory=list)


def _refuse_taken_reference(reference: str, case_id: int | None = None) -> None:
    query = db.select(Case.id).where(Case.reference == reference)
    if case_id is not None:
        query = query.where(Case.id != case_id)
    if db.session.scalar(query):
        raise InvalidInput(
            {"reference": msg("A case with reference %(ref)s already exists.", ref=reference)}
        )


class ReferenceTaken(InvalidInput):
    """Another case took the reference between the check and the insert (two people opening
    cases at once): the unique constraint refused it. The transaction is spoilt: the caller
    rolls it back before answering."""

    def __init__(self, reference: str) -> None:
        super().__init__(
            {
                "reference": msg(
                    "Another case was opened with reference %(ref)s a moment ago. Nothing was "
                    "saved: choose another reference and open the case again.",
                    ref=reference,
                )
            }
        )


def _insert(case: Case) -> None:
    """Flush the new case; a reference taken meanwhile raises ReferenceTaken."""
    try:
        db.session.flush()
    except IntegrityError as error:
        # Both databases name the column or its constraint (uq_cases_reference).
        if "reference" not in str(error.orig):
            raise
        raise ReferenceTaken(case.reference) from error


def open_case(
    *,
    reference: str,
    jurisdiction: str,
    opened_on: dt.date,
    survivor: Survivor | None = None,
    survivor_name: str | None = None,
    team: Iterable[User] = (),
    actor: User | None = None,
    today: dt.date | None = None,
    **details: Any,
) -> Case:
    """Create a case record with its team for `survivor`, or for a person recorded here from
    `survivor_name` (with `survivor_contact` and `reprisal_risk` among the details);
    the other details are the optional monitoring fields. With `today`, a date after it is
    refused."""
    _refuse_taken_reference(reference)
    check_case_dates(details, today=today)
    if survivor is None:
        person = {
            "name": survivor_name,
            "contact": details.pop("survivor_contact", None),
            "reprisal_risk": details.pop("reprisal_risk", None),
        }
        survivor = create_survivor(person, actor=actor, today=opened_on)
    case = Case(
        reference=reference,
        survivor=survivor,
        jurisdiction=jurisdiction,
        opened_on=opened_on,
        team=list(team),
        **_clean_details(details),
    )
    db.session.add(case)
    _insert(case)
    record(
        AuditKind.CASE_CREATED,
        actor=actor,
        case=case,
        details={
            "reference": case.reference,
            "jurisdiction": case.jurisdiction,
            "survivor": survivor.id,
            "team": sorted(user.id for user in case.team),
        },
    )
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
    as_history: bool = False,
) -> Proceeding:
    """Start `case` on a route at its initial stage, with the opening event and deadlines.

    `as_history`: opened to enter a running case's past steps; only the audit trail says so."""
    route = registry.route(route_id)
    if case.jurisdiction not in route.jurisdictions:
        raise InvalidInput(
            {
                "route": msg(
                    "Route %(route)s does not apply to %(j)s.",
                    route=route.title,
                    j=case.jurisdiction,
                )
            }
        )
    _refuse_second_in_group(registry, case, route)
    _refuse_without_consent(case, route)
    raw = {name: value for name, value in (facts or {}).items() if value not in (None, "")}
    clean = normalise_facts(
        registry.workflows,
        raw,
        required=route.opening_facts,
        allowed=route.opening_facts + tuple(raw),
        today=today,
    )
    check_event_date(opened_on, None, today)
    check_order(registry, case, clean, recorded=set(clean))
    proceeding = Proceeding(
        case=case,
        route=route.id,
        stage=route.initial,
        opened_on=opened_on,
        route_version=route_version(route),
    )
    if parent:
        proceeding.parent_id, proceeding.parent_event_id = parent[0].id, parent[1].id
    db.session.add(proceeding)
    event = append_event(proceeding, OPEN, None, route.initial, actor, opened_on, clean, note)
    record(
        AuditKind.ROUTE_OPENED,
        actor=actor,
        case=case,
        event=event,
        details={"route": route.id, "proceeding": proceeding.id, "stage": route.initial}
        | ({"from_proceeding": parent[0].id} if parent else {})
        | (HISTORY_MARK if as_history else {}),
    )
    opening = view_of(event)
    open_deadlines(registry, proceeding, event, current_facts(registry.workflows, [opening]))
    sync_stays(proceeding, [opening])
    return proceeding


def update_case(
    case: Case,
    details: Mapping[str, Any],
    *,
    team: Iterable[User] | None = None,
    expected_version: int | None = None,
    actor: User | None = None,
    today: dt.date | None = None,
    registry: Registry | None = None,
) -> Case:
    """Save edited details (and, when given, the team); refuse a stale form with StaleCase,
    and impossible dates (case_dates.py) beside their fields.

    Each kind of change goes on the audit trail: the details (survivor data only as
    "changed") and who joined or left the team."""
    if expected_version is not None and expected_version != case.version:
        raise StaleCase()
    details = _clean_details(details)
    dates = {name: details.get(name, getattr(case, name)) for name in CASE_DATES}
    check_case_dates(dates, today=today, registry=registry, proceedings=case.proceedings)
    _refuse_taken_reference(details.get("reference", case.reference), case.id)
    before = {name: getattr(case, name) for name in details}
    team_before = {u.id for u in case.team}
    for name, value in details.items():
        if getattr(case, name) != value:
            setattr(case, name, value)
    backup_left = False
    if team is not None and {u.id for u in team} != team_before:
        case.team = list(team)
        # The team lives in another table: touch the row so that its version moves too,
        # and a stale form cannot silently undo who may see the case.
        flag_modified(case, "reference")
        backup_left = drop_backup_not_on(case, {u.id for u in team})
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleCase() from error
    if before.get("jurisdiction", case.jurisdiction) != case.jurisdiction:
        move_durations(case, before["jurisdiction"])
    _record_edit(case, before, details, team_before, actor, backup_left=backup_left)
    return case


def _record_edit(
    case: Case,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    team_before: set[int],
    actor: User | None,
    *,
    backup_left: bool = False,
) -> None:
    changes = changed_fields(before, after)
    if changes:
        record(AuditKind.CASE_EDITED, actor=actor, case=case, details=changes)
    team_after = {u.id for u in case.team}
    if team_after != team_before:
        details = {
            "removed": sorted(team_before - team_after),
            "added": sorted(team_after - team_before),
        }
        if backup_left:  # the backup lawyer left the team, and with it the role
            details["backup"] = None
        record(AuditKind.TEAM_CHANGED, actor=actor, case=case, details=details)


def _clean_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """The case fields given, text stripped and blank text stored as nothing."""
    return {
        name: (value.strip() or None) if isinstance(value, str) else value
        for name, value in details.items()
    }


def open_route(
    registry: Registry,
    case: Case,
    route_id: str,
    *,
    actor: User | None,
    opened_on: dt.date,
    first_fact: dt.date | None,
    today: dt.date,
    as_history: bool = False,
) -> Proceeding:
    """Open `route_id` from a form whose one date fills the route's first opening fact."""
    if route_id not in registry.workflows.routes:
        raise InvalidInput({"route": msg("Unknown route %(route)s.", route=route_id)})
    route = registry.route(route_id)
    facts = {route.opening_facts[0]: first_fact} if route.opening_facts else {}
    return open_proceeding(
        registry,
        case,
        route_id,
        actor=actor,
        opened_on=opened_on,
        today=today,
        facts=facts,
        as_history=as_history,
    )


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
                        route=registry.route(other.route).title,
                    )
                }
            )


def _refuse_without_consent(case: Case, route: Route) -> None:
    """A route that requires consent (a UN body, a referral) is not opened without it."""
    reasons = consent_refusals(case, route.requires_consent)
    if reasons:
        both = Text(" ".join(r.ru for r in reasons), " ".join(r.en for r in reasons))
        raise InvalidInput({"route": both})


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
    state: ProceedingState | None = None,
    as_history: bool = False,
) -> FireResult:
    """Fire `trigger`: append the event, move the stage, close and open deadlines, hand over.

    `state` is the proceeding as the caller already built it for this request (the view
    that showed the step); without it, it is built here, once. `as_history`: a running
    case's past step entered now; the audit trail says so, and nothing else differs.
    """
    check_version(proceeding, expected_version)
    state = state or ProceedingState.of(registry, proceeding, today)
    transition = _available_transition(state, trigger)
    clean, occurred_on = _recorded_facts(registry, transition, facts, occurred_on, today)
    check_event_date(occurred_on, state.last_event_on, today, state.last_event_label)
    check_order(registry, proceeding.case, {**state.facts, **clean}, recorded=set(clean))
    try:
        dest = registry.machine(state.route.id).fire(proceeding.stage, trigger, state.context)
    except TransitionRefused as error:
        raise StepUnavailable([str(error)]) from error
    source = proceeding.stage
    event = append_event(proceeding, trigger, source, dest, actor, occurred_on, clean, note)
    # The trigger and the stages only: the facts and the note may hold survivor data.
    record(
        AuditKind.STEP,
        actor=actor,
        case=proceeding.case,
        event=event,
        details={
            "route": proceeding.route,
            "proceeding": proceeding.id,
            "trigger": trigger,
            "from": source,
            "to": dest,
        }
        | (HISTORY_MARK if as_history else {}),
    )
    result = FireResult(event)
    result.closed = close_deadlines(registry, proceeding, source, event)
    proceeding.stage = dest
    proceeding.updated_at = utcnow()  # always UPDATE, so the version check always runs
    proceeding.closed_on = occurred_on if state.route.stage(dest).final else None
    views = [*state.events, view_of(event)]
    all_facts = {**state.facts, **current_facts(registry.workflows, views[-1:])}
    result.opened = open_deadlines(registry, proceeding, event, all_facts)
    if transition.opens:
        result.handed_over.append(
            open_proceeding(
                registry,
                proceeding.case,
                transition.opens.route,
                actor=actor,
                opened_on=occurred_on,
                today=today,
                facts=carried_facts(transition, all_facts),
                parent=(proceeding, event),
                as_history=as_history,
            )
        )
    sync_stays(proceeding, views)
    db.session.flush()
    return result


def check_order(
    registry: Registry, case: Case, facts: Mapping[str, Any], *, recorded: set[str]
) -> None:
    """Refuse dates out of their declared order, naming both dates (workflows.yaml not_before)."""
    problems = order_problems(
        registry.workflows, facts, recorded=recorded, incident_on=case.incident_date
    )
    if problems:
        raise InvalidInput({problem.later: order_message(problem) for problem in problems})


def order_message(problem: OrderProblem) -> Msg:
    """Both dates and what they are, for the reader to see in their own date format."""
    return msg(
        "«%(later)s» (%(later_on)s) cannot be before «%(earlier)s» (%(earlier_on)s).",
        later=problem.later_label,
        later_on=problem.later_on,
        earlier=problem.earlier_label,
        earlier_on=problem.earlier_on,
    )


def _available_transition(state: ProceedingState, trigger: str) -> Transition:
    """The transition of `trigger`, if the state's steps offer it now; else StepUnavailable."""
    try:
        transition = state.route.transition(trigger)
    except KeyError:
        raise StepUnavailable([msg("Unknown step %(step)s.", step=trigger)]) from None
    step: NextStep | None = state.step(trigger)
    if step is None:
        raise StepUnavailable(
            [
                msg(
                    "This step cannot be taken from the stage %(stage)s.",
                    stage=state.proceeding.stage,
                )
            ]
        )
    if not step.available:
        raise StepUnavailable([reason.en for reason in step.reasons], step.reasons)
    return transition


def _recorded_facts(
    registry: Registry,
    transition: Transition,
    facts: Mapping[str, Any] | None,
    occurred_on: dt.date | None,
    today: dt.date,
) -> tuple[dict[str, Any], dt.date]:
    """The facts the step records, checked, and the event's legal date."""
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
    return clean, occurred_on
