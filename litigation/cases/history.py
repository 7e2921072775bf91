"""The event history: the one writer of Event rows, and the history as it counts now.

Events are appended, never changed (models.py refuses updates and deletes). A proceeding's
effective history (corrections applied, bookkeeping dropped) is replayed here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..db import db
from ..errors import InvalidInput, msg
from ..models import Event, Proceeding, User
from ..workflows.engine import EventView, effective_events
from ..workflows.spec import Text


def view_of(event: Any) -> EventView:
    """An Event row (or a row with the same columns) as the engine's EventView."""
    return EventView(
        event.id,
        event.trigger,
        event.from_stage,
        event.to_stage,
        event.occurred_on,
        event.facts or {},
    )


def replay(events: Iterable[Any]) -> list[EventView]:
    """The events as they count now: corrections applied, bookkeeping dropped."""
    return effective_events(view_of(event) for event in events)


def effective_history(proceeding: Proceeding) -> list[EventView]:
    """The proceeding's events as they count now."""
    return replay(proceeding.events)


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
    """Append one event to the proceeding's history (the only place an Event is made)."""
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


# Kazakhstan and Tajikistan became independent in 1991: no event of these routes is older.
EARLIEST_EVENT = dt.date(1991, 1, 1)


def check_plausible(day: dt.date, today: dt.date, field: str = "occurred_on") -> None:
    """Refuse a date of something that happened before 1991 or after today."""
    if day > today:
        raise InvalidInput(
            {field: msg("A date of something that happened cannot be in the future.")}
        )
    if day < EARLIEST_EVENT:
        raise InvalidInput(
            {field: msg("A date before 1991 is not plausible here: check the year.")}
        )


def check_event_date(
    occurred_on: dt.date,
    previous: dt.date | None,
    today: dt.date,
    previous_step: Text | None = None,
) -> None:
    """Refuse an event in the future, before 1991, or before the event it follows, naming both
    dates (and, when given, what the previous event was)."""
    if occurred_on > today:
        raise InvalidInput({"occurred_on": msg("The event date cannot be in the future.")})
    check_plausible(occurred_on, today)
    if previous and occurred_on < previous:
        if previous_step is None:
            message = msg(
                "The date %(date)s cannot be before the previous event of the route "
                "(%(previous)s): record the steps oldest first.",
                date=occurred_on,
                previous=previous,
            )
        else:
            message = msg(
                "The date %(date)s cannot be before the previous event of the route "
                "(%(step)s, %(previous)s): record the steps oldest first.",
                date=occurred_on,
                previous=previous,
                step=previous_step,
            )
        raise InvalidInput({"occurred_on": message})
