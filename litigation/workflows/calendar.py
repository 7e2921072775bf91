"""Pure deadline arithmetic over dates and working-day calendars.

Counting follows KZ CPC 2014 art. 48: the day of the event is not counted (48(2)),
non-working days inside a period are counted (48(3)), and a period whose last day is a
non-working day ends on the next working day, except detention-type periods (48(4)).
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import holidays

from .certainty import Provisional, provisional
from .holiday_rules import (
    MAX_SEARCH,
    ONE_DAY,
    WEEKDAY_NAMES,
    DayOff,
    Transfer,
    describe_day,
    holiday_name,
    is_estimated,
    package_holidays,
    weekend_transfers,
)
from .spec import CalendarSpec, Period, Unit

__all__ = [
    "WEEKDAY_NAMES",
    "Calendars",
    "DayOff",
    "DueDate",
    "Provisional",
    "Step",
    "WorkingCalendar",
    "add_period",
    "compute_due",
    "describe_day",
    "period_words",
]

_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")


def _holiday_reason(name: str) -> DayOff:
    """The reason one name from the `holidays` package gives."""
    swap = _SUBSTITUTED.match(name)
    if swap:  # a government decree moved a day off here from a weekend day
        worked = dt.date(int(swap[3]), int(swap[1]), int(swap[2]))
        text = f"decreed day off: in exchange for working on {describe_day(worked)}"
        return DayOff("swap", text, other_day=worked)
    return DayOff("holiday", f"public holiday: {name}", name=name)


class WorkingCalendar:
    """Working and non-working days of one jurisdiction: package holidays plus overlays."""

    def __init__(self, spec: CalendarSpec) -> None:
        if spec.country is not None and spec.country not in holidays.list_supported_countries():
            raise ValueError(f"calendar {spec.id!r}: the holidays package has no {spec.country!r}")
        self.spec = spec
        self.id = spec.id
        self._days_off = {d.date: d.reason for d in spec.extra_days_off}
        self._working = {d.date: d.reason for d in spec.extra_working_days}
        clash = sorted(self._days_off.keys() & self._working.keys())
        if clash:
            raise ValueError(
                f"calendar {spec.id!r} lists {clash[0].isoformat()} both as a day off "
                "and as a working day"
            )
        self._years: dict[int, dict[dt.date, list[str]]] = {}
        self._transfers: dict[int, dict[dt.date, Transfer]] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.id!r})"

    def holidays_of(self, year: int) -> dict[dt.date, list[str]]:
        """Package holidays of `year` (names per date), with confirmed dates applied; cached."""
        if year not in self._years:
            self._years[year] = package_holidays(self.spec, year)
        return self._years[year]

    def transfers_of(self, year: int) -> dict[dt.date, Transfer]:
        """Days off in `year` given by this calendar's own weekend-holiday rule; cached."""
        if year not in self._transfers:
            self._transfers[year] = weekend_transfers(self.spec, self.holidays_of, year)
        return self._transfers[year]

    def non_working_reason(self, day: dt.date) -> str | None:
        """None if `day` is a working day; otherwise why not, in English."""
        return "; ".join(reason.text for reason in self.day_off_reasons(day)) or None

    def day_off_reasons(self, day: dt.date) -> tuple[DayOff, ...]:
        """Why `day` is not a working day, reason by reason; empty for a working day."""
        if day in self._working:  # a decreed working day beats weekends and holidays
            return ()
        reasons = []
        if day.isoweekday() in self.spec.weekend:
            reasons.append(DayOff("weekend", WEEKDAY_NAMES[day.weekday()]))
        if day in self._days_off:
            given = self._days_off[day]
            text = f"decreed day off: {given or 'no reason given'}"
            reasons.append(DayOff("decreed", text, name=given))
        reasons.extend(_holiday_reason(name) for name in self.holidays_of(day.year).get(day, ()))
        transfer = self.transfers_of(day.year).get(day)
        if transfer is not None:
            reasons.append(
                DayOff(
                    "transfer",
                    transfer.reason,
                    other_day=transfer.origin,
                    names=transfer.names,
                    basis=transfer.basis,
                    basis_ru=transfer.basis_ru,
                    verified=transfer.verified,
                )
            )
        return tuple(reasons)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether `day` is a working day in this calendar."""
        return self.non_working_reason(day) is None

    def holidays_between(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Non-working days from `start` to `end` inclusive other than plain weekend days."""
        found = []
        day = start
        while day <= end:
            reason = self.non_working_reason(day)
            if reason and reason != WEEKDAY_NAMES[day.weekday()]:
                found.append((day, reason))
            day += ONE_DAY
        return found

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        for _ in range(MAX_SEARCH):
            day += ONE_DAY
            if self.is_working_day(day):
                return day
        raise ValueError(f"calendar {self.id!r} has no working day within a year of {day}")

    def estimates_between(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """(date, name) of each estimated holiday from `start` to `end`, or behind a day off."""
        found = set()
        for year in range(start.year, end.year + 1):
            for day, names in self.holidays_of(year).items():
                if start <= day <= end:
                    found.update((day, holiday_name(n)) for n in names if is_estimated(n))
            for day, transfer in self.transfers_of(year).items():
                if start <= day <= end:
                    origin = transfer.origin
                    found.update(
                        (origin, holiday_name(n)) for n in transfer.names if is_estimated(n)
                    )
        return sorted(found)

    def decree_confirmed(self, year: int) -> bool:
        """Whether the Government's day-off decrees for `year` are known (always if no holidays)."""
        if self.spec.country is None:
            return True
        return self.spec.decrees is not None and year in self.spec.decrees.confirmed_years


@dataclass(frozen=True)
class Step:
    """One line of the explanation of how a due date was reached."""

    kind: str  # anchor, offset, start, count, raw_end, skip, due, no_roll
    day: dt.date
    text: str
    reason: str = ""  # for "skip": the non-working reason alone
    why: tuple[DayOff, ...] = ()  # for "skip" and "no_roll": that reason as data


@dataclass(frozen=True)
class DueDate:
    anchor: dt.date
    start: dt.date  # first counted day: the (offset) anchor + 1 day
    raw_end: dt.date  # last day before moving off non-working days
    due: dt.date  # the last day to act
    steps: tuple[Step, ...]
    provisional: tuple[Provisional, ...] = ()  # empty when the date is firm


def add_period(day: dt.date, period: Period, calendar: WorkingCalendar | None = None) -> dt.date:
    """The last day of `period` counted from the day after `day` (KZ CPC art. 48(2), 48(4))."""
    amount = period.amount
    if period.unit is Unit.DAYS:
        return day + dt.timedelta(days=amount)
    if period.unit is Unit.MONTHS:
        # Art. 48(4): the same date of the last month, or that month's last day.
        month_index = day.month - 1 + amount
        year, month = day.year + month_index // 12, month_index % 12 + 1
        return dt.date(year, month, min(day.day, _gregorian.monthrange(year, month)[1]))
    if period.unit is Unit.YEARS:
        year = day.year + amount
        if day.month == 2 and day.day == 29 and not _gregorian.isleap(year):
            return dt.date(year, 2, 28)
        return day.replace(year=year)
    if calendar is None:
        raise ValueError(f"a period in working days ({period}) needs a calendar")
    for _ in range(amount):
        day = calendar.next_working_day(day)
    return day


_UNIT_WORDS = {
    Unit.DAYS: "day",
    Unit.WORKING_DAYS: "working day",
    Unit.MONTHS: "month",
    Unit.YEARS: "year",
}


def period_words(period: Period) -> str:
    """'15 days', '1 month', '10 working days'."""
    word = _UNIT_WORDS[period.unit]
    return f"{period.amount} {word}{'' if period.amount == 1 else 's'}"


def _count_text(period: Period, base: dt.date, start: dt.date) -> str:
    counted = f"{period_words(period)} counted from {describe_day(start)}"
    if period.unit is Unit.DAYS:
        return f"{counted}, non-working days included"
    if period.unit is Unit.WORKING_DAYS:
        return f"{counted}, non-working days skipped"
    # Art. 48(4): a month or year period ends on the same date, or on the month's last day.
    if period.unit is Unit.MONTHS:
        return f"{counted}: ends on day {base.day} of the last month, or on its last day if shorter"
    return f"{counted}: ends on the same date {period.amount} year(s) later (29 Feb: 28 Feb)"


def compute_due(
    anchor: dt.date,
    period: Period,
    calendar: WorkingCalendar,
    *,
    roll_forward: bool = True,
    anchor_offset: Period | None = None,
) -> DueDate:
    """The last day of `period` after `anchor` in `calendar`, with the steps that explain it."""
    steps = [Step("anchor", anchor, f"The event giving rise to the period: {describe_day(anchor)}")]
    base = anchor
    if anchor_offset is not None:
        # KZ CPC art. 106(5)(c): the period runs once 15 days have passed since the filing;
        # that intermediate day is a trigger, not a deadline, so it never moves.
        base = add_period(anchor, anchor_offset, calendar)
        text = (
            f"{period_words(anchor_offset)} later, on {describe_day(base)}, the period is triggered"
        )
        steps.append(Step("offset", base, f"{text}; this day is not moved off non-working days"))
    start = base + ONE_DAY  # art. 48(2): the starting day itself is not counted
    text = f"The starting day {base.isoformat()} is not counted; counting starts on {start}"
    steps.append(Step("start", start, text))
    steps.append(Step("count", start, _count_text(period, base, start)))
    raw_end = add_period(base, period, calendar)
    steps.append(Step("raw_end", raw_end, f"The period's last day is {describe_day(raw_end)}"))
    due = raw_end
    if roll_forward:
        # Art. 48(4): a last day falling on a non-working day moves to the next working day.
        while why := calendar.day_off_reasons(due):
            reason = "; ".join(part.text for part in why)
            text = f"{due.isoformat()} is not a working day ({reason}); moved to the next day"
            steps.append(Step("skip", due, text, reason, why))
            due += ONE_DAY
            if (due - raw_end).days > MAX_SEARCH:
                raise ValueError(f"calendar {calendar.id!r} has no working day after {raw_end}")
    else:
        # Art. 48(4) exception (detention-type periods); UN periods never move either.
        why = calendar.day_off_reasons(raw_end)
        reason = "; ".join(part.text for part in why)
        note = f" even though it is not a working day ({reason})" if reason else ""
        text = f"This period does not move off non-working days; it ends on {raw_end.isoformat()}"
        steps.append(Step("no_roll", raw_end, text + note, reason, why))
    steps.append(Step("due", due, f"Last day to act: {describe_day(due)}, until 24:00"))
    found = provisional(calendar, period, start, raw_end, due, roll_forward=roll_forward)
    return DueDate(anchor, start, raw_end, due, tuple(steps), found)


class Calendars:
    """Builds each WorkingCalendar once from a {id: CalendarSpec} mapping."""

    def __init__(self, specs: Mapping[str, CalendarSpec]) -> None:
        self._calendars = {name: WorkingCalendar(spec) for name, spec in specs.items()}

    def __getitem__(self, calendar_id: str) -> WorkingCalendar:
        try:
            return self._calendars[calendar_id]
        except KeyError:
            known = ", ".join(sorted(self._calendars)) or "(no calendars declared)"
            raise KeyError(f"no calendar {calendar_id!r}; known calendars: {known}") from None

    def __contains__(self, calendar_id: object) -> bool:
        return calendar_id in self._calendars

    def __iter__(self) -> Iterator[str]:
        return iter(self._calendars)
