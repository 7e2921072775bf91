"""Provisional due dates: said out loud when an estimated lunar holiday or an undecreed year
could still move them; empty when the date is firm.

Shipped data: KZ decrees are known for 2016-2025, TJ decrees for 2023 and 2026; the package
estimates Eid dates from 2026 (KZ Kurban Ait 2026 and TJ Eid al-Fitr 2026 are confirmed).
Expected dates were worked out by hand from a printed calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest

from litigation.workflows.calendar import Provisional, compute_due
from litigation.workflows.spec import Period

from .test_calendar_shipped import shipped_calendars


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def eid(day: str, name: str = "Eid al-Adha") -> Provisional:
    return Provisional("estimated_holiday", d(day).year, d(day), name)


def year(number: int) -> Provisional:
    return Provisional("unconfirmed_year", number)


@pytest.mark.parametrize(
    ("calendar", "anchor", "period", "due", "expected"),
    [
        # The count passes over TJ's estimated Eid al-Fitr of Tuesday 9 March 2027.
        pytest.param(
            "TJ", "2027-03-01", "15d", "2027-03-16",
            (eid("2027-03-09", "Eid al-Fitr"), year(2027)), id="tj-over-estimated-fitr-2027",
        ),
        # TJ 2026 is decreed; the estimated Eid al-Adha (Wed 27 May) is 2 days after the end.
        pytest.param(
            "TJ", "2026-05-10", "15d", "2026-05-25", (eid("2026-05-27"),), id="tj-eid-2-days-after",
        ),
        # Ends Sunday 24 May, rolls to Monday 25: an estimate 2 days after the day it rolled to
        # could still fall on it.
        pytest.param(
            "TJ", "2026-05-09", "15d", "2026-05-25", (eid("2026-05-27"),), id="tj-eid-after-roll",
        ),
        pytest.param("TJ", "2026-05-07", "15d", "2026-05-22", (), id="tj-eid-3-days-after-firm"),
        pytest.param("TJ", "2026-09-01", "15d", "2026-09-16", (), id="tj-2026-firm"),
        # Monday 17 May 2027 is off only because the estimated Eid fell on Sunday 16 May.
        pytest.param(
            "TJ", "2027-05-16", "1d", "2027-05-18",
            (eid("2027-05-16"), year(2027)), id="tj-day-off-from-an-estimate",
        ),
        pytest.param("KZ", "2028-02-01", "1m", "2028-03-01", (year(2028),), id="kz-ends-in-2028"),
        pytest.param(
            "KZ", "2028-04-20", "15d", "2028-05-10",
            (eid("2028-05-05"), year(2028)), id="kz-over-estimated-eid-2028",
        ),
        # Kurban Ait 2026 is confirmed: no estimate, but no 2026 decree is known.
        pytest.param("KZ", "2026-05-12", "15d", "2026-05-28", (year(2026),), id="kz-confirmed-eid"),
        pytest.param("KZ", "2025-11-03", "15d", "2025-11-18", (), id="kz-2025-firm"),
        pytest.param("KZ", "2025-12-20", "15d", "2026-01-05", (year(2026),), id="kz-into-2026"),
        # Working days from Wed 24 Dec 2025: 25, 26, 29, 30, 31 Dec, 5, 6, 8, 9, 12 Jan.
        pytest.param("KZ", "2025-12-24", "10wd", "2026-01-12", (year(2026),), id="kz-wd-into-2026"),
        # A working-day count starting just after an estimate could see it move inside.
        pytest.param(
            "KZ", "2027-05-17", "3wd", "2027-05-20",
            (eid("2027-05-16"), year(2027)), id="kz-wd-just-after-estimate",
        ),
        pytest.param("KZ", "2027-05-17", "3d", "2027-05-20", (year(2027),), id="kz-days-after"),
        pytest.param("none", "2028-06-01", "15d", "2028-06-16", (), id="un-never-provisional"),
    ],
)  # fmt: skip
def test_provisional_reasons(calendar, anchor, period, due, expected):
    result = compute_due(d(anchor), Period.parse(period), shipped_calendars()[calendar])
    assert result.due == d(due)
    assert result.provisional == expected


def test_a_period_that_does_not_roll_ignores_estimates_after_its_end():
    result = compute_due(
        d("2026-05-10"), Period.parse("15d"), shipped_calendars()["TJ"], roll_forward=False
    )
    assert result.due == d("2026-05-25")
    assert result.provisional == ()


def test_an_estimate_inside_a_period_that_does_not_roll_still_counts():
    result = compute_due(
        d("2027-03-01"), Period.parse("15d"), shipped_calendars()["TJ"], roll_forward=False
    )
    assert result.provisional == (eid("2027-03-09", "Eid al-Fitr"), year(2027))


def test_provisional_reasons_are_plain_data_for_the_web_layer():
    [reason, _year] = compute_due(
        d("2027-03-01"), Period.parse("15d"), shipped_calendars()["TJ"]
    ).provisional
    assert (reason.kind, reason.year, reason.day, reason.holiday) == (
        "estimated_holiday",
        2027,
        d("2027-03-09"),
        "Eid al-Fitr",
    )
    assert (_year.day, _year.holiday) == (None, None)
