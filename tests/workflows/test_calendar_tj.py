"""Tajikistan: a public holiday on a Saturday or Sunday makes the next working day a day off.

Law of the RT "On holidays" of 2 August 2011 No. 753, art. 3 (reported by Khovar, Asia-Plus,
Sputnik Tajikistan; Labour Code art. 89 per Avesta), religious holidays included. Every
expected date below was worked out by hand from a printed calendar and the reported cases.
"""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.workflows.calendar import WorkingCalendar, compute_due
from litigation.workflows.spec import (
    AppliedBy,
    CalendarSpec,
    ConfirmedHoliday,
    DatedDay,
    Period,
    WeekendHolidays,
    WeekendMove,
)

from .test_calendar_shipped import shipped_calendars

SAT_SUN = frozenset({6, 7})
RULE = WeekendHolidays(WeekendMove.NEXT_WORKING_DAY, AppliedBy.CALENDAR, "art. 3", "test")
CAUSE = "(Law on holidays art. 3, unverified)"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def tj() -> WorkingCalendar:
    return shipped_calendars()["TJ"]


def tj_spec(**overlays) -> WorkingCalendar:
    """A TJ calendar built here, with the weekend rule unless the test says otherwise."""
    overlays.setdefault("weekend_holidays", RULE)
    return WorkingCalendar(CalendarSpec(id="TJ", country="TJ", weekend=SAT_SUN, **overlays))


@pytest.mark.parametrize(
    ("day_off", "cause"),
    [
        # Asia-Plus 26 Feb 2015: Sunday 8 March gave Monday 9 March.
        ("2015-03-09", "8 March fell on a Sunday"),
        # Asia-Plus 26 Feb 2015: Navruz Sat-Sun 21-22 March gave 25-26 March, after 23-24.
        ("2015-03-25", "21 March fell on a Saturday"),
        ("2015-03-26", "22 March fell on a Sunday"),
        # Sputnik Tajikistan 28 Feb 2018: Saturday 24 March gave Monday 26 March.
        ("2018-03-26", "24 March fell on a Saturday"),
        # halva.tj 2021: Sunday 21 March gave Thursday 25 March, after Navruz 22-24.
        ("2021-03-25", "21 March fell on a Sunday"),
        # Khovar 2012: Idi Fitr on Sunday 19 August gave Monday 20 August.
        ("2012-08-20", "19 August fell on a Sunday"),
        # Khovar Dec 2016: New Year on Sunday 1 January 2017 gave Monday 2 January.
        ("2017-01-02", "1 January fell on a Sunday"),
        # The same rule in coming years (no report needed: the law is the rule).
        ("2026-03-09", "8 March fell on a Sunday"),
        ("2027-11-08", "6 November fell on a Saturday"),
        ("2028-01-03", "1 January fell on a Saturday"),
        ("2028-09-11", "9 September fell on a Saturday"),
    ],
)
def test_reported_weekend_holidays_give_the_reported_day_off(day_off, cause):
    reason = tj().non_working_reason(d(day_off))
    assert reason.startswith(f"day off: {cause} {CAUSE}")


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2015-03-23", "public holiday: International Nowruz Day"),
        ("2015-03-24", "public holiday: International Nowruz Day"),
        ("2021-03-24", "public holiday: International Nowruz Day"),
        ("2012-08-19", "Sunday; public holiday: Eid al-Fitr"),
    ],
)
def test_the_holidays_themselves_stay_holidays(day, reason):
    assert tj().non_working_reason(d(day)) == reason


@pytest.mark.parametrize(
    "day",
    ["2015-03-27", "2015-03-10", "2018-03-27", "2021-03-26", "2012-08-21", "2017-01-03"],
)
def test_the_working_day_after_the_days_off_stays_a_working_day(day):
    assert tj().is_working_day(d(day))


def test_the_reason_names_the_holiday_and_its_legal_basis():
    assert tj().non_working_reason(d("2015-03-09")) == (
        f"day off: 8 March fell on a Sunday {CAUSE}, for Mother's Day"
    )


@pytest.mark.parametrize(
    ("anchor", "period", "raw_end", "due"),
    [
        # 10 days ending on a transferred day roll past it.
        pytest.param("2015-02-27", "10d", "2015-03-09", "2015-03-10", id="ends-on-9-march-2015"),
        pytest.param("2015-03-15", "10d", "2015-03-25", "2015-03-27", id="ends-on-navruz-2015"),
        pytest.param("2018-03-16", "10d", "2018-03-26", "2018-03-27", id="ends-on-26-march-2018"),
        pytest.param("2021-03-15", "10d", "2021-03-25", "2021-03-26", id="ends-on-25-march-2021"),
        pytest.param("2012-08-10", "10d", "2012-08-20", "2012-08-21", id="ends-on-idi-fitr-2012"),
        pytest.param("2016-12-23", "10d", "2017-01-02", "2017-01-03", id="ends-on-2-january-2017"),
        # 2026: Eid al-Fitr Fri 20 (confirmed), Navruz 21-24, transfers 25-26, decreed day
        # off Fri 27 (for working Sat 14 March), weekend 28-29: 20-29 March non-working.
        pytest.param("2026-03-05", "15d", "2026-03-20", "2026-03-30", id="navruz-2026-decree"),
        # The worked Saturday is a working day: a period ending on it stays there.
        pytest.param("2026-02-27", "15d", "2026-03-14", "2026-03-14", id="worked-saturday-2026"),
        pytest.param("2023-06-09", "15d", "2023-06-24", "2023-06-24", id="worked-saturday-2023"),
        # 2023: decreed Mon 26 June, National Unity Tue 27, Eid al-Adha Wed 28.
        pytest.param("2023-06-11", "15d", "2023-06-26", "2023-06-29", id="june-2023-decree"),
        # Working days skip the Navruz block and its two transferred days: 16-20 March,
        # then 27, 30, 31 March, 1 and 2 April 2015.
        pytest.param("2015-03-13", "10wd", "2015-04-02", "2015-04-02", id="working-days-2015"),
    ],
)
def test_tj_periods_roll_past_the_transferred_days(anchor, period, raw_end, due):
    result = compute_due(d(anchor), Period.parse(period), tj())
    assert (result.raw_end, result.due) == (d(raw_end), d(due))


def test_the_reasoning_shows_each_transferred_day_with_its_cause():
    result = compute_due(d("2015-03-15"), Period.parse("10d"), tj())
    skips = [step.text for step in result.steps if step.kind == "skip"]
    assert skips == [
        "2015-03-25 is not a working day (day off: 21 March fell on a Saturday "
        f"{CAUSE}, for International Nowruz Day); moved to the next day",
        "2015-03-26 is not a working day (day off: 22 March fell on a Sunday "
        f"{CAUSE}, for International Nowruz Day); moved to the next day",
    ]


def test_decreed_swaps_of_2026_and_2023_are_in_the_shipped_calendar():
    calendar = tj()
    assert calendar.is_working_day(d("2026-03-14"))
    assert calendar.non_working_reason(d("2026-03-27")).startswith("decreed day off: ")
    assert calendar.is_working_day(d("2023-06-24"))
    assert calendar.non_working_reason(d("2023-06-26")).startswith("decreed day off: ")
    non_working = [d(f"2026-03-{day}") for day in range(20, 30)]
    assert not any(calendar.is_working_day(day) for day in non_working)


def test_without_the_rule_a_weekend_holiday_gives_no_day_off():
    assert tj_spec(weekend_holidays=None).is_working_day(d("2015-03-09"))


def test_a_rule_applied_by_the_package_adds_nothing_here():
    package = WeekendHolidays(WeekendMove.NEXT_WORKING_DAY, AppliedBy.HOLIDAYS_PACKAGE, "x", "y")
    assert tj_spec(weekend_holidays=package).is_working_day(d("2015-03-09"))


def test_two_holidays_on_one_weekend_day_give_one_day_off():
    # Sunday 6 November 2011: Constitution Day and Eid al-Adha.
    calendar = tj_spec()
    assert "Constitution Day and Eid al-Adha" in calendar.non_working_reason(d("2011-11-07"))
    assert calendar.is_working_day(d("2011-11-08"))


def test_a_worked_saturday_is_never_given_as_the_day_off():
    # Navruz 21-24 March 2015 with decreed days off Wed 25 to Fri 27: the weekday rule still
    # puts the two transfers on 25-26 March; Saturday 28, a decreed working day, stays one.
    off = tuple(DatedDay(d(f"2015-03-{day}"), "decree") for day in (25, 26, 27))
    calendar = tj_spec(extra_days_off=off, extra_working_days=(DatedDay(d("2015-03-28"), "w"),))
    assert sorted(calendar.transfers_of(2015))[:3] == [
        d("2015-03-09"),
        d("2015-03-25"),
        d("2015-03-26"),
    ]
    assert calendar.is_working_day(d("2015-03-28"))
    assert calendar.is_working_day(d("2015-03-30"))


def test_a_day_off_crosses_into_the_next_year():
    # A confirmed Eid al-Adha on Saturday 30 December 2028 (made up): Monday 1 January 2029 is
    # New Year, so the day off is Tuesday 2 January 2029.
    eid = ConfirmedHoliday("Eid al-Adha", d("2028-12-30"), "test")
    calendar = tj_spec(confirmed_holidays=(eid,))
    reason = calendar.non_working_reason(d("2029-01-02"))
    assert reason.startswith("day off: 30 December 2028 fell on a Saturday (art. 3, unverified)")
    assert calendar.is_working_day(d("2029-01-03"))


def test_a_day_off_from_an_estimated_holiday_says_so():
    # Eid al-Adha 2027 is estimated by the package on Sunday 16 May.
    reason = tj().non_working_reason(d("2027-05-17"))
    assert reason.endswith("for Eid al-Adha (estimated)")
    assert tj().transfers_of(2027)[d("2027-05-17")].estimated
