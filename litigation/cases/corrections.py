"""Correcting a recorded date and overriding a deadline, without rewriting history.

A correction is a new event that names the event it corrects; deadlines computed from the
corrected dates are recomputed. A lawyer's override (an extension granted, a period restored)
is never clobbered by a recomputation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..audit import record
from ..db import db, utcnow
from ..errors import InvalidInput, msg
from ..models import AuditKind, Deadline, Event, Proceeding, User
from ..workflows.calendar import add_period
from ..workflows.engine import (
    CORRECTION,
    OCCURRED_ON,
    OPEN,
    OVERRIDE,
    EventView,
    apply_correction,
    current_facts,
)
from ..workflows.loaded import Registry
from ..workflows.spec import FactType, Period, Unit
from .deadlines import DeadlineChange, open_now_plannable, recompute_deadlines
from .history import append_event, check_event_date, check_plausible, effective_history
from .operations import check_order, check_version, guarded_against_races
from .stays import sync_stays


@guarded_against_races
def correct_event(
    registry: Registry,
    event: Event,
    *,
    actor: User | None,
    changes: dict[str, Any],
    today: dt.date,
    note: str | None = None,
    expected_version: int | None = None,
) -> list[DeadlineChange]:
    """Record corrected dates for `event` and return how each affected deadline moved."""
    proceeding = event.proceeding
    check_version(proceeding, expected_version)
    views = effective_history(proceeding)
    current = next((view for view in views if view.id == event.id), None)
    if current is None:
        raise InvalidInput({"event": msg("Only events that record a step can be corrected.")})
    clean = _clean_changes(registry, proceeding, views, current, changes, today)
    if not clean:
        raise InvalidInput({"occurred_on": msg("Nothing to correct: the dates are unchanged.")})
    previous = {name: _as_text(current, name) for name in clean}
    corrected_views = apply_correction(views, event.id, clean)
    corrected = next(view for view in corrected_views if view.id == event.id)
    check_order(
        registry,
        proceeding.case,
        current_facts(registry.workflows, corrected_views),
        recorded=set(corrected.facts),
    )
    correcting = append_event(
        proceeding,
        CORRECTION,
        proceeding.stage,
        proceeding.stage,
        actor,
        today,
        {"corrects_event": event.id, "changes": clean, "previous": previous},
        note,
    )
    record(
        AuditKind.CORRECTION,
        actor=actor,
        case=proceeding.case,
        event=correcting,
        details={
            "proceeding": proceeding.id,
            "corrects_event": event.id,
            "fields": sorted(clean),
        },
    )
    views = corrected_views
    moved = recompute_deadlines(registry, proceeding, views)
    moved.extend(
        DeadlineChange(deadline, None, deadline.due_date, overridden=False)
        for deadline in open_now_plannable(registry, proceeding, views)
    )
    sync_stays(proceeding, views)
    moved.extend(_propagate_to_children(registry, proceeding, views, actor, today))
    proceeding.updated_at = utcnow()
    db.session.flush()
    return moved


def _as_text(view: EventView, name: str) -> str | None:
    value = view.occurred_on if name == OCCURRED_ON else view.facts.get(name)
    return value.isoformat() if isinstance(value, dt.date) else value


def correctable_dates(registry: Registry, route_id: str, view: EventView) -> list[str]:
    """The dates a lawyer may correct, or record later, on an event: each date its step
    records or may record, and the event's own date when no fact carries it."""
    workflows = registry.workflows
    names: list[str] = []
    if route_id in workflows.routes:
        route = workflows.routes[route_id]
        if view.trigger == OPEN:
            names.extend(route.opening_facts)
        elif view.trigger in {t.trigger for t in route.transitions}:
            transition = route.transition(view.trigger)
            names.extend(n for n in (transition.event_date,) if n)
            names.extend((*transition.records, *transition.optional))
    names.extend(view.facts)
    dates = [
        name
        for name in dict.fromkeys(names)
        if name in workflows.facts and workflows.facts[name].type is FactType.DATE
    ]
    event_date = _event_date_fact(registry, route_id, view)
    return dates if event_date in dates else [OCCURRED_ON, *dates]


def _event_date_fact(registry: Registry, route_id: str, view: EventView) -> str | None:
    route = registry.workflows.routes.get(route_id)
    if route is None or view.trigger not in {t.trigger for t in route.transitions}:
        return None
    return route.transition(view.trigger).event_date


def _clean_changes(
    registry: Registry,
    proceeding: Proceeding,
    views: list[EventView],
    view: EventView,
    changes: dict[str, Any],
    today: dt.date,
) -> dict[str, str]:
    event_date_fact = _event_date_fact(registry, proceeding.route, view)
    allowed = {OCCURRED_ON, *correctable_dates(registry, proceeding.route, view)}
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in changes.items():
        if value in (None, ""):
            continue
        if name not in allowed:
            errors[name] = msg("This event did not record this date.")
            continue
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            check_plausible(day, today)
        except InvalidInput as error:
            errors[name] = next(iter(error.errors.values()))
            continue
        except ValueError:
            errors[name] = msg("%(value)s is not a date (YYYY-MM-DD).", value=value)
            continue
        if _as_text(view, name) != day.isoformat():
            clean[name] = day.isoformat()
    if errors:
        raise InvalidInput(errors)
    # The event's legal date and its event_date fact are one date: keep them together.
    for one, other in ((OCCURRED_ON, event_date_fact), (event_date_fact, OCCURRED_ON)):
        if one in clean and other and other not in clean:
            clean[other] = clean[one]
    if OCCURRED_ON in clean:
        _check_chronology(views, view, dt.date.fromisoformat(clean[OCCURRED_ON]), today)
    return clean


def _check_chronology(
    views: list[EventView], view: EventView, day: dt.date, today: dt.date
) -> None:
    index = next(i for i, v in enumerate(views) if v.id == view.id)
    check_event_date(day, views[index - 1].occurred_on if index else None, today)
    if index + 1 < len(views) and day > views[index + 1].occurred_on:
        later = views[index + 1].occurred_on
        raise InvalidInput(
            {
                OCCURRED_ON: msg(
                    "The event date cannot be after the next event (%(date)s).", date=later
                )
            }
        )


def _propagate_to_children(
    registry: Registry,
    proceeding: Proceeding,
    views: list[EventView],
    actor: User | None,
    today: dt.date,
) -> list[DeadlineChange]:
    """Carry corrected facts into proceedings this one handed over to."""
    moved: list[DeadlineChange] = []
    route = registry.route(proceeding.route)
    children = db.session.scalars(
        db.select(Proceeding).where(Proceeding.parent_id == proceeding.id)
    )
    for child in children:
        index = next((i for i, v in enumerate(views) if v.id == child.parent_event_id), None)
        if index is None:
            continue
        hand_over = route.transition(views[index].trigger).opens
        facts = current_facts(registry.workflows, views[: index + 1])
        opening = effective_history(child)[0]
        stale = {
            new: facts[old].isoformat()
            for new, old in (hand_over.carry if hand_over else ())
            if isinstance(facts.get(old), dt.date)
            and opening.facts.get(new) != facts[old].isoformat()
        }
        if stale:
            opening_event = db.session.get(Event, opening.id)
            moved.extend(
                correct_event(
                    registry,
                    opening_event,
                    actor=actor,
                    changes=stale,
                    today=today,
                    note=f"Carried over from the correction in proceeding {proceeding.id}",
                )
            )
    return moved


# A restored or extended period still ends within years of its event, never decades.
LONGEST_OVERRIDE_YEARS = 10


def _check_override_date(deadline: Deadline, new_due: dt.date) -> None:
    anchor = deadline.anchor_date
    if new_due < anchor:
        raise InvalidInput(
            {
                "due_date": msg(
                    "The new date cannot be before the event it counts from (%(date)s).",
                    date=anchor,
                )
            }
        )
    latest = add_period(anchor, Period(LONGEST_OVERRIDE_YEARS, Unit.YEARS))
    if new_due > latest:
        raise InvalidInput(
            {
                "due_date": msg(
                    "The new date is more than %(years)d years after the event it counts "
                    "from (%(date)s): check the year.",
                    years=LONGEST_OVERRIDE_YEARS,
                    date=anchor,
                )
            }
        )


@guarded_against_races
def override_deadline(
    deadline: Deadline,
    *,
    actor: User | None,
    new_due: dt.date | None,
    reason: str,
    today: dt.date,
    expected_version: int | None = None,
) -> Deadline:
    """Set (or, with new_due None, remove) a lawyer's due date, with the reason, in the history."""
    check_version(deadline.proceeding, expected_version)
    if not reason.strip():
        raise InvalidInput({"reason": msg("Say why (e.g. the court restored the period).")})
    if new_due is not None:
        _check_override_date(deadline, new_due)
    proceeding = deadline.proceeding
    before = deadline.due_date
    deadline.override_due = new_due
    deadline.override_reason = reason.strip() if new_due else None
    deadline.override_by_id = actor.id if (actor and new_due) else None
    deadline.due_date = new_due or deadline.computed_due
    if deadline.due_date != before:
        deadline.sequence += 1
    deadline.updated_at = utcnow()
    event = append_event(
        proceeding,
        OVERRIDE,
        proceeding.stage,
        proceeding.stage,
        actor,
        today,
        {
            "deadline_id": deadline.id,
            "rule": deadline.rule,
            "from": before.isoformat(),
            "to": deadline.due_date.isoformat(),
        },
        reason.strip(),
    )
    # The reason is the lawyer's own words, kept in the history: the trail keeps the dates.
    record(
        AuditKind.OVERRIDE,
        actor=actor,
        case=proceeding.case,
        event=event,
        details={
            "proceeding": proceeding.id,
            "deadline": deadline.id,
            "rule": deadline.rule,
            "from": before.isoformat(),
            "to": deadline.due_date.isoformat(),
        },
    )
    proceeding.updated_at = utcnow()
    db.session.flush()
    return deadline
