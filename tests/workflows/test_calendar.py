"""Deadline arithmetic: periods, working-day calendars and roll-forward (KZ CPC art. 48).

Every expected date below was worked out by hand from a printed calendar, with weekdays
checked separately; none is a copy of the code's own output.
"""

import datetime as dt
import re

import holidays
import pytest
import yaml

from litigation.workflows.calendar import (
    Calendars,
    WorkingCalendar,
    add_period,
    compute_due,
)
from litigation.workflows.spec import (
    AppliedBy,
    CalendarSpec,
    ConfirmedHoliday,
    DatedDay,
    Period,
    WeekendHolidays,
    WeekendMove,
)

from ..conftest import SHIPPED_WORKFLOWS

SHIPPED = SHIPPED_WORKFLOWS
SAT_SUN = frozenset({6, 7})
SWAP_2024 = DatedDay(dt.date(2024, 5, 4), "working Saturday in exchange for 8 May 2024")
# TJ Law on holidays art. 3 (reported): a holiday on Sat/Sun makes the next working day a day off.
TJ_WEEKEND_RULE = WeekendHolidays(
    WeekendMove.NEXT_WORKING_DAY, AppliedBy.CALENDAR, "Law on holidays art. 3", "test"
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def p(text: str) -> Period:
    return Period.parse(text)


def kz(**overlays) -> WorkingCalendar:
    return WorkingCalendar(CalendarSpec(id="KZ", country="KZ", weekend=SAT_SUN, **overlays))


def tj(**overlays) -> WorkingCalendar:
    overlays.setdefault("weekend_holidays", TJ_WEEKEND_RULE)
    return WorkingCalendar(CalendarSpec(id="TJ", country="TJ", weekend=SAT_SUN, **overlays))


def un() -> WorkingCalendar:
    return WorkingCalendar(CalendarSpec(id="none", country=None, weekend=frozenset()))


@pytest.mark.parametrize(
    ("day", "period", "expected"),
    [
        pytest.param("2025-01-31", "1m", "2025-02-28", id="jan31+1m-clamps-to-feb28"),
        pytest.param("2024-01-31", "1m", "2024-02-29", id="jan31+1m-leap-year-feb29"),
        pytest.param("2025-08-31", "6m", "2026-02-28", id="aug31+6m-clamps-across-year"),
        pytest.param("2025-03-31", "1m", "2025-04-30", id="mar31+1m-clamps-to-apr30"),
        pytest.param("2025-11-30", "3m", "2026-02-28", id="nov30+3m"),
        pytest.param("2025-01-15", "12m", "2026-01-15", id="12m-is-one-year"),
        pytest.param("2024-02-29", "1y", "2025-02-28", id="feb29+1y-to-feb28"),
        pytest.param("2024-02-29", "4y", "2028-02-29", id="feb29+4y-stays-feb29"),
        pytest.param("2023-06-30", "5y", "2028-06-30", id="5y"),
        pytest.param("2025-12-20", "15d", "2026-01-04", id="15d-across-year-end"),
        pytest.param("2024-12-31", "1d", "2025-01-01", id="1d-across-year-end"),
        pytest.param("2024-02-20", "10d", "2024-03-01", id="10d-across-leap-feb"),
    ],
)
def test_add_period_counts_calendar_units(day, period, expected):
    assert add_period(d(day), p(period)) == d(expected)


def test_add_period_in_working_days_needs_a_calendar():
    with pytest.raises(ValueError, match="calendar"):
        add_period(d("2025-11-07"), p("10wd"))


@pytest.mark.parametrize(
    ("calendar", "anchor", "period", "expected"),
    [
        pytest.param(kz, "2025-11-07", "10wd", "2025-11-21", id="kz-10wd-across-two-weekends"),
        pytest.param(kz, "2026-03-13", "10wd", "2026-04-01", id="kz-10wd-across-nauryz-2026"),
        pytest.param(kz, "2024-04-30", "4wd", "2024-05-10", id="kz-4wd-across-may-2024"),
        pytest.param(un, "2025-11-07", "10wd", "2025-11-17", id="un-working-days-are-all-days"),
    ],
)
def test_working_day_periods_skip_non_working_days(calendar, anchor, period, expected):
    assert add_period(d(anchor), p(period), calendar()) == d(expected)
    assert compute_due(d(anchor), p(period), calendar()).due == d(expected)


@pytest.mark.parametrize(
    ("calendar", "anchor", "period", "raw_end", "due"),
    [
        pytest.param(
            kz, "2025-10-31", "15d", "2025-11-15", "2025-11-17", id="kz-saturday-to-monday"
        ),
        pytest.param(kz, "2025-11-03", "15d", "2025-11-18", "2025-11-18", id="kz-tuesday-stays"),
        pytest.param(kz, "2025-12-20", "15d", "2026-01-04", "2026-01-05", id="kz-across-year-end"),
        pytest.param(kz, "2026-03-06", "15d", "2026-03-21", "2026-03-26", id="kz-nauryz-2026"),
        pytest.param(kz, "2026-03-10", "15d", "2026-03-25", "2026-03-26", id="kz-nauryz-transfer"),
        pytest.param(kz, "2025-02-21", "15d", "2025-03-08", "2025-03-11", id="kz-womens-day-sat"),
        pytest.param(kz, "2025-12-17", "15d", "2026-01-01", "2026-01-05", id="kz-new-year"),
        pytest.param(kz, "2025-12-23", "15d", "2026-01-07", "2026-01-08", id="kz-orthodox-xmas"),
        # Religious holidays are not transferred: Sunday 7 Jan 2024 gives no Monday off.
        pytest.param(kz, "2023-12-23", "15d", "2024-01-07", "2024-01-08", id="kz-xmas-on-sunday"),
        pytest.param(kz, "2024-04-22", "15d", "2024-05-07", "2024-05-10", id="kz-may-2024-run"),
        pytest.param(kz, "2026-03-31", "1m", "2026-04-30", "2026-04-30", id="kz-month-clamped"),
        # TJ: Navruz Fri-Mon 21-24 Mar 2025; Sat 22 and Sun 23 give Tue 25 and Wed 26 off.
        pytest.param(tj, "2025-03-06", "15d", "2025-03-21", "2025-03-27", id="tj-navruz-2025"),
        # TJ: estimated Eid al-Fitr Fri 20 Mar 2026, Navruz 21-24 Mar, Sat 21 and Sun 22 give
        # 25-26 Mar off; without the 2026 decree overlay Friday 27 Mar is a working day.
        pytest.param(tj, "2026-03-05", "15d", "2026-03-20", "2026-03-27", id="tj-fitr-and-navruz"),
        pytest.param(tj, "2026-08-25", "15d", "2026-09-09", "2026-09-10", id="tj-independence"),
        pytest.param(un, "2025-09-08", "6m", "2026-03-08", "2026-03-08", id="un-sunday-stays"),
        pytest.param(un, "2025-12-17", "15d", "2026-01-01", "2026-01-01", id="un-new-year-stays"),
    ],
)
def test_last_day_rolls_forward_to_the_next_working_day(calendar, anchor, period, raw_end, due):
    result = compute_due(d(anchor), p(period), calendar())
    assert (result.raw_end, result.due) == (d(raw_end), d(due))


@pytest.mark.parametrize(
    ("calendar", "day", "reason"),
    [
        pytest.param(kz, "2026-03-18", None, id="kz-ordinary-wednesday"),
        pytest.param(kz, "2025-11-15", "Saturday", id="kz-saturday"),
        pytest.param(kz, "2025-11-16", "Sunday", id="kz-sunday"),
        pytest.param(kz, "2026-03-23", "public holiday: Nowruz Holiday", id="kz-nauryz"),
        pytest.param(
            kz, "2026-03-24", "public holiday: Nowruz Holiday (observed)", id="kz-transfer-day"
        ),
        pytest.param(
            kz, "2026-03-21", "Saturday; public holiday: Nowruz Holiday", id="kz-nauryz-saturday"
        ),
        pytest.param(kz, "2026-01-02", "public holiday: New Year's Day", id="kz-new-year-2"),
        pytest.param(kz, "2026-01-07", "public holiday: Orthodox Christmas", id="kz-christmas"),
        pytest.param(
            kz, "2026-05-27", "public holiday: Eid al-Adha (estimated)", id="kz-estimated-eid"
        ),
        pytest.param(kz, "2024-05-04", "Saturday", id="kz-2024-swap-saturday-without-overlay"),
        pytest.param(tj, "2025-03-24", "public holiday: International Nowruz Day", id="tj-navruz"),
        pytest.param(
            tj,
            "2026-03-25",
            "day off: 21 March fell on a Saturday (Law on holidays art. 3, unverified), "
            "for International Nowruz Day",
            id="tj-navruz-transfer",
        ),
        pytest.param(tj, "2026-03-27", None, id="tj-day-after-the-transfers"),
        pytest.param(tj, "2026-09-09", "public holiday: Independence Day", id="tj-independence"),
        pytest.param(tj, "2024-05-01", None, id="tj-may-day-abolished"),
        pytest.param(un, "2026-03-08", None, id="un-sunday-is-working"),
        pytest.param(un, "2026-01-01", None, id="un-new-year-is-working"),
    ],
)
def test_non_working_reason_names_the_cause(calendar, day, reason):
    cal = calendar()
    assert cal.non_working_reason(d(day)) == reason
    assert cal.is_working_day(d(day)) is (reason is None)


def test_2024_swap_saturday_works_and_8_may_is_off():
    cal = kz(extra_working_days=(SWAP_2024,))
    assert cal.is_working_day(d("2024-05-04"))
    assert cal.non_working_reason(d("2024-05-08")) == (
        "decreed day off: in exchange for working on 2024-05-04 (Saturday)"
    )


@pytest.mark.parametrize(
    ("overlays", "due"),
    [
        pytest.param({"extra_working_days": (SWAP_2024,)}, "2024-05-04", id="overlaid-stays"),
        pytest.param({}, "2024-05-06", id="without-overlay-moves-to-monday"),
    ],
)
def test_period_ending_on_a_decreed_working_saturday_does_not_move(overlays, due):
    result = compute_due(d("2024-04-19"), p("15d"), kz(**overlays))
    assert result.raw_end == d("2024-05-04")
    assert result.due == d(due)


def test_extra_working_day_overrides_a_package_holiday():
    cal = kz(extra_working_days=(DatedDay(d("2026-01-02"), "test"),))
    assert cal.is_working_day(d("2026-01-02"))
    assert not cal.is_working_day(d("2026-01-01"))


def test_extra_day_off_is_non_working_with_its_reason():
    cal = kz(extra_days_off=(DatedDay(d("2026-03-18"), "Government decree No. 1"),))
    assert cal.non_working_reason(d("2026-03-18")) == "decreed day off: Government decree No. 1"
    assert compute_due(d("2026-03-03"), p("15d"), cal).due == d("2026-03-19")


def test_a_day_cannot_be_both_working_and_off():
    clash = DatedDay(d("2026-03-18"), "x")
    with pytest.raises(ValueError, match="2026-03-18"):
        kz(extra_days_off=(clash,), extra_working_days=(clash,))


def test_confirmed_holiday_replaces_the_estimate_for_its_year():
    confirmed = ConfirmedHoliday("Eid al-Adha", d("2026-05-26"), "test decree")
    cal = kz(confirmed_holidays=(confirmed,))
    assert cal.is_working_day(d("2026-05-27"))
    assert cal.non_working_reason(d("2026-05-26")) == "public holiday: Eid al-Adha (confirmed)"
    # A period ending on the confirmed day moves to the estimated day, now a working day.
    assert compute_due(d("2026-05-11"), p("15d"), cal).due == d("2026-05-27")


def test_confirmed_holiday_leaves_other_years_estimated():
    cal = kz(confirmed_holidays=(ConfirmedHoliday("Eid al-Adha", d("2027-05-17"), "test"),))
    assert cal.non_working_reason(d("2026-05-27")) == "public holiday: Eid al-Adha (estimated)"
    assert cal.is_working_day(d("2027-05-17")) is False


def test_no_roll_keeps_the_last_day_and_says_why():
    result = compute_due(d("2026-03-06"), p("15d"), kz(), roll_forward=False)
    assert result.due == result.raw_end == d("2026-03-21")
    kinds = [step.kind for step in result.steps]
    assert kinds == ["anchor", "start", "count", "raw_end", "no_roll", "due"]
    assert "Nowruz Holiday" in result.steps[4].text


def test_un_calendar_never_adds_skip_steps():
    result = compute_due(d("2025-09-08"), p("6m"), un())
    assert "skip" not in [step.kind for step in result.steps]
    assert result.due == d("2026-03-08")


def test_anchor_offset_runs_from_the_unrolled_offset_day():
    # Art. 106(5)(c): filed Fri 6 Mar 2026; 15 days later is Sat 21 Mar (Nauryz), not moved;
    # 15 more days end on Sun 5 Apr 2026, which rolls to Mon 6 Apr.
    result = compute_due(d("2026-03-06"), p("15d"), kz(), anchor_offset=p("15d"))
    assert result.anchor == d("2026-03-06")
    assert result.start == d("2026-03-22")
    assert (result.raw_end, result.due) == (d("2026-04-05"), d("2026-04-06"))
    assert [step.kind for step in result.steps][:3] == ["anchor", "offset", "start"]
    assert result.steps[1].day == d("2026-03-21")


def test_steps_explain_each_skipped_day():
    result = compute_due(d("2026-03-06"), p("15d"), kz())
    assert result.steps[0].kind == "anchor"
    assert result.steps[0].day == d("2026-03-06")
    assert result.start == d("2026-03-07")
    assert result.steps[1].kind == "start"
    assert result.steps[1].day == d("2026-03-07")
    skips = [(step.day, step.reason) for step in result.steps if step.kind == "skip"]
    assert skips == [
        (d("2026-03-21"), "Saturday; public holiday: Nowruz Holiday"),
        (d("2026-03-22"), "Sunday; public holiday: Nowruz Holiday"),
        (d("2026-03-23"), "public holiday: Nowruz Holiday"),
        (d("2026-03-24"), "public holiday: Nowruz Holiday (observed)"),
        (d("2026-03-25"), "public holiday: Nowruz Holiday (observed)"),
    ]
    assert result.steps[-1].kind == "due"
    assert result.steps[-1].day == d("2026-03-26")
    first_skip = next(step for step in result.steps if step.kind == "skip")
    assert first_skip.text == (
        "2026-03-21 is not a working day (Saturday; public holiday: Nowruz Holiday); "
        "moved to the next day"
    )


def test_holidays_between_lists_holidays_not_plain_weekends():
    found = kz().holidays_between(d("2025-12-27"), d("2026-01-08"))
    assert [day for day, _ in found] == [d("2026-01-01"), d("2026-01-02"), d("2026-01-07")]


def test_calendars_build_each_calendar_once_and_name_unknown_ones():
    specs = {
        "KZ": CalendarSpec(id="KZ", country="KZ", weekend=SAT_SUN),
        "none": CalendarSpec(id="none", country=None, weekend=frozenset()),
    }
    calendars = Calendars(specs)
    assert calendars["KZ"] is calendars["KZ"]
    assert "none" in calendars
    assert "TJ" not in calendars
    with pytest.raises(KeyError, match="no calendar 'TJ'; known calendars: KZ, none"):
        calendars["TJ"]


def test_unknown_country_is_refused():
    with pytest.raises(ValueError, match="XX"):
        WorkingCalendar(CalendarSpec(id="bad", country="XX", weekend=SAT_SUN))


def test_shipped_kz_overlay_lists_the_decreed_working_days():
    calendars = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["calendars"]
    working = {entry["date"]: entry["reason"] for entry in calendars["KZ"]["extra_working_days"]}
    assert d("2024-05-04") in working
    assert "8 May 2024" in working[d("2024-05-04")]
    assert (calendars["none"]["holidays"], calendars["none"]["weekend"]) == (None, [])
    # Each listed day is the "substituted from" day of a day off in the package.
    package = holidays.country_holidays("KZ", years=range(2015, 2028), language="en_US")
    swapped = set()
    for name in package.values():
        match = re.fullmatch(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)", name)
        if match:
            swapped.add(dt.date(int(match[3]), int(match[1]), int(match[2])))
    assert set(working) == swapped
