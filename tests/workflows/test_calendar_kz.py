"""Kazakhstan 2026-2028: the 2026 Constitution's holidays and the package's weekend transfers.

The 2026 Constitution (referendum 15 March 2026, in force 1 July 2026; reported) makes
Constitution Day 15 March from 2027; 30 August is not a holiday from 2026. The `holidays`
package (0.109) already has both, so the shipped calendar needs no overlay: these tests fail on
a package that does not. Kurban Ait 2026 is 27 May (official calendar, reported). Expected
dates were worked out by hand from a printed calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.workflows.calendar import WorkingCalendar, compute_due
from litigation.workflows.spec import Period

from .test_calendar_shipped import shipped_calendars


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def kz() -> WorkingCalendar:
    return shipped_calendars()["KZ"]


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("2025-08-30", "Saturday; public holiday: Constitution Day"),
        ("2025-09-01", "public holiday: Constitution Day (observed)"),
        ("2026-08-30", "Sunday"),  # no longer a holiday from 2026
        ("2026-08-31", None),  # so no Monday off either
        ("2027-08-30", None),
        ("2028-08-30", None),
        ("2026-03-15", "Sunday"),  # the referendum day; the holiday starts in 2027
        ("2026-03-16", None),
        ("2027-03-15", "public holiday: Constitution Day"),
        ("2028-03-15", "public holiday: Constitution Day"),
        ("2031-03-17", "public holiday: Constitution Day (observed)"),  # Sat 15 Mar 2031
        ("2026-05-27", "public holiday: Eid al-Adha (confirmed)"),
        ("2027-05-16", "Sunday; public holiday: Eid al-Adha (estimated)"),
        ("2027-05-17", None),  # Kurban Ait is never moved off a weekend
    ],
)
def test_kz_holidays_2025_to_2031(day, reason):
    assert kz().non_working_reason(d(day)) == reason


@pytest.mark.parametrize(
    ("anchor", "period", "raw_end", "due"),
    [
        # Sat 30 Aug 2025 Constitution Day, Sun 31, Mon 1 Sep observed: due Tuesday.
        pytest.param("2025-08-15", "15d", "2025-08-30", "2025-09-02", id="constitution-day-2025"),
        # From 2026 30 August is an ordinary Sunday: due Monday 31 August.
        pytest.param("2026-08-15", "15d", "2026-08-30", "2026-08-31", id="no-30-august-2026"),
        pytest.param("2026-02-28", "15d", "2026-03-15", "2026-03-16", id="15-march-2026-sunday"),
        pytest.param("2027-02-28", "15d", "2027-03-15", "2027-03-16", id="15-march-2027"),
        pytest.param("2028-02-29", "15d", "2028-03-15", "2028-03-16", id="15-march-2028"),
        pytest.param("2026-05-12", "15d", "2026-05-27", "2026-05-28", id="kurban-ait-2026"),
        # Estimated Kurban Ait on Sunday 16 May 2027: no transfer, due Monday 17 May.
        pytest.param("2027-05-01", "15d", "2027-05-16", "2027-05-17", id="kurban-ait-2027"),
        # Nauryz Sun-Tue 21-23 Mar 2027: one observed day, Wed 24 March, not two.
        pytest.param("2027-03-06", "15d", "2027-03-21", "2027-03-25", id="nauryz-2027"),
        # New Year Sat-Sun 1-2 Jan 2028: Mon 3 and Tue 4 observed.
        pytest.param("2027-12-17", "15d", "2028-01-01", "2028-01-05", id="new-year-2028"),
        # Independence Day Sat 16 Dec 2028: Mon 18 observed.
        pytest.param("2028-12-01", "15d", "2028-12-16", "2028-12-19", id="independence-2028"),
        # Eid Fri 5 May (estimated), Defender's Day Sun 7 (Mon 8 observed), Victory Tue 9.
        pytest.param("2028-04-20", "15d", "2028-05-05", "2028-05-10", id="may-2028"),
    ],
)
def test_kz_deadlines_2025_to_2028(anchor, period, raw_end, due):
    result = compute_due(d(anchor), Period.parse(period), kz())
    assert (result.raw_end, result.due) == (d(raw_end), d(due))


def test_kz_weekend_holidays_are_moved_once_by_the_package_only():
    # The calendar's own rule is left to the package, so it adds no day of its own.
    assert all(not kz().transfers_of(year) for year in range(2015, 2031))
    names = [name for names in kz().holidays_of(2027).values() for name in names]
    assert names.count("Nowruz Holiday (observed)") == 1  # Sunday 21 March 2027 only
    assert kz().is_working_day(d("2027-03-25"))
