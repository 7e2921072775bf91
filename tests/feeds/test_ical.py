"""The pure iCalendar functions: every output is read back by icalendar and by vobject."""

from __future__ import annotations

import dataclasses
import datetime as dt

import icalendar
import pytest
import vobject

from litigation.feeds import ical

D = dt.date
STAMP = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
LABELS = ical.Labels(
    next_step="Next step",
    legal_basis="Legal basis",
    unverified="unverified rule: not checked against the official text",
    warning="warning",
    who_acts="Who must act",
    survivor="Survivor",
    notes="Notes",
    case_page="Case page",
    reminder=lambda days: f"due in {days} days",
)
ENTRY = ical.DeadlineEntry(
    id=7,
    reference="KZ-2026-001",
    rule_label="Appeal",
    stage_label="Decided",
    due=D(2026, 3, 26),
    updated_at=STAMP,
    sequence=2,
    is_open=True,
    warning=False,
    verified=True,
    party_label="our side",
    legal_basis="CPC RK art. 106(5)",
    guidance="Appeal; the court, the prosecutor.",
    case_url="https://litigation.example/cases/3",
    reminders=(7, 1),
)


def parse(data: bytes) -> tuple[icalendar.Calendar, vobject.base.Component]:
    """Read a calendar with both parsers; each must accept it."""
    return icalendar.Calendar.from_ical(data), vobject.readOne(data.decode("utf-8"))


def events(data: bytes) -> list[icalendar.Event]:
    return parse(data)[0].walk("VEVENT")


def feed(*entries: ical.DeadlineEntry, **kw) -> bytes:
    return ical.feed_ics(
        entries, name="My deadlines", host="litigation.example", labels=LABELS, **kw
    )


def test_a_deadline_is_an_all_day_event_on_its_due_date():
    data = feed(ENTRY)
    [event] = events(data)
    assert b"DTSTART;VALUE=DATE:20260326" in data
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert (event.start, event.end) == (D(2026, 3, 26), D(2026, 3, 27))
    _cal, vcal = parse(data)
    assert vcal.vevent.dtstart.value == D(2026, 3, 26)


def test_an_event_carries_a_stable_uid_the_stamp_and_the_sequence():
    [event] = events(feed(ENTRY))
    assert str(event["UID"]) == "deadline-7@litigation.example"
    assert event["DTSTAMP"].dt == STAMP
    assert event["LAST-MODIFIED"].dt == STAMP
    assert event["SEQUENCE"] == 2
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["URL"]) == ENTRY.case_url


def test_the_same_deadlines_always_give_the_same_bytes():
    assert feed(ENTRY) == feed(ENTRY)


def test_an_open_deadline_has_a_display_alarm_per_reminder_offset():
    data = feed(ENTRY)
    [event] = events(data)
    alarms = event.walk("VALARM")
    assert [a["TRIGGER"].dt for a in alarms] == [dt.timedelta(days=-7), dt.timedelta(days=-1)]
    assert {a["ACTION"] for a in alarms} == {"DISPLAY"}
    assert b"TRIGGER:-P7D" in data
    assert "due in 7 days" in alarms[0]["DESCRIPTION"]
    _cal, vcal = parse(data)
    assert len(vcal.vevent.valarm_list) == 2


def test_a_closed_deadline_is_cancelled_and_rings_no_alarm():
    [event] = events(feed(dataclasses.replace(ENTRY, is_open=False)))
    assert event["STATUS"] == "CANCELLED"
    assert event.walk("VALARM") == []


def test_reminder_events_are_separate_all_day_events_with_their_own_uids():
    data = feed(ENTRY, with_reminder_events=True)
    found = {str(e["UID"]): e for e in events(data)}
    assert set(found) == {
        "deadline-7@litigation.example",
        "deadline-7-reminder-7@litigation.example",
        "deadline-7-reminder-1@litigation.example",
    }
    week = found["deadline-7-reminder-7@litigation.example"]
    assert week.start == D(2026, 3, 19)
    assert week["DTSTART"].params["VALUE"] == "DATE"
    assert week["SUMMARY"].startswith("due in 7 days: KZ-2026-001")
    _cal, vcal = parse(data)
    assert len(vcal.vevent_list) == 3


def test_without_the_option_there_are_no_reminder_events():
    assert len(events(feed(ENTRY))) == 1


def test_the_summary_names_the_case_by_reference_rule_and_stage():
    assert ical.summary(ENTRY) == "KZ-2026-001 · Appeal (Decided)"


def test_the_survivor_name_and_notes_appear_only_when_passed_in():
    data = feed(ENTRY)
    assert b"Survivor" not in data
    named = dataclasses.replace(ENTRY, survivor_name="Асхат Нурланов", notes="Moved to Almaty")
    [event] = events(feed(named))
    assert event["SUMMARY"] == "KZ-2026-001 · Appeal (Decided) · Асхат Нурланов"
    assert "Survivor: Асхат Нурланов" in event["DESCRIPTION"]
    assert "Notes: Moved to Almaty" in event["DESCRIPTION"]


@pytest.mark.parametrize(
    ("changes", "present", "absent"),
    [
        ({}, ["Next step: Appeal; the court", "Legal basis: CPC RK art. 106(5)"], ["unverified"]),
        ({"verified": False}, ["unverified rule: not checked"], []),
        ({"warning": True}, ["warning"], ["unverified"]),
        ({}, ["Who must act: our side", "Case page: https://litigation.example/cases/3"], []),
        ({"guidance": ""}, [], ["Next step"]),
    ],
)
def test_the_description_explains_the_deadline(changes, present, absent):
    [event] = events(feed(dataclasses.replace(ENTRY, **changes)))
    text = str(event["DESCRIPTION"])
    assert all(part in text for part in present), text
    assert not any(part in text for part in absent), text


def test_the_calendar_has_a_name_and_tells_clients_how_often_to_refresh():
    data = feed(ENTRY)
    cal, vcal = parse(data)
    assert cal["X-WR-CALNAME"] == "My deadlines"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in data
    assert b"X-PUBLISHED-TTL:PT1H" in data
    assert vcal.x_wr_calname.value == "My deadlines"
    assert cal["METHOD"] == "PUBLISH"


def test_an_empty_feed_is_still_a_valid_calendar():
    cal, vcal = parse(ical.feed_ics([], name="Empty", host="h", labels=LABELS))
    assert cal.walk("VEVENT") == []
    assert vcal.x_wr_calname.value == "Empty"


def test_one_deadline_as_a_file():
    data = ical.deadline_ics(ENTRY, host="litigation.example", labels=LABELS)
    [event] = events(data)
    assert str(event["UID"]) == "deadline-7@litigation.example"
    assert parse(data)[0]["X-WR-CALNAME"] == "KZ-2026-001 · Appeal (Decided)"


def test_long_lines_are_folded_and_read_back_whole():
    long = dataclasses.replace(ENTRY, guidance="Обжалуйте решение в суде. " * 20)
    data = feed(long)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    [event] = events(data)
    assert "Обжалуйте решение в суде. " * 20 in str(event["DESCRIPTION"])
    assert "Обжалуйте решение в суде. " * 20 in parse(data)[1].vevent.description.value


def test_line_breaks_in_names_and_a_date_at_the_end_of_time_do_not_break_the_feed():
    odd = dataclasses.replace(
        ENTRY, reference="KZ-1\nsecond line", survivor_name="Name\r\nSurname", due=dt.date.max
    )

    data = ical.feed_ics(
        [odd],
        name="Team\ncalendar",
        host="litigation.example",
        labels=LABELS,
        with_reminder_events=True,
    )
    [event, *reminders] = events(data)

    assert str(event["SUMMARY"]).startswith("KZ-1 second line · ")
    assert event.decoded("DTSTART") == dt.date.max
    assert len(reminders) == len(ENTRY.reminders)
    assert b"X-WR-CALNAME:Team calendar" in data
