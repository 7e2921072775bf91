"""Read the `calendars:` section of workflows.yaml into CalendarSpec objects."""

from __future__ import annotations

from .spec import CalendarSpec, ConfirmedHoliday, DatedDay
from .yaml_reader import Mapping, Reader

WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}

_CALENDAR_KEYS = {
    "holidays",
    "weekend",
    "extra_days_off",
    "extra_working_days",
    "confirmed_holidays",
    "note",
}


def read_calendar(reader: Reader, name: str, data: Mapping, line: int) -> CalendarSpec:
    """One calendar: its holidays, weekend and overlays, with every problem reported."""
    where = f"calendars.{name}"
    reader.unknown_keys(data, _CALENDAR_KEYS, where)
    weekend = set()
    for day in data.get("weekend", []) or []:
        if str(day).lower() not in WEEKDAYS:
            reader.problem(reader.line_of(data, "weekend"), f"{where}.weekend: unknown day {day!r}")
        else:
            weekend.add(WEEKDAYS[str(day).lower()])

    def dated(key: str) -> tuple[DatedDay, ...]:
        days = []
        for entry in data.get(key) or []:
            entry = reader.mapping(entry, f"{where}.{key}[]", reader.line_of(data, key))
            day = reader.date(entry, "date", f"{where}.{key}[]")
            if day is None:
                reader.problem(reader.line_of(entry), f"{where}.{key}[]: missing 'date'")
                continue
            days.append(DatedDay(day, str(entry.get("reason") or "")))
        return tuple(days)

    confirmed = []
    for entry in data.get("confirmed_holidays") or []:
        entry = reader.mapping(entry, f"{where}.confirmed_holidays[]", line)
        day = reader.date(entry, "date", f"{where}.confirmed_holidays[]")
        holiday = reader.required(entry, "holiday", f"{where}.confirmed_holidays[]")
        if day and holiday:
            confirmed.append(ConfirmedHoliday(str(holiday), day, str(entry.get("source") or "")))
    return CalendarSpec(
        id=name,
        country=data.get("holidays"),
        weekend=frozenset(weekend),
        extra_days_off=dated("extra_days_off"),
        extra_working_days=dated("extra_working_days"),
        confirmed_holidays=tuple(confirmed),
        line=line,
    )
