"""The holidays of one year in one calendar: the `holidays` package, officially confirmed lunar
dates, and the days off that a holiday falling on a weekend day gives.

Which rule a calendar follows for weekend holidays is data (`weekend_holidays` in
workflows.yaml). The package already applies Kazakhstan's rule ("(observed)" days), so a
calendar either applies a rule here or lets the package do it, never both.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import holidays

from .spec import AppliedBy, CalendarSpec, WeekendHolidays, WeekendMove

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ONE_DAY = dt.timedelta(days=1)
MAX_SEARCH = 366  # no real calendar has a year without working days
CONFIRMED = " (confirmed)"
# The package's labels, in en_US: "X (estimated)", "X (observed)", "X (observed, estimated)".
_ESTIMATED = re.compile(r" \((?:observed, )?estimated\)$")
_LABEL = re.compile(r" \((?:observed|estimated|observed, estimated|confirmed)\)$")

Names = Mapping[dt.date, list[str]]


def describe_day(day: dt.date) -> str:
    """'2026-03-21 (Saturday)'."""
    return f"{day.isoformat()} ({WEEKDAY_NAMES[day.weekday()]})"


def is_estimated(name: str) -> bool:
    """Whether a package name marks its date as the package's estimate of a lunar holiday."""
    return bool(_ESTIMATED.search(name))


def is_observed(name: str) -> bool:
    """Whether a package name is a day off the package moved off a weekend ("(observed)")."""
    return "(observed" in name


def holiday_name(name: str) -> str:
    """The package's English name of the holiday itself, without its label."""
    return _LABEL.sub("", name)


def package_holidays(spec: CalendarSpec, year: int) -> dict[dt.date, list[str]]:
    """Package holidays of `year` (English names), confirmed dates replacing estimates."""
    if spec.country is None:
        return {}
    # Load the previous year too: a holiday late in it may be observed early in `year`.
    base = holidays.country_holidays(spec.country, years=(year - 1, year), language="en_US")
    confirmed = [c for c in spec.confirmed_holidays if c.date.year == year]
    replaced = {c.holiday for c in confirmed}
    days: dict[dt.date, list[str]] = {}
    for day in sorted(base.keys()):
        if day.year != year:
            continue
        for name in base.get_list(day):
            # An officially confirmed date replaces the package's estimate of that holiday.
            if not (is_estimated(name) and holiday_name(name) in replaced):
                days.setdefault(day, []).append(name)
    for holiday in confirmed:
        days.setdefault(holiday.date, []).append(holiday.holiday + CONFIRMED)
    return days


@dataclass(frozen=True)
class DayOff:
    """One reason a day is not a working day, as data, so that the web can say it in the
    reader's language; `text` is the English the reasoning and the command line show."""

    kind: str  # weekend, decreed, holiday, swap (a decreed exchange), transfer (weekend rule)
    text: str
    name: str = ""  # holiday: the package's name with its label; decreed: the reason given
    other_day: dt.date | None = None  # swap: the day worked; transfer: the holiday's day
    names: tuple[str, ...] = ()  # transfer: the holidays of that day, with their labels
    basis: str = ""  # transfer: the rule's legal basis, "unverified" added when it is not
    verified: bool = True  # transfer: whether the rule was verified
    basis_ru: str = ""  # transfer: the legal basis in Russian, where the calendar gives it


@dataclass(frozen=True)
class Transfer:
    """A day off given because a public holiday fell on a weekend day."""

    day: dt.date  # the day off
    origin: dt.date  # the weekend day the holiday fell on
    names: tuple[str, ...]  # the holidays of that day, with the package's labels
    reason: str
    basis: str = ""  # the rule's legal basis
    verified: bool = False  # whether the rule was verified
    basis_ru: str = ""  # the same in Russian, where the calendar gives it

    @property
    def estimated(self) -> bool:
        """Whether the holiday behind this day off is itself only estimated."""
        return any(is_estimated(name) for name in self.names)


def applies_here(rule: WeekendHolidays | None) -> bool:
    """Whether this module, not the package, gives the days off of `rule`."""
    return (
        rule is not None
        and rule.applied_by is AppliedBy.CALENDAR
        and rule.moves_to is WeekendMove.NEXT_WORKING_DAY
    )


def weekend_transfers(
    spec: CalendarSpec, holidays_of: Callable[[int], Names], year: int
) -> dict[dt.date, Transfer]:
    """The days off in `year` given by holidays that fell on a weekend day, by day off.

    Each weekend day with a holiday gives one day off, on the first day after it that is
    neither a weekend day nor a holiday nor already given, taken in date order: so Navruz on
    Sat-Sun 21-22 March 2015 gave 25-26 March, after the holidays of 23-24 March. Weekdays
    decide, not decrees: a decreed working Saturday is never chosen, and decreed days off and
    working days are laid over the result by the caller.
    """
    rule = spec.weekend_holidays
    if not applies_here(rule):
        return {}
    given: dict[dt.date, Transfer] = {}
    # A holiday late in the previous year may give its day off early in this one.
    for origin_year in (year - 1, year):
        for origin, names in sorted(holidays_of(origin_year).items()):
            if origin.isoweekday() not in spec.weekend:
                continue
            day = _free_weekday(spec, origin, holidays_of, given)
            reason = _reason(rule, origin, day, names)
            given[day] = Transfer(
                day,
                origin,
                tuple(names),
                reason,
                rule.legal_basis,
                rule.verified,
                rule.legal_basis_ru,
            )
    return {day: transfer for day, transfer in given.items() if day.year == year}


def _free_weekday(
    spec: CalendarSpec, origin: dt.date, holidays_of: Callable[[int], Names], given: Mapping
) -> dt.date:
    day = origin
    for _ in range(MAX_SEARCH):
        day += ONE_DAY
        free = day.isoweekday() not in spec.weekend and day not in given
        if free and day not in holidays_of(day.year):
            return day
    raise ValueError(f"calendar {spec.id!r} has no free weekday within a year of {origin}")


def _reason(rule: WeekendHolidays, origin: dt.date, day: dt.date, names: list[str]) -> str:
    when = f"{origin.day} {MONTH_NAMES[origin.month - 1]}"
    if origin.year != day.year:
        when += f" {origin.year}"
    basis = rule.legal_basis if rule.verified else f"{rule.legal_basis}, unverified"
    weekday = WEEKDAY_NAMES[origin.weekday()]
    return f"day off: {when} fell on a {weekday} ({basis}), for {' and '.join(names)}"


def lunar_names(spec: CalendarSpec, years: range) -> frozenset[str]:
    """Holidays the package only estimates in some of `years` (lunar ones) or confirmed here."""
    if spec.country is None:
        return frozenset()
    base = holidays.country_holidays(spec.country, years=years, language="en_US")
    names = (name for day in base for name in base.get_list(day))
    found = {holiday_name(name) for name in names if is_estimated(name)}
    return frozenset(found | {c.holiday for c in spec.confirmed_holidays})


@functools.cache
def package_moves_weekend_holidays(country: str) -> bool:
    """Whether the package itself gives "(observed)" days off for holidays on a weekend."""
    years = range(2000, 2041)
    observed = holidays.country_holidays(country, years=years)
    plain = holidays.country_holidays(country, years=years, observed=False)
    return len(observed) != len(plain)


def package_names(country: str, year: int) -> frozenset[str]:
    """The package's English names of the holidays of `country` in `year`, without labels."""
    base = holidays.country_holidays(country, years=year, language="en_US")
    return frozenset(holiday_name(name) for day in base for name in base.get_list(day))
