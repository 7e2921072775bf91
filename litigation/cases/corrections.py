"""Correcting a recorded date and overriding a deadline, without rewriting history.

A correction is a new event that names the event it corrects; deadlines computed from the
corrected dates are recomputed. A lawyer's override (an extension granted, a period restored)
is never clobbered by a recomputation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..db import db, utcnow
from ..errors import InvalidInput, msg
from ..models import Deadline, Event, Proceeding, User
from ..workflows.engine import (
    CORRECTION,
    OCCURRED_ON,
    OVERRIDE,
    EventView,
    apply_correction,
    current_facts,
)
from ..workflows.loaded import Registry
from ..workflows.spec import FactType
from .deadlines import DeadlineChange, recompute_deadlines
from .history import append_event, check_event_date, effective_history
from .operations import check_version, guarded_against_races
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
    append_event(
        proceeding,
        CORRECTION,
        proceeding.stage,
        proceeding.stage,
        actor,
        today,
        {"corrects_event": event.id, "changes": clean, "previous": previous},
        note,
    )
    views = apply_correction(views, event.id, clean)
    moved = recompute_deadlines(registry, proceeding, views)
    sync_stays(proceeding, views)
    moved.extend(_propagate_to_children(registry, proceeding, views, actor, today))
    proceeding.updated_at = utcnow()
    db.session.flush()
    return moved


def _as_text(view: EventView, name: str) -> str | None:
    value = view.occurred_on if name == OCCURRED_ON else view.facts.get(name)
    return value.isoformat() if isinstance(value, dt.date) else value


def _clean_changes(
    registry: Registry,
    proceeding: Proceeding,
    views: list[EventView],
    view: EventView,
    changes: dict[str, Any],
    today: dt.date,
) -> dict[str, str]:
    route = registry.route(proceeding.route)
    event_date_fact = None
    if view.trigger in {t.trigger for t in route.transitions}:
        event_date_fact = route.transition(view.trigger).event_date
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in changes.items():
        if value in (None, ""):
            continue
        spec = registry.workflows.facts.get(name)
        if name != OCCURRED_ON and (
            name not in view.facts or spec is None or spec.type is not FactType.DATE
        ):
            errors[name] = msg("This event did not record this date.")
            continue
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            errors[name] = msg("%(value)s is not a date (YYYY-MM-DD).", value=value)
            continue
        if day > today:
            errors[name] = msg("A date of something that happened cannot be in the future.")
        elif _as_text(view, name) != day.isoformat():
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
        later = views[index + 1].occurred_on.isoformat()
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
    proceeding = deadline.proceeding
    before = deadline.due_date
    deadline.override_due = new_due
    deadline.override_reason = reason.strip() if new_due else None
    deadline.override_by_id = actor.id if (actor and new_due) else None
    deadline.due_date = new_due or deadline.computed_due
    if deadline.due_date != before:
        deadline.sequence += 1
    deadline.updated_at = utcnow()
    append_event(
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
    proceeding.updated_at = utcnow()
    db.session.flush()
    return deadline
