"""The feed written as lines is byte for byte the feed icalendar writes from components."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litigation.feeds import ical
from litigation.feeds.ical_lines import fold

from .test_ical import ENTRY, LABELS
from .test_ical_hearings import HEARING, HEARING_LABELS

D = dt.date
TRICKY = [
    "Асхат Нурланов",
    'a, b; c\\d "e"',
    "line one\nline two\r\nthree\rfour \\N five",
    "ж" * 80 + "\\" + "x" * 80,
    "a" * 73 + "\\,",
    "x" * 300,
    "𝔘 emoji 🙂 " * 12,
]


def both(entries=(), hearings=(), **kw) -> tuple[bytes, bytes]:
    args = dict(name="Team, deadlines; all", host="litigation.example", labels=LABELS, **kw)
    if hearings:
        args["hearing_labels"] = HEARING_LABELS
    fast = ical.feed_ics(entries, hearings=hearings, **args)
    reference = ical.feed_components_ics(entries, hearings=hearings, **args)
    return fast, reference


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("reminder_events", [False, True])
def test_a_deadline_is_written_as_icalendar_writes_it(text, reminder_events):
    entries = [
        dataclasses.replace(ENTRY, survivor_name=text, notes=text, guidance=text),
        dataclasses.replace(ENTRY, id=8, is_open=False, rule_label=text, caveats=(text, "b")),
        dataclasses.replace(ENTRY, id=9, verified=False, warning=True, due=D(1, 1, 3)),
        dataclasses.replace(ENTRY, id=10, due=dt.date.max, reminders=()),
    ]
    fast, reference = both(entries, with_reminder_events=reminder_events)
    assert fast == reference


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("reminder_events", [False, True])
def test_a_hearing_is_written_as_icalendar_writes_it(text, reminder_events):
    hearings = [
        dataclasses.replace(HEARING, survivor_name=text, place=text, attendees=text, notes=text),
        dataclasses.replace(HEARING, id=8, cancelled=True, duration_known=False),
        dataclasses.replace(
            HEARING, id=9, starts=dt.datetime(9999, 12, 31, 23, 30, tzinfo=ZoneInfo("Asia/Almaty"))
        ),
    ]
    fast, reference = both([ENTRY], hearings, with_reminder_events=reminder_events)
    assert fast == reference


def test_two_zones_are_described_once_each_in_the_order_of_their_names():
    dushanbe = dt.datetime(2026, 12, 11, 9, 0, tzinfo=ZoneInfo("Asia/Dushanbe"))
    hearings = [HEARING, dataclasses.replace(HEARING, id=8, starts=dushanbe)]
    fast, reference = both([], hearings)
    cal = icalendar.Calendar.from_ical(fast)
    assert [zone.tz_name for zone in cal.timezones] == ["Asia/Almaty", "Asia/Dushanbe"]
    # icalendar adds the zones in the order of a set; everything else is the same.
    same = icalendar.Calendar.from_ical(reference)
    assert sorted(z.to_ical() for z in same.timezones) == [z.to_ical() for z in cal.timezones]
    assert [e.to_ical() for e in same.walk("VEVENT")] == [e.to_ical() for e in cal.walk("VEVENT")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_escaped_and_folded_as_icalendar_does(text):
    entry = dataclasses.replace(ENTRY, survivor_name=text or None, notes=text or None)
    fast, reference = both([entry], with_reminder_events=True)
    assert fast == reference


@pytest.mark.parametrize("length", [73, 74, 75, 76, 148, 149])
def test_lines_fold_at_74_octets(length):
    folded = fold("x" * length).split(b"\r\n ")
    assert all(len(part) <= 74 for part in folded)
    assert b"".join(folded) == b"x" * length
