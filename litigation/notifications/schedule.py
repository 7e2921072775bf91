"""When a message is due, in the recipient's own time: pure functions of dates and times.

A reminder day is reached from REMINDER_HOUR in the recipient's zone; a digest at the hour they
chose; nothing leaves in their quiet hours (it waits for them to end). A pass that was not run
for a while catches up with the latest point reached, never with a burst of old ones.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REMINDER_HOUR = 8  # reminders of a day leave from 08:00 in the recipient's zone
DEFAULT_ZONE = "Asia/Almaty"
DAILY, WEEKLY = "daily", "weekly"


def zone(name: str | None) -> ZoneInfo:
    """The recipient's zone; the default one for a name this machine does not know."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def local(now: dt.datetime, zone_name: str | None) -> dt.datetime:
    """`now` (aware) as the wall-clock time in the recipient's zone."""
    return now.astimezone(zone(zone_name))


def reminder_point(days_left: int, offsets: tuple[int, ...]) -> int | None:
    """The reminder reached `days_left` days before the due date: the nearest offset at or
    above it (the due day is offset 0), or None before the first one or after the due day."""
    if days_left < 0:
        return None
    reached = [days for days in {*offsets, 0} if days >= days_left]
    return min(reached) if reached else None


def in_quiet_hours(moment: dt.datetime, quiet_from: int | None, quiet_until: int | None) -> bool:
    """Whether a local time falls in the quiet hours [from, until), which may cross midnight."""
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return False
    hour = moment.hour
    if quiet_from < quiet_until:
        return quiet_from <= hour < quiet_until
    return hour >= quiet_from or hour < quiet_until


def quiet_end(moment: dt.datetime, quiet_from: int | None, quiet_until: int | None) -> dt.datetime:
    """The first moment at or after a local time that is outside the quiet hours."""
    if not in_quiet_hours(moment, quiet_from, quiet_until):
        return moment
    assert quiet_until is not None
    end = moment.replace(hour=quiet_until, minute=0, second=0, microsecond=0)
    if end <= moment:
        end = _same_hour_next_day(end)
    return end


def _same_hour_next_day(moment: dt.datetime) -> dt.datetime:
    # Wall-clock arithmetic in the zone (a day is not always 24 hours where clocks change).
    naive = moment.replace(tzinfo=None) + dt.timedelta(days=1)
    return naive.replace(tzinfo=moment.tzinfo)


def last_digest_moment(
    now_local: dt.datetime, frequency: str, weekday: int, hour: int
) -> dt.datetime | None:
    """The latest scheduled digest moment at or before a local time (None: digest off)."""
    if frequency not in (DAILY, WEEKLY):
        return None
    moment = now_local.replace(hour=hour % 24, minute=0, second=0, microsecond=0)
    if frequency == DAILY:
        return moment if moment <= now_local else moment - dt.timedelta(days=1)
    moment -= dt.timedelta(days=(moment.weekday() - weekday) % 7)
    return moment if moment <= now_local else moment - dt.timedelta(days=7)


def digest_period(moment: dt.datetime, frequency: str) -> str:
    """A name for the period a digest covers, unique per person: a day or an ISO week."""
    if frequency == DAILY:
        return moment.date().isoformat()
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"
