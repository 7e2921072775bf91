"""Pure functions turning deadlines and hearings into iCalendar bytes (RFC 5545, with RFC
7986 names).

Nothing here reads the database, the request or the clock: callers pass plain data with
every label already in the subscriber's language, so the same input always gives the same
bytes (which makes the HTTP ETag a hash of the content).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from icalendar import Alarm, Calendar, Event, vDuration

PRODID = "-//litigation//deadline calendar//EN"
ONE_DAY = dt.timedelta(days=1)
REFRESH = dt.timedelta(hours=1)
# The years a hearing may be given in (cases/hearings.py): a stored date beyond them gets the
# zone as described at the edge, rather than break the feed.
ZONE_SPAN = (dt.date(1900, 1, 1), dt.date(2201, 1, 1))


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


@dataclass(frozen=True)
class HearingEntry:
    """One hearing as a calendar shows it; survivor_name, place, attendees and notes stay
    None unless allowed."""

    id: int
    reference: str
    kind_label: str
    starts: dt.datetime  # aware, in the hearing's own zone (a ZoneInfo: it names the TZID)
    duration: dt.timedelta
    duration_known: bool
    zone_label: str
    updated_at: dt.datetime
    sequence: int
    cancelled: bool
    case_url: str
    reminders: tuple[dt.timedelta, ...] = ()
    survivor_name: str | None = None
    place: str | None = None
    attendees: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class HearingLabels:
    """The words around a hearing, already in the subscriber's language."""

    local_time: str
    duration_unknown: str
    cancelled: str
    survivor: str
    place: str
    attendees: str
    notes: str
    case_page: str
    starts_in: Callable[[dt.timedelta], str]  # how long before the start -> "in 1 hour"


def uid(deadline_id: int, host: str, reminder: int | None = None) -> str:
    """A UID that never changes for a deadline (or for one of its reminder days)."""
    suffix = f"-reminder-{reminder}" if reminder is not None else ""
    return f"deadline-{deadline_id}{suffix}@{host}"


def hearing_uid(hearing_id: int, host: str, reminder: int | None = None) -> str:
    """A UID that never changes for a hearing, apart from every deadline's."""
    suffix = f"-reminder-{reminder}" if reminder is not None else ""
    return f"hearing-{hearing_id}{suffix}@{host}"


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


def _event(event_uid: str, updated_at: dt.datetime, sequence: int, live: bool, url: str) -> Event:
    """An event with what every one carries: its UID, stamps, SEQUENCE, STATUS and link."""
    stamp = updated_at.astimezone(dt.UTC)
    event = Event()
    event.add("uid", event_uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence)
    event.add("status", "CONFIRMED" if live else "CANCELLED")
    event.add("url", url)
    return event


def _all_day(event_uid: str, day: dt.date, entry: DeadlineEntry, title: str, text: str) -> Event:
    event = _event(event_uid, entry.updated_at, entry.sequence, entry.is_open, entry.case_url)
    _on_day(event, day, title, text)
    return event


def _on_day(event: Event, day: dt.date, title: str, text: str) -> None:
    event.add("dtstart", day)  # a date, so VALUE=DATE: an all-day event
    # A stored date at the end of the calendar (a typo such as 9999-12-31) must not break the
    # whole feed: the event then lasts its one day without a DTEND.
    if day < dt.date.max:
        event.add("dtend", day + ONE_DAY)
    event.add("transp", "TRANSPARENT")
    event.add("summary", title)
    event.add("description", text)


def alarm(days_before: int, text: str) -> Alarm:
    """A display reminder `days_before` days before the start of the all-day event."""
    return alarm_before(dt.timedelta(days=days_before), text)


def alarm_before(offset: dt.timedelta, text: str) -> Alarm:
    """A display reminder `offset` before the start of the event."""
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("trigger", -offset)
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


def hearing_summary(entry: HearingEntry, labels: HearingLabels) -> str:
    """'<reference> · <kind>', the survivor's name only when passed in, marked if cancelled."""
    text = f"{entry.reference} · {entry.kind_label}"
    if entry.survivor_name:
        text = f"{text} · {entry.survivor_name}"
    # Clients that show cancelled events anyway (rather than drop them) still say so.
    return one_line(f"{labels.cancelled}: {text}" if entry.cancelled else text)


def hearing_description(entry: HearingEntry, labels: HearingLabels) -> str:
    """The local time in the hearing's zone, then the details allowed in, and the case link."""
    lines = [f"{labels.local_time}: {entry.starts:%H:%M} ({entry.zone_label})"]
    if not entry.duration_known:
        lines.append(labels.duration_unknown)
    for label, value in (
        (labels.survivor, entry.survivor_name),
        (labels.place, entry.place),
        (labels.attendees, entry.attendees),
        (labels.notes, entry.notes),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines.append(f"{labels.case_page}: {entry.case_url}")
    return "\n".join(lines)


def hearing_end(entry: HearingEntry) -> dt.datetime | None:
    """When the hearing ends, in its zone (counted in UTC, so a change of offset cannot
    stretch it); None past the end of the calendar."""
    try:
        return (entry.starts.astimezone(dt.UTC) + entry.duration).astimezone(entry.starts.tzinfo)
    except OverflowError:
        return None  # a stored typo at the end of time: the event then has no DTEND


def hearing_event(entry: HearingEntry, host: str, labels: HearingLabels) -> Event:
    """A timed event in the hearing's zone (TZID), with an alarm per offset unless cancelled."""
    live = not entry.cancelled
    event = _event(
        hearing_uid(entry.id, host), entry.updated_at, entry.sequence, live, entry.case_url
    )
    event.add("dtstart", entry.starts)
    if (end := hearing_end(entry)) is not None:
        event.add("dtend", end)
    title = hearing_summary(entry, labels)
    event.add("summary", title)
    event.add("description", hearing_description(entry, labels))
    if entry.place:
        event.add("location", one_line(entry.place))
    if live:
        for offset in entry.reminders:
            event.add_component(alarm_before(offset, f"{title}: {labels.starts_in(offset)}"))
    return event


def hearing_reminder_events(entry: HearingEntry, host: str, labels: HearingLabels) -> list[Event]:
    """The whole-day reminders (the day before) as all-day events, for clients that ignore
    alarms; an offset of hours has no day of its own and stays an alarm only."""
    title, text = hearing_summary(entry, labels), hearing_description(entry, labels)
    day, live = entry.starts.date(), not entry.cancelled
    events = []
    for offset in entry.reminders:
        days = offset.days
        if offset != dt.timedelta(days=days) or (day - dt.date.min).days < days:
            continue
        event = _event(
            hearing_uid(entry.id, host, days),
            entry.updated_at,
            entry.sequence,
            live,
            entry.case_url,
        )
        heading = f"{labels.starts_in(offset)}, {entry.starts:%H:%M}: {title}"
        _on_day(event, day - offset, heading, text)
        events.append(event)
    return events


def _with_zones(cal: Calendar, hearings: list[HearingEntry]) -> Calendar:
    """Add a VTIMEZONE for each zone the hearings use, covering only their dates (a zone's
    whole history would weigh on slow connections), within the years a hearing may have."""
    if hearings:
        first = min(entry.starts.date() for entry in hearings)
        last = max((hearing_end(entry) or entry.starts).date() for entry in hearings)
        first, last = (max(ZONE_SPAN[0], min(day, ZONE_SPAN[1])) for day in (first, last))
        cal.add_missing_timezones(first_date=first - ONE_DAY, last_date=last + ONE_DAY)
    return cal


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


def feed_ics(entries: Iterable[DeadlineEntry], **options: Any) -> bytes:
    """A whole feed: one event per deadline and per hearing, plus reminder events when asked
    for, and the VTIMEZONE of each zone the hearings are in (the options of
    ical_lines.feed_bytes, which writes it line by line)."""
    from .ical_lines import feed_bytes  # it builds on this module's words and shapes

    return feed_bytes(entries, **options)


def feed_components_ics(
    entries: Iterable[DeadlineEntry],
    *,
    name: str,
    host: str,
    labels: Labels,
    hearings: Iterable[HearingEntry] = (),
    hearing_labels: HearingLabels | None = None,
    with_reminder_events: bool = False,
) -> bytes:
    """feed_ics built as icalendar components: the reference ical_lines is checked against
    (tests/feeds/test_ical_lines.py), slower by far for thousands of events."""
    events: list[Event] = []
    for entry in entries:
        events.append(deadline_event(entry, host, labels))
        if with_reminder_events:
            events.extend(reminder_events(entry, host, labels))
    hearings = list(hearings)
    if hearings and hearing_labels is None:
        raise ValueError("hearings need their labels")
    for hearing in hearings:
        events.append(hearing_event(hearing, host, hearing_labels))
        if with_reminder_events:
            events.extend(hearing_reminder_events(hearing, host, hearing_labels))
    return _with_zones(calendar(name, events), hearings).to_ical()


def deadline_ics(entry: DeadlineEntry, *, host: str, labels: Labels) -> bytes:
    """One deadline as a downloadable .ics file."""
    return calendar(summary(entry), [deadline_event(entry, host, labels)]).to_ical()


def hearing_ics(entry: HearingEntry, *, host: str, labels: HearingLabels) -> bytes:
    """One hearing as a downloadable .ics file, with its zone's VTIMEZONE."""
    cal = calendar(hearing_summary(entry, labels), [hearing_event(entry, host, labels)])
    return _with_zones(cal, [entry]).to_ical()
