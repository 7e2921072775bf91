"""A whole feed's events written straight as iCalendar content lines.

The same bytes icalendar writes for the events ical.py builds (tests/feeds/test_ical_lines.py
compares them), without a component object per property: a team feed of thousands of events
is written faster than icalendar alone serialises them prebuilt. icalendar still writes the
calendar's own properties and the VTIMEZONEs, and every single-event file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from icalendar import Timezone, vDuration

from . import ical
from .ical import DeadlineEntry, HearingEntry, HearingLabels, Labels

FOLD_AT = 74  # octets of a content line before its break (RFC 5545 3.1: 75 with the space)


def escape(text: str) -> str:
    """TEXT escaping as icalendar does it (RFC 5545 3.3.11)."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> bytes:
    """The line in UTF-8, folded every 74 octets between characters, never right after an
    escaping backslash (as icalendar folds)."""
    data = line.encode()
    if len(data) <= FOLD_AT:
        return data
    parts, start = [], 0
    while len(data) - start > FOLD_AT:
        end = start + FOLD_AT
        while data[end] & 0xC0 == 0x80:  # inside a character: break before it
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:  # keep an escape with what it escapes
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def _text(name: str, value: str) -> bytes:
    return fold(f"{name}:{escape(value)}")


def _day(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC)
    return f"{_day(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def _local(moment: dt.datetime) -> str:
    return f"{_day(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"


@cache
def _trigger(offset: dt.timedelta) -> bytes:
    return b"TRIGGER:" + vDuration(-offset).to_ical()


def _alarm(offset: dt.timedelta, text: str) -> list[bytes]:
    alarm = [b"BEGIN:VALARM", b"ACTION:DISPLAY", _text("DESCRIPTION", text), _trigger(offset)]
    return [*alarm, b"END:VALARM"]


def _event(
    title: str,
    start: bytes,
    end: bytes | None,
    uid: str,
    entry: DeadlineEntry | HearingEntry,
    text: str,
    live: bool,
    after: Iterable[bytes] = (),
) -> list[bytes]:
    """A VEVENT's lines in icalendar's order: the canonical ones, then the others by name."""
    stamp = _utc(entry.updated_at).encode()
    lines = [b"BEGIN:VEVENT", _text("SUMMARY", title), start]
    if end is not None:
        lines.append(end)
    lines += [b"DTSTAMP:" + stamp, _text("UID", uid), b"SEQUENCE:%d" % entry.sequence]
    lines += [_text("DESCRIPTION", text), b"LAST-MODIFIED:" + stamp]
    lines.extend(after)
    lines.append(b"STATUS:CONFIRMED" if live else b"STATUS:CANCELLED")
    return lines


def _all_day(day: dt.date, title: str, uid: str, entry, text: str, live: bool) -> list[bytes]:
    end = b"DTEND;VALUE=DATE:" + _day(day + ical.ONE_DAY).encode() if day < dt.date.max else None
    start = b"DTSTART;VALUE=DATE:" + _day(day).encode()
    lines = _event(title, start, end, uid, entry, text, live)
    lines += [b"TRANSP:TRANSPARENT", fold(f"URL:{entry.case_url}")]
    return lines


def deadline_lines(entry: DeadlineEntry, host: str, labels: Labels, reminders: bool) -> list:
    """The deadline's event (and its reminder events when asked for), as lines."""
    title, text = ical.summary(entry), ical.description(entry, labels)
    uid = ical.uid(entry.id, host)
    lines = _all_day(entry.due, title, uid, entry, text, entry.is_open)
    if entry.is_open:
        for days in entry.reminders:
            alarm = f"{title}: {labels.reminder(days)}"
            lines += _alarm(dt.timedelta(days=days), alarm)
    lines.append(b"END:VEVENT")
    if reminders:
        for days in entry.reminders:
            if (entry.due - dt.date.min).days < days:
                continue  # no reminder before the year 1
            heading = f"{labels.reminder(days)}: {title}"
            day, uid = entry.due - dt.timedelta(days=days), ical.uid(entry.id, host, days)
            lines += _all_day(day, heading, uid, entry, text, entry.is_open)
            lines.append(b"END:VEVENT")
    return lines


def hearing_lines(entry: HearingEntry, host: str, labels: HearingLabels, reminders: bool) -> list:
    """The hearing's timed event in its zone (and its day-before event when asked for)."""
    title = ical.hearing_summary(entry, labels)
    text, live = ical.hearing_description(entry, labels), not entry.cancelled
    zone = str(entry.starts.tzinfo)
    start = f"DTSTART;TZID={zone}:{_local(entry.starts)}".encode()
    ends = ical.hearing_end(entry)
    end = f"DTEND;TZID={zone}:{_local(ends)}".encode() if ends is not None else None
    after = [_text("LOCATION", ical.one_line(entry.place))] if entry.place else []
    lines = _event(title, start, end, ical.hearing_uid(entry.id, host), entry, text, live, after)
    lines.append(fold(f"URL:{entry.case_url}"))
    if live:
        for offset in entry.reminders:
            alarm = f"{title}: {labels.starts_in(offset)}"
            lines += _alarm(offset, alarm)
    lines.append(b"END:VEVENT")
    if reminders:
        day = entry.starts.date()
        for offset in entry.reminders:
            days = offset.days
            if offset != dt.timedelta(days=days) or (day - dt.date.min).days < days:
                continue
            heading = f"{labels.starts_in(offset)}, {entry.starts:%H:%M}: {title}"
            uid = ical.hearing_uid(entry.id, host, days)
            lines += _all_day(day - offset, heading, uid, entry, text, live)
            lines.append(b"END:VEVENT")
    return lines


def zones(hearings: list[HearingEntry]) -> list[bytes]:
    """A VTIMEZONE for each zone the hearings use (in the order of their names), covering
    only their dates, as ical._with_zones chooses them."""
    if not hearings:
        return []
    first = min(entry.starts.date() for entry in hearings)
    last = max((ical.hearing_end(entry) or entry.starts).date() for entry in hearings)
    first, last = (max(ical.ZONE_SPAN[0], min(day, ical.ZONE_SPAN[1])) for day in (first, last))
    names = sorted({str(entry.starts.tzinfo) for entry in hearings})
    found = []
    for name in names:
        try:
            zone = Timezone.from_tzid(
                name, first_date=first - ical.ONE_DAY, last_date=last + ical.ONE_DAY
            )
        except ValueError:
            continue  # a zone icalendar does not know goes undescribed, as in ical.py
        found.append(zone.to_ical().rstrip(b"\r\n"))
    return found


def feed_bytes(
    entries: Iterable[DeadlineEntry],
    *,
    name: str,
    host: str,
    labels: Labels,
    hearings: Iterable[HearingEntry] = (),
    hearing_labels: HearingLabels | None = None,
    with_reminder_events: bool = False,
) -> bytes:
    """The whole feed, as ical.feed_ics describes it."""
    hearings = list(hearings)
    if hearings and hearing_labels is None:
        raise ValueError("hearings need their labels")
    head = ical.calendar(name, []).to_ical().removesuffix(b"END:VCALENDAR\r\n").rstrip(b"\r\n")
    lines = [head, *zones(hearings)]
    for entry in entries:
        lines += deadline_lines(entry, host, labels, with_reminder_events)
    for hearing in hearings:
        lines += hearing_lines(hearing, host, hearing_labels, with_reminder_events)
    lines.append(b"END:VCALENDAR\r\n")
    return b"\r\n".join(lines)
