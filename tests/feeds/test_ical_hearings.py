"""Hearings as timed iCalendar events: read back by icalendar and by vobject, which places
them with the VTIMEZONE in the file (as Outlook does) rather than with its own tz database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from litigation.feeds import ical

from .test_ical import ENTRY, LABELS

ALMATY, DUSHANBE = ZoneInfo("Asia/Almaty"), ZoneInfo("Asia/Dushanbe")
STAMP = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
HEARING_LABELS = ical.HearingLabels(
    local_time="Local time",
    duration_unknown="Duration not recorded: shown as one hour",
    cancelled="Cancelled",
    survivor="Survivor",
    place="Place",
    attendees="Who attends",
    notes="Notes",
    case_page="Case page",
    starts_in=lambda offset: f"in {offset.days} day" if offset.days else "in 1 hour",
)
HEARING = ical.HearingEntry(
    id=7,
    reference="KZ-2026-001",
    kind_label="Court hearing",
    starts=dt.datetime(2026, 12, 10, 10, 30, tzinfo=ALMATY),
    duration=dt.timedelta(minutes=90),
    duration_known=True,
    zone_label="Almaty time",
    updated_at=STAMP,
    sequence=1,
    cancelled=False,
    case_url="https://litigation.example/cases/3",
    reminders=(dt.timedelta(days=1), dt.timedelta(hours=1)),
)


def feed(*hearings: ical.HearingEntry, deadlines=(), **kw) -> bytes:
    return ical.feed_ics(
        deadlines,
        name="My deadlines",
        host="litigation.example",
        labels=LABELS,
        hearings=hearings,
        hearing_labels=HEARING_LABELS,
        **kw,
    )


def parse(data: bytes) -> tuple[icalendar.Calendar, vobject.base.Component]:
    """Read a calendar with icalendar, and with vobject placing times by its VTIMEZONEs."""
    return icalendar.Calendar.from_ical(data), read_own_zones(data)


def read_own_zones(data: bytes) -> vobject.base.Component:
    """vobject, made to place times by this file's VTIMEZONEs: it keeps the first zone it
    met under a TZID for the whole process, and falls back to pytz for a TZID it never met."""
    known = vars(vobject.icalendar)["__tzidMap"]
    kept = dict(known)
    known.clear()
    known["UTC"] = kept["UTC"]
    try:
        return vobject.readOne(data.decode("utf-8"))
    finally:
        known.clear()
        known.update(kept)


def by_uid(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in parse(data)[0].walk("VEVENT")}


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


@pytest.mark.parametrize("zone", [ALMATY, DUSHANBE], ids=str)
def test_a_hearing_is_a_timed_event_in_its_zone_with_the_zone_described(zone):
    starts = dt.datetime(2026, 12, 10, 10, 30, tzinfo=zone)
    data = feed(dataclasses.replace(HEARING, starts=starts))
    assert f"DTSTART;TZID={zone.key}:20261210T103000".encode() in data
    assert f"DTEND;TZID={zone.key}:20261210T120000".encode() in data
    cal, vcal = parse(data)
    [event] = cal.walk("VEVENT")
    assert [tz.tz_name for tz in cal.timezones] == [zone.key]
    assert (utc(event.start), utc(event.end)) == (
        utc(starts),
        utc(starts) + dt.timedelta(hours=1.5),
    )
    # vobject builds the zone from the VTIMEZONE component itself, not from tzdata.
    assert type(vcal.vevent.dtstart.value.tzinfo).__name__ == "_tzicalvtz"
    assert utc(vcal.vevent.dtstart.value) == utc(starts)
    assert utc(vcal.vevent.dtend.value) == utc(starts) + dt.timedelta(minutes=90)


def test_the_zone_description_spans_almaty_s_change_of_offset():
    """Kazakhstan moved Almaty from UTC+6 to UTC+5 on 2024-03-01: a feed holding hearings on
    both sides describes both offsets, and a client reading only the file places each right."""
    before = dataclasses.replace(
        HEARING, id=1, starts=dt.datetime(2024, 2, 29, 10, 0, tzinfo=ALMATY)
    )
    after = dataclasses.replace(HEARING, id=2, starts=dt.datetime(2024, 3, 1, 10, 0, tzinfo=ALMATY))
    data = feed(before, after)
    _cal, vcal = parse(data)
    assert {type(e.dtstart.value.tzinfo).__name__ for e in vcal.vevent_list} == {"_tzicalvtz"}
    placed = {str(e.uid.value): utc(e.dtstart.value) for e in vcal.vevent_list}
    assert placed == {
        "hearing-1@litigation.example": utc(before.starts),
        "hearing-2@litigation.example": utc(after.starts),
    }
    # The machine's tzdata knows the change (an older one would put Almaty an hour off).
    assert utc(after.starts) - utc(before.starts) == dt.timedelta(hours=25)


def test_a_hearing_has_a_uid_of_its_own_the_stamps_and_the_sequence():
    found = by_uid(feed(HEARING, deadlines=[dataclasses.replace(ENTRY, id=7)]))
    assert set(found) == {"hearing-7@litigation.example", "deadline-7@litigation.example"}
    event = found["hearing-7@litigation.example"]
    assert event["DTSTAMP"].dt == STAMP and event["LAST-MODIFIED"].dt == STAMP
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["URL"]) == HEARING.case_url
    assert str(event["SUMMARY"]) == "KZ-2026-001 · Court hearing"
    assert "Local time: 10:30 (Almaty time)" in str(event["DESCRIPTION"])


def test_a_hearing_without_a_duration_lasts_an_hour_and_says_so():
    unknown = dataclasses.replace(HEARING, duration=dt.timedelta(hours=1), duration_known=False)
    [event] = by_uid(feed(unknown)).values()
    assert event.end - event.start == dt.timedelta(hours=1)
    assert "Duration not recorded" in str(event["DESCRIPTION"])
    [known] = by_uid(feed(HEARING)).values()
    assert "Duration not recorded" not in str(known["DESCRIPTION"])


def test_a_hearing_rings_the_day_before_and_an_hour_before():
    data = feed(HEARING)
    [event] = by_uid(data).values()
    alarms = event.walk("VALARM")
    assert [a["TRIGGER"].dt for a in alarms] == [-dt.timedelta(days=1), -dt.timedelta(hours=1)]
    assert b"TRIGGER:-P1D" in data and b"TRIGGER:-PT1H" in data
    assert str(alarms[1]["DESCRIPTION"]) == "KZ-2026-001 · Court hearing: in 1 hour"
    assert len(parse(data)[1].vevent.valarm_list) == 2


def test_a_cancelled_hearing_is_cancelled_marked_so_and_rings_no_alarm():
    cancelled = dataclasses.replace(HEARING, cancelled=True, sequence=2)
    data = feed(cancelled, with_reminder_events=True)
    found = by_uid(data)
    assert {str(e["STATUS"]) for e in found.values()} == {"CANCELLED"}
    event = found["hearing-7@litigation.example"]
    assert str(event["SUMMARY"]) == "Cancelled: KZ-2026-001 · Court hearing"
    assert event["SEQUENCE"] == 2
    assert event.walk("VALARM") == []


def test_the_reminder_event_is_the_day_before_and_an_hour_has_none():
    found = by_uid(feed(HEARING, with_reminder_events=True))
    assert set(found) == {"hearing-7@litigation.example", "hearing-7-reminder-1@litigation.example"}
    reminder = found["hearing-7-reminder-1@litigation.example"]
    assert reminder["DTSTART"].params["VALUE"] == "DATE"
    assert reminder.start == dt.date(2026, 12, 9)
    assert str(reminder["SUMMARY"]) == "in 1 day, 10:30: KZ-2026-001 · Court hearing"
    assert len(by_uid(feed(HEARING))) == 1


def test_names_place_attendees_and_notes_appear_only_when_passed_in():
    data = feed(HEARING)
    for word in (b"Survivor", b"Place", b"LOCATION", b"Who attends", b"Notes"):
        assert word not in data
    named = dataclasses.replace(
        HEARING,
        survivor_name="Асхат Нурланов",
        place="Алмалинский районный суд,\nзал 4",
        attendees="Адвокат Ахметова",
        notes="Взять заключение экспертизы",
    )
    [event] = by_uid(feed(named)).values()
    assert str(event["SUMMARY"]) == "KZ-2026-001 · Court hearing · Асхат Нурланов"
    assert str(event["LOCATION"]) == "Алмалинский районный суд, зал 4"
    text = str(event["DESCRIPTION"])
    assert "Survivor: Асхат Нурланов" in text and "Who attends: Адвокат Ахметова" in text
    assert "Notes: Взять заключение экспертизы" in text


def test_the_same_hearings_always_give_the_same_bytes():
    other = dataclasses.replace(
        HEARING, id=8, starts=dt.datetime(2027, 2, 1, 9, 0, tzinfo=DUSHANBE)
    )
    assert feed(HEARING, other) == feed(HEARING, other)
    cal, _vcal = parse(feed(HEARING, other))
    assert sorted(tz.tz_name for tz in cal.timezones) == ["Asia/Almaty", "Asia/Dushanbe"]


def test_a_feed_without_hearings_has_no_zone_description():
    assert b"VTIMEZONE" not in feed(deadlines=[ENTRY])


def test_hearings_at_the_ends_of_time_do_not_break_the_feed():
    first = dataclasses.replace(HEARING, id=1, starts=dt.datetime(1, 1, 1, 10, 0, tzinfo=ALMATY))
    last = dataclasses.replace(
        HEARING, id=2, starts=dt.datetime(9999, 12, 31, 23, 0, tzinfo=ALMATY)
    )
    found = by_uid(feed(first, last, with_reminder_events=True))
    assert set(found) == {
        "hearing-1@litigation.example",
        "hearing-2@litigation.example",
        "hearing-2-reminder-1@litigation.example",
    }
    assert "DTEND" not in found["hearing-2@litigation.example"]


def test_one_hearing_as_a_file():
    data = ical.hearing_ics(HEARING, host="litigation.example", labels=HEARING_LABELS)
    cal, vcal = parse(data)
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == "hearing-7@litigation.example"
    assert cal["X-WR-CALNAME"] == "KZ-2026-001 · Court hearing"
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Almaty"]
    assert utc(vcal.vevent.dtstart.value) == utc(HEARING.starts)


def test_hearings_without_their_words_are_refused():
    with pytest.raises(ValueError, match="labels"):
        ical.feed_ics([], name="x", host="h", labels=LABELS, hearings=[HEARING])
