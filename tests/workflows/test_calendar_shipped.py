"""The calendars shipped in workflows.yaml, read on their own: their data says what it claims.

Other calendar test files take the shipped calendars from `shipped_calendars()` here, so they
do not depend on the routes of the file.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from litigation.workflows.calendar import WorkingCalendar
from litigation.workflows.calendar_reader import read_calendar
from litigation.workflows.spec import AppliedBy, CalendarSpec, WeekendMove
from litigation.workflows.validate import _calendar_messages
from litigation.workflows.yaml_reader import Reader

from ..conftest import SHIPPED_WORKFLOWS


@functools.cache
def shipped_specs() -> dict[str, CalendarSpec]:
    """The CalendarSpecs of the shipped workflows.yaml; fails on any problem in them."""
    reader = Reader(str(SHIPPED_WORKFLOWS))
    data = reader.parse(SHIPPED_WORKFLOWS.read_text(encoding="utf-8"))
    specs = reader.each(
        data, "calendars", "calendars", lambda n, d, ln: read_calendar(reader, n, d, ln)
    )
    assert [str(problem) for problem in reader.problems] == []
    return specs


@functools.cache
def shipped_calendars() -> dict[str, WorkingCalendar]:
    """One WorkingCalendar per shipped calendar, built once for the test session."""
    return {name: WorkingCalendar(spec) for name, spec in shipped_specs().items()}


def test_shipped_calendars_pass_the_calendar_checks():
    for spec in shipped_specs().values():
        assert list(_calendar_messages(spec)) == []


def test_kz_leaves_weekend_holidays_to_the_package_and_tj_applies_its_own():
    kz, tj = shipped_specs()["KZ"], shipped_specs()["TJ"]
    assert kz.weekend_holidays.applied_by is AppliedBy.HOLIDAYS_PACKAGE
    assert tj.weekend_holidays.applied_by is AppliedBy.CALENDAR
    assert tj.weekend_holidays.moves_to is WeekendMove.NEXT_WORKING_DAY
    assert tj.weekend_holidays.legal_basis == "Law on holidays art. 3"
    assert tj.weekend_holidays.verified is False  # reported by the press; the article not read
    assert shipped_specs()["none"].weekend_holidays is None


def test_decree_years_are_the_years_whose_swaps_are_listed():
    for name in ("KZ", "TJ"):
        spec = shipped_specs()[name]
        swap_years = {d.date.year for d in (*spec.extra_days_off, *spec.extra_working_days)}
        assert swap_years <= spec.decrees.confirmed_years, name
    assert shipped_specs()["KZ"].decrees.confirmed_years == frozenset(range(2016, 2026))
    assert shipped_specs()["TJ"].decrees.confirmed_years == {2023, 2026}


@pytest.mark.parametrize(
    ("calendar", "holiday", "day"),
    [
        ("KZ", "Eid al-Adha", "2026-05-27"),  # Kurban Ait 2026, official calendar (reported)
        ("TJ", "Eid al-Fitr", "2026-03-20"),  # Sputnik TJ: 20-29 March 2026 non-working
    ],
)
def test_confirmed_lunar_dates_carry_a_source_and_say_they_are_unverified(calendar, holiday, day):
    [confirmed] = [c for c in shipped_specs()[calendar].confirmed_holidays if c.holiday == holiday]
    assert confirmed.date == dt.date.fromisoformat(day)
    assert confirmed.source and confirmed.verified is False
