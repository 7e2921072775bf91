"""Read the `calendars:` section of workflows.yaml into CalendarSpec objects."""

from __future__ import annotations

import datetime as dt

import holidays

from .spec import (
    AppliedBy,
    CalendarSpec,
    ConfirmedHoliday,
    DatedDay,
    DecreeYears,
    WeekendHolidays,
    WeekendMove,
)
from .yaml_reader import Mapping, Reader

WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
# The `holidays` package computes years far outside this; an overlay outside it is a typo.
FIRST_YEAR, LAST_YEAR = 1900, 2200
YEARS = f"{FIRST_YEAR}-{LAST_YEAR}"

_CALENDAR_KEYS = {
    "holidays",
    "weekend",
    "weekend_holidays",
    "decrees",
    "extra_days_off",
    "extra_working_days",
    "confirmed_holidays",
    "note",
}
_WEEKEND_HOLIDAY_KEYS = {"moves_to", "applied_by", "legal_basis", "source", "verified", "note"}
_DECREE_KEYS = {"confirmed_years", "source", "verified", "note"}


def read_calendar(reader: Reader, name: str, data: Mapping, line: int) -> CalendarSpec:
    """One calendar: its holidays, weekend and overlays, with every problem reported."""
    where = f"calendars.{name}"
    reader.unknown_keys(data, _CALENDAR_KEYS, where)
    return CalendarSpec(
        id=name,
        country=_country(reader, data, where),
        weekend=_weekend(reader, data, where),
        extra_days_off=_dated(reader, data, "extra_days_off", where),
        extra_working_days=_dated(reader, data, "extra_working_days", where),
        confirmed_holidays=_confirmed(reader, data, where, line),
        line=line,
        weekend_holidays=_weekend_holidays(reader, data, where),
        decrees=_decrees(reader, data, where),
    )


def _country(reader: Reader, data: Mapping, where: str) -> str | None:
    code = data.get("holidays")
    if code is None:
        return None
    supported = holidays.list_supported_countries()
    if not isinstance(code, str) or code not in supported:
        line = reader.line_of(data, "holidays")
        reader.problem(
            line,
            f"{where}.holidays: {code!r} is not a country code of the holidays package "
            f"(e.g. KZ, TJ; or null for a calendar without holidays)",
        )
        return None
    return code


def _weekend(reader: Reader, data: Mapping, where: str) -> frozenset[int]:
    weekend = set()
    for day in data.get("weekend", []) or []:
        if str(day).lower() not in WEEKDAYS:
            reader.problem(reader.line_of(data, "weekend"), f"{where}.weekend: unknown day {day!r}")
        else:
            weekend.add(WEEKDAYS[str(day).lower()])
    return frozenset(weekend)


def _in_range(reader: Reader, day: dt.date | None, line: int, where: str) -> dt.date | None:
    """`day`, or None after a problem if it lies outside the years a calendar can hold."""
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        reader.problem(line, f"{where}: {day.isoformat()} is outside {YEARS}")
        return None
    return day


def _entries(reader: Reader, data: Mapping, key: str, where: str) -> list[Mapping]:
    value = data.get(key) or []
    if not isinstance(value, list):
        reader.problem(reader.line_of(data, key), f"{where}.{key} must be a list")
        return []
    return [reader.mapping(entry, f"{where}.{key}[]", reader.line_of(data, key)) for entry in value]


def _dated(reader: Reader, data: Mapping, key: str, where: str) -> tuple[DatedDay, ...]:
    days = []
    for entry in _entries(reader, data, key, where):
        reader.unknown_keys(entry, {"date", "reason"}, f"{where}.{key}[]")
        day = reader.date(entry, "date", f"{where}.{key}[]")
        if day is None:  # a date that is not one was reported by reader.date
            if entry.get("date") is None:
                reader.problem(reader.line_of(entry), f"{where}.{key}[]: missing 'date'")
            continue
        if _in_range(reader, day, reader.line_of(entry), f"{where}.{key}[]"):
            days.append(DatedDay(day, str(entry.get("reason") or "")))
    return tuple(days)


def _confirmed(
    reader: Reader, data: Mapping, where: str, line: int
) -> tuple[ConfirmedHoliday, ...]:
    confirmed = []
    here = f"{where}.confirmed_holidays[]"
    for entry in _entries(reader, data, "confirmed_holidays", where):
        reader.unknown_keys(entry, {"holiday", "date", "source", "verified"}, here)
        day = _in_range(reader, reader.date(entry, "date", here), reader.line_of(entry), here)
        holiday = reader.required(entry, "holiday", here)
        source = reader.required(entry, "source", here)
        verified = reader.boolean(entry, "verified", here, False)
        if day and holiday:
            confirmed.append(ConfirmedHoliday(str(holiday), day, str(source or ""), verified))
    return tuple(confirmed)


def _weekend_holidays(reader: Reader, data: Mapping, where: str) -> WeekendHolidays | None:
    if data.get("weekend_holidays") is None:
        return None
    here = f"{where}.weekend_holidays"
    rule = reader.mapping(data["weekend_holidays"], here, reader.line_of(data, "weekend_holidays"))
    reader.unknown_keys(rule, _WEEKEND_HOLIDAY_KEYS, here)
    if rule.get("moves_to") is None:
        reader.problem(reader.line_of(rule), f"{here}: missing 'moves_to'")
    moves_to = reader.enum(rule, "moves_to", here, WeekendMove, WeekendMove.NONE)
    applied_by = reader.enum(rule, "applied_by", here, AppliedBy, AppliedBy.CALENDAR)
    source = reader.required(rule, "source", here)
    basis, basis_ru = rule.get("legal_basis"), ""
    if isinstance(basis, Mapping):  # {ru: ..., en: ...}: the citation in both languages
        basis, basis_ru = basis.get("en"), str(basis.get("ru") or "")
    if basis is None and moves_to is WeekendMove.NEXT_WORKING_DAY:
        # The reasoning names the rule for every day off it gives.
        reader.problem(reader.line_of(rule), f"{here}: missing 'legal_basis' (cite the article)")
    verified = reader.boolean(rule, "verified", here, False)
    return WeekendHolidays(
        moves_to,
        applied_by,
        str(basis or ""),
        str(source or ""),
        verified,
        reader.line_of(rule),
        basis_ru,
    )


def _decrees(reader: Reader, data: Mapping, where: str) -> DecreeYears | None:
    if data.get("decrees") is None:
        return None
    here = f"{where}.decrees"
    decrees = reader.mapping(data["decrees"], here, reader.line_of(data, "decrees"))
    reader.unknown_keys(decrees, _DECREE_KEYS, here)
    source = reader.required(decrees, "source", here)
    verified = reader.boolean(decrees, "verified", here, False)
    line = reader.line_of(decrees, "confirmed_years")
    raw = decrees.get("confirmed_years")
    if raw is None:
        reader.problem(reader.line_of(decrees), f"{here}: missing 'confirmed_years'")
        raw = []
    if not isinstance(raw, list):
        reader.problem(line, f"{here}.confirmed_years must be a list of years")
        raw = []
    years = set()
    for year in raw:
        if isinstance(year, bool) or not isinstance(year, int):
            reader.problem(line, f"{here}.confirmed_years: {year!r} is not a year")
        elif not FIRST_YEAR <= year <= LAST_YEAR:
            reader.problem(line, f"{here}.confirmed_years: {year} is outside {YEARS}")
        elif year in years:
            reader.problem(line, f"{here}.confirmed_years: {year} is listed twice")
        else:
            years.add(year)
    return DecreeYears(frozenset(years), str(source or ""), verified, reader.line_of(decrees))
