"""A proceeding's history in words: each event as the reader says it, never an internal code.

Steps read as what was done (a transition's `done_label`), facts by their labels, dates in the
reader's format, a deadline by its rule's label; a corrected event carries a mark linking to
its correction and the correction links back; a note reads as its newest version, the earlier
ones kept (cases/notes.py). The case page draws these items (cases/_history.html).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..cases.notes import note_editable
from ..models import Deadline, Event, Proceeding
from ..workflows.engine import (
    BOOKKEEPING,
    CORRECTION,
    OCCURRED_ON,
    OPEN,
    OVERRIDE,
    RECALCULATION,
    STAGE_MIGRATION,
)
from ..workflows.loaded import Registry
from ..workflows.spec import Route
from .filters import fact_text, human_date, localised, rule_label

LONG_NOTE = 400
"""Characters beyond which a note is folded, its beginning shown."""


@dataclass
class NoteVersion:
    text: str | None
    by: str
    at: dt.datetime


@dataclass
class HistoryItem:
    """One event of the history as the case page shows it."""

    event: Event
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    corrects: Event | None = None  # for a correction: the event it corrects
    corrected_by: list[Event] = field(default_factory=list)
    notes: list[NoteVersion] = field(default_factory=list)  # oldest first; the last is current
    correctable: bool = False
    note_editable: bool = False

    @property
    def note(self) -> str | None:
        return self.notes[-1].text if self.notes else None

    @property
    def note_edited(self) -> NoteVersion | None:
        """The latest version when the note was edited after the event was recorded."""
        return self.notes[-1] if len(self.notes) > 1 else None

    @property
    def earlier_notes(self) -> list[NoteVersion]:
        return list(reversed(self.notes[:-1]))

    @property
    def long_note(self) -> bool:
        return bool(self.note) and len(self.note) > LONG_NOTE

    @property
    def note_start(self) -> str:
        """The note's beginning, cut at a word, for its folded form."""
        text = self.note or ""
        return text[:LONG_NOTE].rsplit(" ", 1)[0] if len(text) > LONG_NOTE else text


def history_items(registry: Registry, proceeding: Proceeding, route: Route) -> list[HistoryItem]:
    """The proceeding's events, newest first, in words."""
    events = sorted(proceeding.events, key=lambda e: e.id)
    by_id = {event.id: event for event in events}
    corrections: dict[int, list[Event]] = {}
    for event in events:
        if event.trigger == CORRECTION:
            target = _int(event.facts.get("corrects_event"))
            corrections.setdefault(target, []).append(event)
    deadlines = {d.id: d for d in proceeding.deadlines}
    items = [
        _item(registry, route, event, by_id, corrections.get(event.id, []), deadlines)
        for event in events
    ]
    return list(reversed(items))


def _item(
    registry: Registry,
    route: Route,
    event: Event,
    by_id: dict[int, Event],
    corrected_by: list[Event],
    deadlines: dict[int, Deadline],
) -> HistoryItem:
    item = HistoryItem(
        event,
        _title(registry, route, event, deadlines),
        corrected_by=corrected_by,
        notes=_notes(event),
        correctable=event.trigger not in BOOKKEEPING and event.trigger != STAGE_MIGRATION,
        note_editable=note_editable(event) and event.trigger != OVERRIDE,
    )
    if event.trigger == CORRECTION:
        item.corrects = by_id.get(_int(event.facts.get("corrects_event")))
        item.facts = _changes(registry, event.facts)
    elif event.trigger not in BOOKKEEPING:
        item.facts = [
            (_fact_label(registry, name), fact_text(name, value))
            for name, value in (event.facts or {}).items()
        ]
    return item


def _title(registry: Registry, route: Route, event: Event, deadlines: dict[int, Deadline]) -> str:
    facts = event.facts or {}
    if event.trigger == OPEN:
        return _("Route opened")
    if event.trigger == CORRECTION:
        return _("Dates corrected or recorded later")
    if event.trigger in (OVERRIDE, RECALCULATION):
        deadline = deadlines.get(_int(facts.get("deadline_id")))
        rule = rule_label(deadline) if deadline else _rule_words(route, facts.get("rule"))
        moved = f"{_date_text(facts.get('from'))} → {_date_text(facts.get('to')) or _('cancelled')}"
        if event.trigger == OVERRIDE:
            return _("Deadline changed by hand: %(rule)s, %(moved)s", rule=rule, moved=moved)
        return _(
            "Deadline recalculated after a change of the rules: %(rule)s, %(moved)s",
            rule=rule,
            moved=moved,
        )
    if event.trigger == STAGE_MIGRATION:
        return _(
            "Moved to a renamed stage: %(old)s → %(new)s",
            old=_stage_words(route, event.from_stage),
            new=_stage_words(route, event.to_stage),
        )
    if event.trigger in {t.trigger for t in route.transitions}:
        return localised(route.transition(event.trigger).done)
    return _("Step no longer in the route: %(step)s", step=event.trigger)


def _changes(registry: Registry, facts: dict[str, Any]) -> list[tuple[str, str]]:
    """A correction's changes: each date's label, what it was and what it is now."""
    previous = facts.get("previous") or {}
    return [
        (
            _fact_label(registry, name),
            f"{_date_text(previous.get(name)) or _('(not recorded)')} → {_date_text(value)}",
        )
        for name, value in (facts.get("changes") or {}).items()
    ]


def _notes(event: Event) -> list[NoteVersion]:
    """The note as first recorded, then each later version, oldest first."""
    author = event.actor.name if event.actor else _("system")
    versions = [NoteVersion(event.note, author, event.recorded_at)] if event.note else []
    for revision in event.note_revisions:
        by = revision.actor.name if revision.actor else _("system")
        versions.append(NoteVersion(revision.note, by, revision.recorded_at))
    return versions


def _fact_label(registry: Registry, name: str) -> str:
    if name == OCCURRED_ON:
        return _("Date of the event")
    spec = registry.workflows.facts.get(name)
    return localised(spec.label) if spec else name


def _date_text(value: Any) -> str:
    """A stored date (ISO text) in the reader's format; anything else as it is."""
    if isinstance(value, str):
        try:
            return human_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return (
        human_date(value) if isinstance(value, dt.date) else ("" if value is None else str(value))
    )


def _rule_words(route: Route, name: Any) -> str:
    """A rule named in an event whose deadline is gone: its label if the route still has it."""
    for stage in route.stages:
        for rule in stage.deadlines:
            if rule.name == name:
                return localised(rule.label)
    return str(name or "?")


def _stage_words(route: Route, stage: str | None) -> str:
    return localised(route.stage(stage).label) if stage and route.has_stage(stage) else str(stage)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
