"""How firm a calendar's days are: why a due date may still move, and what each year holds
of confirmed and estimated days (for `litigation calendars`).

A due date is provisional when the count passed over a lunar holiday the `holidays` package
only estimates, or ends in a year whose Government day-off decree is not known: both can
still move a non-working day, and so the last day to act.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .holiday_rules import CONFIRMED, holiday_name, is_estimated, is_observed
from .spec import Period, Unit

if TYPE_CHECKING:
    from .calendar import WorkingCalendar

ESTIMATED_HOLIDAY = "estimated_holiday"
UNCONFIRMED_YEAR = "unconfirmed_year"
ESTIMATE_MARGIN = dt.timedelta(days=2)  # a lunar estimate can be a day or two off
PACKAGE = "holidays package"


@dataclass(frozen=True)
class Provisional:
    """Why a due date may still move: an estimated lunar holiday or an undecreed year."""

    kind: str  # ESTIMATED_HOLIDAY or UNCONFIRMED_YEAR
    year: int
    day: dt.date | None = None  # the estimated holiday's date
    holiday: str | None = None  # the package's English name of that holiday, e.g. "Eid al-Adha"


def provisional(
    calendar: WorkingCalendar,
    period: Period,
    start: dt.date,
    raw_end: dt.date,
    due: dt.date,
    *,
    roll_forward: bool,
) -> tuple[Provisional, ...]:
    """Why the due date of a count from `start` may still move; empty when it is firm."""
    # An estimate just after the last day may really fall on it (or on a day it rolled to)
    # and push it on; one just before a working-day count may really fall inside it.
    first = start - ESTIMATE_MARGIN if period.unit is Unit.WORKING_DAYS else start
    last = due + ESTIMATE_MARGIN if roll_forward else due
    found = [
        Provisional(ESTIMATED_HOLIDAY, day.year, day, name)
        for day, name in calendar.estimates_between(first, last)
    ]
    # A decree for any year holding a day that decided the date could still move it.
    years = {raw_end.year, due.year}
    if period.unit is Unit.WORKING_DAYS:
        years.update(range(start.year, due.year + 1))
    found.extend(
        Provisional(UNCONFIRMED_YEAR, year)
        for year in sorted(years)
        if not calendar.decree_confirmed(year)
    )
    return tuple(found)


@dataclass(frozen=True)
class YearReport:
    """One calendar year: its decree, its lunar holidays and the days off moved off weekends."""

    year: int
    decree_confirmed: bool
    confirmed: tuple[tuple[dt.date, str, str], ...]  # lunar holidays: (day, name, source)
    estimated: tuple[tuple[dt.date, str], ...]  # (day, name)
    transfers: tuple[tuple[dt.date, str], ...]  # (day off, why)
    decreed: tuple[tuple[dt.date, str], ...]  # decreed days off and working days: (day, what)


def year_report(calendar: WorkingCalendar, year: int, lunar: frozenset[str]) -> YearReport:
    """What `calendar` holds for `year`; `lunar` names the holidays with a lunar date."""
    confirmed, estimated, transfers = [], [], []
    for day, names in sorted(calendar.holidays_of(year).items()):
        for name in names:
            if is_observed(name):
                transfers.append((day, f"{name} [{PACKAGE}]"))
            elif is_estimated(name):
                estimated.append((day, holiday_name(name)))
            elif holiday_name(name) in lunar:
                confirmed.append((day, holiday_name(name), _source(calendar, day, name)))
    transfers.extend((day, t.reason) for day, t in calendar.transfers_of(year).items())
    spec = calendar.spec
    decreed = [(d.date, f"day off: {d.reason}") for d in spec.extra_days_off]
    decreed += [(d.date, f"working day: {d.reason}") for d in spec.extra_working_days]
    return YearReport(
        year,
        calendar.decree_confirmed(year),
        tuple(confirmed),
        tuple(estimated),
        tuple(sorted(transfers)),
        tuple(sorted(entry for entry in decreed if entry[0].year == year)),
    )


def _source(calendar: WorkingCalendar, day: dt.date, name: str) -> str:
    if not name.endswith(CONFIRMED):
        return PACKAGE
    for holiday in calendar.spec.confirmed_holidays:
        if holiday.date == day and holiday.holiday == holiday_name(name):
            return holiday.source + ("" if holiday.verified else " (unverified)")
    return "workflows.yaml"
