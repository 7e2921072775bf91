"""Pure functions turning deadlines into iCalendar bytes (RFC 5545, with RFC 7986 names).

Nothing here reads the database, the request or the clock: callers pass plain data with
every label already in the subscriber's language, so the same input always gives the same
bytes (which makes the HTTP ETag a hash of the content).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Event, vDuration

PRODID = "-//litigation//deadline calendar//EN"
ONE_DAY = dt.timedelta(days=1)
REFRESH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class DeadlineEntry:
    """One deadline as a calendar shows it; survivor_name and notes stay None unless allowed."""

    id: int
    reference: str
    rule_label: str
    stage_label: str
    due: dt.date
    updated_at: dt.datetime
    sequence: int
    is_open: bool
    warning: bool
    verified: bool
    party_label: str
    legal_basis: str
    guidance: str
    case_url: str
    reminders: tuple[int, ...] = ()
    caveats: tuple[str, ...] = ()  # why the date may move, already in the reader's language
    survivor_name: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Labels:
    """The words around the data, already translated into the subscriber's language."""

    next_step: str
    legal_basis: str
    unverified: str
    warning: str
    who_acts: str
    survivor: str
    notes: str
    case_page: str
    reminder: Callable[[int], str]  # days before the due date -> "Due in 7 days"


def uid(deadline_id: int, host: str, reminder: int | None = None) -> str:
    """A UID that never changes for a deadline (or for one of its reminder days)."""
    suffix = f"-reminder-{reminder}" if reminder is not None else ""
    return f"deadline-{deadline_id}{suffix}@{host}"


def one_line(text: str) -> str:
    """`text` with its line breaks and runs of white space made single spaces."""
    return " ".join(text.split())


def summary(entry: DeadlineEntry) -> str:
    """'<reference> · <rule> (<stage>)', with the survivor's name only when it was passed in."""
    text = f"{entry.reference} · {entry.rule_label} ({entry.stage_label})"
    return one_line(f"{text} · {entry.survivor_name}" if entry.survivor_name else text)


def description(entry: DeadlineEntry, labels: Labels) -> str:
    """The next step, legal basis, warnings, who acts, optional names and the case link."""
    lines = []
    if entry.guidance:
        lines.append(f"{labels.next_step}: {entry.guidance}")
    lines.append(f"{labels.legal_basis}: {entry.legal_basis}")
    lines.extend(entry.caveats)
    if not entry.verified:
        lines.append(labels.unverified)
    if entry.warning:
        lines.append(labels.warning)
    lines.append(f"{labels.who_acts}: {entry.party_label}")
    if entry.survivor_name:
        lines.append(f"{labels.survivor}: {entry.survivor_name}")
    if entry.notes:
        lines.append(f"{labels.notes}: {entry.notes}")
    lines.append(f"{labels.case_page}: {entry.case_url}")
    return "\n".join(lines)


def _all_day(event_uid: str, day: dt.date, entry: DeadlineEntry, title: str, text: str) -> Event:
    stamp = entry.updated_at.astimezone(dt.UTC)
    event = Event()
    event.add("uid", event_uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", day)  # a date, so VALUE=DATE: an all-day event
    # A stored date at the end of the calendar (a typo such as 9999-12-31) must not break the
    # whole feed: the event then lasts its one day without a DTEND.
    if day < dt.date.max:
        event.add("dtend", day + ONE_DAY)
    event.add("sequence", entry.sequence)
    event.add("status", "CONFIRMED" if entry.is_open else "CANCELLED")
    event.add("transp", "TRANSPARENT")
    event.add("summary", title)
    event.add("description", text)
    event.add("url", entry.case_url)
    return event


def alarm(days_before: int, text: str) -> Alarm:
    """A display reminder `days_before` days before the start of the all-day event."""
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("trigger", dt.timedelta(days=-days_before))
    reminder.add("description", text)
    return reminder


def deadline_event(entry: DeadlineEntry, host: str, labels: Labels) -> Event:
    """The all-day event on the due date, with an alarm per reminder offset while open."""
    title = summary(entry)
    event = _all_day(uid(entry.id, host), entry.due, entry, title, description(entry, labels))
    if entry.is_open:
        for days in entry.reminders:
            event.add_component(alarm(days, f"{title}: {labels.reminder(days)}"))
    return event


def reminder_events(entry: DeadlineEntry, host: str, labels: Labels) -> list[Event]:
    """The reminders as separate all-day events, for clients that ignore alarms in feeds."""
    text = description(entry, labels)
    return [
        _all_day(
            uid(entry.id, host, days),
            entry.due - dt.timedelta(days=days),
            entry,
            f"{labels.reminder(days)}: {summary(entry)}",
            text,
        )
        for days in entry.reminders
        if (entry.due - dt.date.min).days >= days  # no reminder before the year 1
    ]


def calendar(name: str, events: Iterable[Event], refresh: dt.timedelta = REFRESH) -> Calendar:
    """A published calendar with its name and how often clients should fetch it again."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = one_line(name)  # X-WR-CALNAME is not escaped text: a line break would break the feed
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(refresh))
    for event in events:
        cal.add_component(event)
    return cal


def feed_ics(
    entries: Iterable[DeadlineEntry],
    *,
    name: str,
    host: str,
    labels: Labels,
    with_reminder_events: bool = False,
) -> bytes:
    """A whole feed: one event per deadline, plus reminder events when asked for."""
    events: list[Event] = []
    for entry in entries:
        events.append(deadline_event(entry, host, labels))
        if with_reminder_events:
            events.extend(reminder_events(entry, host, labels))
    return calendar(name, events).to_ical()


def deadline_ics(entry: DeadlineEntry, *, host: str, labels: Labels) -> bytes:
    """One deadline as a downloadable .ics file."""
    return calendar(summary(entry), [deadline_event(entry, host, labels)]).to_ical()
